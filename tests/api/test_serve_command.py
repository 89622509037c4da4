"""`planner serve` starts the real service (uvicorn) with settings from the environment."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[str, subprocess.Popen[str]]]:
    port = free_port()
    environment = {**os.environ, "PLANNER_DATA_DIR": str(tmp_path / "data")}
    environment.pop("PLANNER_PUBLIC_URL", None)
    process = subprocess.Popen(
        [sys.executable, "-m", "planner", "serve", "--port", str(port)],
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        # Wait for uvicorn to say it listens (or for the end of its output).
        output = []
        assert process.stdout is not None
        for line in process.stdout:
            output.append(line)
            if "Uvicorn running on" in line:  # printed once the socket listens
                break
        else:
            pytest.fail("planner serve exited:\n" + "".join(output))
        yield base, process
    finally:
        process.terminate()
        process.wait(timeout=30)


def test_serve_answers_with_feed_links_on_its_own_address(
    served: tuple[str, Any], example_profile: dict[str, Any]
) -> None:
    base, _process = served
    created = httpx.post(f"{base}/plans", json={"profile": example_profile}, timeout=120).json()
    assert created["feed"]["https_url"].startswith(f"{base}/feeds/")
    feed = httpx.get(created["feed"]["https_url"], timeout=30)
    assert feed.status_code == 200 and feed.content.startswith(b"BEGIN:VCALENDAR")
