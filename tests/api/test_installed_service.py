"""The service as the README runs it: `pip install .` (not editable) into a fresh
virtual environment, `planner serve` started from the checkout's own folder, here with
two worker processes; its guide at /guide comes from the wheel.

Started from the checkout, the forkserver that runs the solves put the folder first on
its path, so the checkout's `planner/` (which has no `planner.bundled`: the data is
mapped into the wheel) hid the installed package: every POST /plans was a 500."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import httpx
import pytest

from tests.postgres_cluster import free_port

CHECKOUT = Path(__file__).resolve().parents[2]
SHIPPED = ("pyproject.toml", "README.md", "planner", "api", "data")


def install(checkout: Path, venv: Path) -> None:
    """`pip install .` of `checkout` into a new venv. The dependencies come from the test
    environment (a path entry, not a site folder: its editable install of this project
    stays out), so nothing is downloaded; the project itself is built and installed."""
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    site = venv / "lib" / f"python{sys.version_info.major}.{sys.version_info.minor}"
    (site / "site-packages" / "test-dependencies.pth").write_text(
        sysconfig.get_paths()["purelib"] + "\n"
    )
    pip = [str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", "--no-deps",
           "--no-build-isolation", "--no-index", "."]  # fmt: skip
    subprocess.run(pip, cwd=checkout, check=True, capture_output=True)


@pytest.fixture(scope="module")
def installed_service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SimpleNamespace]:
    root = tmp_path_factory.mktemp("installed")
    checkout = root / "checkout"
    for name in SHIPPED:
        source = CHECKOUT / name
        if source.is_dir():
            shutil.copytree(source, checkout / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            checkout.mkdir(exist_ok=True)
            shutil.copy(source, checkout / name)
    install(checkout, root / "venv")
    port = free_port()
    environment = {**os.environ, "PLANNER_DATA_DIR": str(root / "data")}
    environment.pop("PLANNER_PUBLIC_URL", None)
    log = root / "serve.log"
    with log.open("w") as sink:
        server = subprocess.Popen(
            [str(root / "venv" / "bin" / "planner"), "serve", "--port", str(port),
             "--workers", "2"],
            cwd=checkout, env=environment, stdout=sink, stderr=subprocess.STDOUT,
        )  # fmt: skip
    try:
        base_url = f"http://127.0.0.1:{port}"
        with httpx.Client(base_url=base_url, timeout=120) as http:
            wait_for_workers(log, server, 2)
            yield SimpleNamespace(http=http, log=log, base_url=base_url)
    finally:
        server.terminate()
        server.wait(timeout=60)


def wait_for_workers(log: Path, server: subprocess.Popen[bytes], workers: int) -> None:
    for _ in range(1200):  # up to a minute on a loaded machine
        if log.read_text().count("Application startup complete") >= workers:
            return
        if server.poll() is not None:
            break
        with pytest.raises(subprocess.TimeoutExpired):
            server.wait(timeout=0.05)
    pytest.fail(f"planner serve did not start:\n{log.read_text()}")


def requests_logged(log: Path) -> list[dict[str, Any]]:
    lines = [line for line in log.read_text().splitlines() if line.startswith("{")]
    return [entry for entry in map(json.loads, lines) if entry["event"] == "request"]


def test_plans_are_made_when_served_from_the_checkout(
    installed_service: SimpleNamespace, example_profile: dict[str, Any]
) -> None:
    created = installed_service.http.post("/plans", json={"profile": example_profile})
    assert created.status_code == 201, created.text
    assert created.json()["feed"]["url"].startswith(installed_service.base_url)


def test_no_worker_serves_a_calendar_a_replan_replaced(
    installed_service: SimpleNamespace, example_profile: dict[str, Any]
) -> None:
    http = installed_service.http
    created = http.post("/plans", json={"profile": example_profile}).json()
    feed = created["feed"]["url"]
    owner = {"Authorization": f"Bearer {created['owner_token']}"}

    def poll(times: int) -> set[str]:
        # A new connection each time: the kernel hands them to either worker.
        return {httpx.get(feed, timeout=60).headers["ETag"] for _ in range(times)}

    before = poll(20)
    # This server's today is the real one: change the plan without an as_of.
    done = http.post(f"/plans/{created['id']}/progress", headers=owner, json={"done": ["1"]})
    assert done.status_code == 200, done.text
    replanned = http.post(f"/plans/{created['id']}/replan", headers=owner)
    assert replanned.status_code == 200, replanned.text
    after = poll(20)
    assert len(before) == len(after) == 1 and before != after
    workers = {entry["worker"] for entry in requests_logged(installed_service.log)
               if entry["route"] == "/feeds/{feed_token}.ics"}  # fmt: skip
    assert len(workers) == 2


def test_the_guide_is_served_from_the_installed_package(
    installed_service: SimpleNamespace,
) -> None:
    """/guide comes from the wheel's copy of the built guide: no mkdocs, no checkout."""
    http = installed_service.http
    home = http.get("/guide/")
    assert home.status_code == 200 and "Find your way" in home.text
    for page in ("every-day/", "reference/profile/", "screenshots/plan.png"):
        assert http.get(f"/guide/{page}").status_code == 200, page
    bundle = next(part for part in home.text.split('"') if part.endswith(".min.js"))
    assert http.get(f"/guide/{bundle}").status_code == 200
