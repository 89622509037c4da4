"""The feed links a plan comes with: `https_url` holds an https address or null, never
http (it held http://127.0.0.1… when PLANNER_PUBLIC_URL was unset); `url` is the feed's
address either way. The operator hears of a public URL that is not https in the log at
start, not the learner on the subscribe page. The links do not touch the database:
SQLite only."""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.settings import Settings
from tests.serving import service_app

NOT_HTTPS = (
    "feed links are built on http://192.168.1.20:8000, which is not https: Apple Calendar "
    "and Thunderbird subscribe to them (on this network), Google Calendar and Outlook "
    "cannot (they read only public https addresses); set PLANNER_PUBLIC_URL to the https "
    "address this service is reached at (behind a TLS proxy)"
)


def started(tmp_path: Path, public_url: str) -> TestClient:
    return TestClient(service_app(Settings(data_dir=tmp_path / "data", public_url=public_url)))


def warnings_logged(caplog: pytest.LogCaptureFixture) -> list[dict[str, Any]]:
    """The service's warnings about its public URL (others, such as no secret key for
    calendar passwords, are another setting's)."""
    logged = [
        json.loads(record.getMessage())
        for record in caplog.records
        if record.name == "planner.api" and record.levelno == logging.WARNING
    ]
    return [entry for entry in logged if entry["event"].startswith("public_url")]


def test_an_http_feed_has_no_https_url_and_the_operator_is_told_at_start(
    tmp_path: Path, example_profile: dict[str, Any], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="planner.api")
    with started(tmp_path, "http://192.168.1.20:8000") as client:
        assert warnings_logged(caplog) == [{"event": "public_url_not_https", "warning": NOT_HTTPS}]
        feed = client.post("/plans", json={"profile": example_profile}).json()["feed"]
    assert feed["https_url"] is None
    assert feed["url"].startswith("http://192.168.1.20:8000/feeds/")
    assert feed["webcal_url"] == "webcal://" + feed["url"].removeprefix("http://")
    schema = client.get("/openapi.json").json()["components"]["schemas"]["FeedLinks"]
    assert "https_url" in schema["required"] and "url" in schema["required"]


def test_an_https_feed_has_its_https_url_and_nothing_is_logged(
    tmp_path: Path, example_profile: dict[str, Any], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="planner.api")
    with started(tmp_path, "https://plans.example.org/") as client:
        feed = client.post("/plans", json={"profile": example_profile}).json()["feed"]
    assert warnings_logged(caplog) == []
    assert feed["https_url"] == feed["url"]
    assert feed["url"].startswith("https://plans.example.org/feeds/")
    assert feed["webcal_url"] == "webcal://" + feed["url"].removeprefix("https://")
