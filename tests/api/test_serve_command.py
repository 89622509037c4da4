"""`planner serve` starts the real service (uvicorn) with settings from the environment,
and survives its data folder turning read-only."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.postgres_cluster import free_port


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
    assert created["feed"]["url"].startswith(f"{base}/feeds/")
    feed = httpx.get(created["feed"]["url"], timeout=30)
    assert feed.status_code == 200 and feed.content.startswith(b"BEGIN:VCALENDAR")


@contextmanager
def read_only(folder: Path) -> Iterator[None]:
    """`folder` and its files made unwritable: immutable as root (whom permissions do not
    stop), read-only otherwise."""
    if os.geteuid() == 0:
        if shutil.which("chattr") is None:
            pytest.skip("chattr (e2fsprogs) is needed to make a folder immutable as root")
        made = subprocess.run(["chattr", "-R", "+i", str(folder)], capture_output=True)
        if made.returncode != 0:
            pytest.skip(f"this file system has no immutable flag: {made.stderr!r}")
        undo = ["chattr", "-R", "-i", str(folder)]
    else:
        subprocess.run(["chmod", "-R", "a-w", str(folder)], check=True)
        undo = ["chmod", "-R", "u+w", str(folder)]
    try:
        yield
    finally:
        subprocess.run(undo, check=True)


def test_a_read_only_data_folder_is_refused_not_a_crash(
    served: tuple[str, Any], example_profile: dict[str, Any], tmp_path: Path
) -> None:
    """With the folder made immutable and a WAL past 16 MB, the next write grew SQLite's
    memory-mapped WAL index into the immutable file: SIGBUS, the server gone without a
    log line."""
    base, process = served
    assert httpx.post(f"{base}/plans", json={"profile": example_profile}, timeout=120).is_success
    database = tmp_path / "data" / "planner.sqlite3"
    with sqlite3.connect(database) as bulk:  # 24 MB of writes, never checkpointed
        bulk.execute("PRAGMA wal_autocheckpoint = 0")
        bulk.execute("CREATE TABLE ballast (data BLOB)")
        bulk.executemany(
            "INSERT INTO ballast VALUES (?)", ([os.urandom(4000)] for _ in range(6000))
        )
    assert Path(f"{database}-wal").stat().st_size > 20 * 2**20
    with read_only(tmp_path / "data"):
        refused = httpx.post(f"{base}/plans", json={"profile": example_profile}, timeout=120)
        assert refused.status_code == 503
        assert refused.json()["detail"].endswith(
            "is read-only (or immutable): make the data folder writable; nothing was stored"
        )
        health = httpx.get(f"{base}/health", timeout=30)
        assert health.status_code == 503 and "read-only" in health.json()["database"]
        assert process.poll() is None, "the server is still running"
