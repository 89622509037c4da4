"""A real CalDAV server for tests: Radicale, started in its own process on 127.0.0.1 with
a free port, htpasswd auth (plain: no extra system packages) and storage in a temporary
folder; in front of it a proxy on loopback (a thread of the test process) that counts
the requests by method and can stop answering after a number of them, as a server that
goes away mid-sync does."""

from __future__ import annotations

import http.client
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

USER, PASSWORD = "learner", "correct horse"
TRICKLE_SECONDS, TRICKLE_GAP_SECONDS = 1.5, 0.02  # a slow server's, kept short
# Headers a proxy must not pass on (RFC 9110 section 7.6.1).
HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "te", "trailer", "upgrade"}


@dataclass
class CalDavServer:
    """The proxy's address, what it counted, and `fail_after`: answer that many more
    requests, then drop the connection of every later one (None: answer all).
    `trickle`: send every answer a byte at a time, as a server that holds a client
    without ever letting its read time out. `before_put` is called with a PUT's path
    before it is passed on (a calendar app editing the event meanwhile); `backend` is
    Radicale's own address."""

    port: int = 0
    requests: Counter[str] = field(default_factory=Counter)
    fail_after: int | None = None
    trickle: bool = False  # answer a byte at a time (for TRICKLE_SECONDS at most)
    before_put: Callable[[str], None] | None = None
    auth_schemes: Counter[str] = field(default_factory=Counter)  # Basic, Bearer, ...
    backend: str = ""

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def writes(self) -> int:
        return self.requests["PUT"] + self.requests["DELETE"]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def radicale(folder: Path) -> Iterator[CalDavServer]:
    """Radicale on loopback behind a counting proxy, stopped on exit."""
    (folder / "users").write_text(f"{USER}:{PASSWORD}\n")
    port = _free_port()
    config = folder / "config"
    config.write_text(
        f"[server]\nhosts = 127.0.0.1:{port}\n"
        f"[auth]\ntype = htpasswd\nhtpasswd_filename = {folder / 'users'}\n"
        "htpasswd_encryption = plain\ndelay = 0\n"
        f"[storage]\nfilesystem_folder = {folder / 'collections'}\n"
        "[logging]\nlevel = warning\n"
    )
    process = subprocess.Popen(
        [sys.executable, "-m", "radicale", "--config", str(config)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        _wait_for(port, process)
        with _proxy(port) as server:
            yield server
    finally:
        process.terminate()
        process.wait(timeout=30)


def _wait_for(port: int, process: subprocess.Popen[bytes]) -> None:
    # Readiness by polling the port, not by sleeping a fixed time.
    for _attempt in range(600):
        if process.poll() is not None:
            raise RuntimeError(f"radicale exited with {process.returncode}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError("radicale did not start")


@contextmanager
def _proxy(backend_port: int) -> Iterator[CalDavServer]:
    server = CalDavServer(backend=f"http://127.0.0.1:{backend_port}")
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(server, backend_port))
    server.port = httpd.server_address[1]
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        httpd.shutdown()
        httpd.server_close()


def _handler(server: CalDavServer, backend_port: int) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: object) -> None:  # quiet
            pass

        def _forward(self) -> None:
            if server.fail_after is not None:
                if server.fail_after <= 0:
                    self.close_connection = True
                    self.connection.shutdown(socket.SHUT_RDWR)
                    return
                server.fail_after -= 1
            server.requests[self.command] += 1
            server.auth_schemes[(self.headers.get("Authorization") or "none").split()[0]] += 1
            if self.command == "PUT" and server.before_put is not None:
                server.before_put(self.path)
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else None
            headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP_BY_HOP}
            backend = http.client.HTTPConnection("127.0.0.1", backend_port, timeout=30)
            try:
                backend.request(self.command, self.path, body=body, headers=headers)
                answer = backend.getresponse()
                content = answer.read()
                if server.trickle:
                    self._trickle(answer, content)
                    return
                self.send_response(answer.status, answer.reason)
                for name, value in answer.getheaders():
                    if name.lower() not in HOP_BY_HOP | {"content-length"}:
                        self.send_header(name, value)
                self.send_header("Content-Length", str(len(content)))
                self.end_headers()
                self.wfile.write(content)
            finally:
                backend.close()

        def _trickle(self, answer: http.client.HTTPResponse, content: bytes) -> None:
            """The answer a byte at a time; the connection closed after TRICKLE_SECONDS
            (a client with no deadline of its own then fails on a cut answer)."""
            head = f"HTTP/1.1 {answer.status} {answer.reason}\r\nContent-Length: {len(content)}"
            whole = f"{head}\r\nContent-Type: application/xml\r\n\r\n".encode() + content
            self.close_connection = True
            until = time.monotonic() + TRICKLE_SECONDS
            try:
                for byte in whole:
                    if time.monotonic() > until:
                        break
                    self.wfile.write(bytes([byte]))
                    self.wfile.flush()
                    time.sleep(TRICKLE_GAP_SECONDS)  # the trickle itself, not a wait for a result
                self.connection.shutdown(socket.SHUT_RDWR)
            except OSError:  # the client gave up: as it should
                return

        do_GET = do_PUT = do_DELETE = do_PROPFIND = do_REPORT = do_OPTIONS = _forward
        do_MKCALENDAR = do_MKCOL = do_PROPPATCH = do_HEAD = do_POST = _forward

    return Handler
