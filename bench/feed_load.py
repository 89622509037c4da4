"""Feed load: requests per second and latency for a cached feed on `planner serve`,
under wrk (Debian's `wrk`) on loopback."""

from __future__ import annotations

import json
import os
import re
import select
import shutil
import socket
import subprocess
import sys
import tempfile
import urllib.request
from pathlib import Path

from bench.instances import Instance

SECONDS, CONNECTIONS, THREADS = 10, 16, 2


def feed_load_section(instance: Instance) -> list[str]:
    """A Markdown section: wrk against a plain GET and a conditional GET (304) of one
    learner's feed; or why it could not run."""
    if shutil.which("wrk") is None:
        return ["Feed load: `wrk` is not installed (`apt-get install wrk`); not measured.", ""]
    with tempfile.TemporaryDirectory(prefix="bench-serve-") as folder:
        port = _free_port()
        environment = {**os.environ, "PLANNER_DATA_DIR": folder}
        environment.pop("PLANNER_PUBLIC_URL", None)
        # The server's log goes to a file: a pipe nobody reads would fill up and block
        # the server in the middle of the measurement.
        log = Path(folder) / "server.log"
        with log.open("w") as sink:
            server = subprocess.Popen(
                [sys.executable, "-m", "planner", "serve", "--port", str(port)],
                env=environment, stdout=sink, stderr=subprocess.STDOUT,
            )  # fmt: skip
        try:
            _wait_for_listening(log, server)
            url = _create_plan(port, instance)
            etag = urllib.request.urlopen(url).headers["ETag"]
            rows = [_wrk(url, "GET, 200 (whole calendar)", None),
                    _wrk(url, "GET If-None-Match, 304", etag)]  # fmt: skip
        finally:
            server.terminate()
            server.wait(timeout=30)
    return [
        f"### Feed under load ({instance.name}, {SECONDS} s, {CONNECTIONS} connections, "
        f"{THREADS} wrk threads, one uvicorn worker)",
        "",
        "| Request | Requests/s | p50 ms | p99 ms |",
        "|---|--:|--:|--:|",
        *rows,
        "",
    ]


def _wait_for_listening(log: Path, server: subprocess.Popen[bytes]) -> None:
    """Until uvicorn says it listens (its log line), or the server has exited."""
    with log.open() as lines:
        while server.poll() is None:
            line = lines.readline()
            if "Uvicorn running on" in line:
                return
            if not line:
                select.select([], [], [], 0.05)  # the log has no new line yet
    raise RuntimeError(f"planner serve exited: {log.read_text()}")


def _create_plan(port: int, instance: Instance) -> str:
    body = json.dumps(
        {"profile": instance.inputs.profile.model_dump(mode="json", by_alias=True)}
    ).encode()
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/plans", data=body, headers={"Content-Type": "application/json"}
    )
    created = json.load(urllib.request.urlopen(request, timeout=300))
    return str(created["feed"]["https_url"])


def _wrk(url: str, label: str, etag: str | None) -> str:
    command = ["wrk", f"-t{THREADS}", f"-c{CONNECTIONS}", f"-d{SECONDS}s", "--latency", url]
    if etag:
        command[1:1] = ["-H", f"If-None-Match: {etag}"]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    rate = re.search(r"Requests/sec:\s+([\d.]+)", output)
    p50 = re.search(r"50%\s+([\d.]+)(us|ms|s)", output)
    p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)", output)
    return (
        f"| {label} | {float(rate.group(1)) if rate else float('nan'):.0f} | "
        f"{_ms(p50)} | {_ms(p99)} |"
    )


def _ms(match: re.Match[str] | None) -> str:
    if match is None:
        return "—"
    value, unit = float(match.group(1)), match.group(2)
    return f"{value * {'us': 0.001, 'ms': 1.0, 's': 1000.0}[unit]:.1f}"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])
