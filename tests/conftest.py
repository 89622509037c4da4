"""Shared pytest fixtures."""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-expected",
        action="store_true",
        help="Rewrite the golden files in tests/fixtures/expected/ (review the diff!).",
    )


@pytest.fixture
def update_expected(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-expected"))


# --- ical.js reader ---------------------------------------------------------
# tests/icaljs holds a pinned ical.js (the iCalendar parser of Thunderbird and
# many web apps) and read_ics.mjs, which prints the UTC instants ical.js
# computes for each VEVENT from the file's own VTIMEZONEs.

ICALJS_DIR = Path(__file__).resolve().parent / "icaljs"
ICALJS_READER = ICALJS_DIR / "read_ics.mjs"


def _require_tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.fail(
            f"`{name}` is not on PATH. The ical.js interoperability tests need Node.js "
            f"(node and npm, v18 or newer): install it, e.g. `apt-get install nodejs npm`.",
            pytrace=False,
        )
    return path


def _install_icaljs(npm: str) -> None:
    """`npm ci` from the committed package-lock.json, once, if not yet installed."""
    if (ICALJS_DIR / "node_modules" / "ical.js" / "package.json").is_file():
        return
    command = [npm, "ci", "--prefix", str(ICALJS_DIR), "--no-audit", "--no-fund"]
    result = subprocess.run(command, capture_output=True, text=True, check=False, timeout=600)
    if result.returncode != 0:
        pytest.fail(
            f"{' '.join(command)} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}",
            pytrace=False,
        )


@pytest.fixture(scope="session")
def read_with_icaljs() -> Callable[[Path], list[dict[str, Any]]]:
    """Callable ``(ics_path) -> list of VEVENT dicts`` as read by ical.js.

    Each dict has uid, summary, sequence, start_utc, end_utc ("...Z") and tzid.
    """
    node = _require_tool("node")
    _install_icaljs(_require_tool("npm"))

    def read(ics_path: Path) -> list[dict[str, Any]]:
        result = subprocess.run(
            [node, str(ICALJS_READER), str(Path(ics_path).resolve())],
            capture_output=True,
            text=True,
            check=False,
            timeout=120,
        )
        if result.returncode != 0:
            raise AssertionError(f"ical.js could not read {ics_path}:\n{result.stderr}")
        events: list[dict[str, Any]] = json.loads(result.stdout)
        return events

    return read


# --- the service on SQLite (tests/api/conftest.py runs it on PostgreSQL too) ------------


@pytest.fixture
def api_settings(tmp_path: Path) -> Any:
    """Settings for a fresh service on a SQLite file of its own."""
    from api.settings import Settings

    return Settings(data_dir=tmp_path / "data", public_url="https://plans.example.org")


@pytest.fixture
def api_client(api_settings: Any) -> Any:
    """A TestClient on a fresh app (migrations applied by its start-up)."""
    from fastapi.testclient import TestClient

    from tests.serving import service_app

    with TestClient(service_app(api_settings)) as client:
        yield client


@pytest.fixture(scope="module")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """The service on a real uvicorn (see tests.serving.serving), one per test module."""
    from api.settings import Settings
    from tests.serving import serving

    with serving(Settings(data_dir=tmp_path_factory.mktemp("live") / "data")) as server:
        yield server


# --- the example learner, as a client sends it ------------------------------------------


@pytest.fixture(scope="session")
def example_profile() -> dict[str, Any]:
    """The bundled example profile as a JSON-ready dict (what a client would send)."""
    import yaml

    from planner.inputs.loading import bundled_file

    with bundled_file("profiles/example.yaml") as path:
        loaded = yaml.safe_load(path.read_text(encoding="utf-8"))
    return json.loads(json.dumps(loaded, default=str))


# --- the bundled roadmap and the example learner -------------------------------------------


@pytest.fixture(scope="session")
def inputs() -> Any:
    """PlanInputs of the bundled roadmap, its prerequisites and the example profile."""
    from planner.inputs.loading import bundled_file, load_prerequisites, load_profile, load_roadmap
    from planner.inputs.plan_inputs import PlanInputs

    with (
        bundled_file("roadmap.yaml") as roadmap,
        bundled_file("prerequisites.yaml") as prerequisites,
        bundled_file("profiles/example.yaml") as profile,
    ):
        return PlanInputs(
            load_roadmap(roadmap), load_prerequisites(prerequisites), load_profile(profile)
        )
