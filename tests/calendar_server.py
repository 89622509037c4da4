"""A calendar server for tests: real HTTP on loopback (a thread of the test process),
serving the .ics fixtures with ETag and Last-Modified (304 on a match), plus the
answers a busy-calendar reader must survive: 404, an HTML page, redirects, a body of
50 MB (declared, or streamed without a length), and a calendar server that hangs: the
paths in `held` answer only once `release` is set. `requests` counts what it served."""

from __future__ import annotations

import hashlib
import threading
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

LAST_MODIFIED = "Fri, 01 Jan 2027 09:00:00 GMT"
FIFTY_MB = 50 * 1024 * 1024


@dataclass
class CalendarServer:
    """What the server serves (path -> bytes), changeable while it runs."""

    files: dict[str, bytes] = field(default_factory=dict)
    requests: Counter[str] = field(default_factory=Counter)
    port: int = 0
    held: set[str] = field(default_factory=set)  # these paths wait for `release`
    release: threading.Event = field(default_factory=threading.Event)
    holding: Counter[str] = field(default_factory=Counter)  # requests held open now
    changed: threading.Condition = field(default_factory=threading.Condition)

    def url(self, path: str, host: str = "127.0.0.1") -> str:
        return f"http://{host}:{self.port}{path}"

    def wait_until(self, condition: Callable[[], bool]) -> None:
        """Until `condition()` holds (checked whenever a request arrives or is let go);
        fails after a minute rather than hang the run."""
        with self.changed:
            if not self.changed.wait_for(condition, timeout=60):
                raise AssertionError("the calendar server never saw the requests expected")

    def hold(self, path: str) -> None:
        with self.changed:
            self.requests[path] += 1
            self.holding[path] += 1
            self.changed.notify_all()
        self.release.wait(timeout=600)
        with self.changed:
            self.holding[path] -= 1
            self.changed.notify_all()


def etag_of(body: bytes) -> str:
    return '"' + hashlib.sha256(body).hexdigest()[:16] + '"'


def _handler(server: CalendarServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: object) -> None:  # quiet
            pass

        def do_GET(self) -> None:
            path = self.path.split("?", 1)[0]
            if path in server.held:
                server.hold(path)
                self._send_calendar(server.files[path])
                return
            with server.changed:
                server.requests[path] += 1
                server.changed.notify_all()
            if path.startswith("/redirect/"):  # /redirect/<n>/<target path>
                _, _, hops, target = path.split("/", 3)
                left = int(hops) - 1
                location = f"/redirect/{left}/{target}" if left else f"/{target}"
                self._send(302, b"", [("Location", location)])
            elif path.startswith("/elsewhere/"):  # a redirect to another loopback address
                location = f"http://127.0.0.2:{server.port}/{path.split('/', 2)[2]}"
                self._send(302, b"", [("Location", location)])
            elif path == "/huge-declared.ics":
                self._send_stream(declared=True)
            elif path == "/huge-streamed.ics":
                self._send_stream(declared=False)
            elif path in server.files:
                self._send_calendar(server.files[path])
            else:
                self._send(404, b"not here", [("Content-Type", "text/plain")])

        def _send_calendar(self, body: bytes) -> None:
            etag = etag_of(body)
            if self.headers.get("If-None-Match") == etag:
                self._send(304, b"", [("ETag", etag)])
                return
            headers = [("ETag", etag), ("Last-Modified", LAST_MODIFIED)]
            kind = "text/html" if body.lstrip().startswith(b"<") else "text/calendar"
            self._send(200, body, [("Content-Type", kind), *headers])

        def _send(self, status: int, body: bytes, headers: list[tuple[str, str]]) -> None:
            self.send_response(status)
            for name, value in headers:
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def _send_stream(self, *, declared: bool) -> None:
            """50 MB of one calendar's text, written until the reader hangs up."""
            self.send_response(200)
            self.send_header("Content-Type", "text/calendar")
            if declared:
                self.send_header("Content-Length", str(FIFTY_MB))
            else:
                self.send_header("Connection", "close")
            self.end_headers()
            chunk = b"BEGIN:VCALENDAR\r\n" + b"X-PADDING:" + b"x" * 65_000 + b"\r\n"
            try:
                for _ in range(FIFTY_MB // len(chunk)):
                    self.wfile.write(chunk)
            except OSError:  # the reader stopped at its limit
                pass
            self.close_connection = True

    return Handler


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        # Readers hang up mid-answer on purpose here (size limits, TLS to plain HTTP).
        pass


@contextmanager
def serving(fixtures: Path) -> Iterator[CalendarServer]:
    """A running server with every .ics of `fixtures` at /<name>."""
    state = CalendarServer({f"/{p.name}": p.read_bytes() for p in sorted(fixtures.glob("*.ics"))})
    httpd = _QuietServer(("127.0.0.1", 0), _handler(state))
    state.port = httpd.server_address[1]
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        state.release.set()  # no request stays held past the test
        httpd.shutdown()
        httpd.server_close()
        thread.join()
