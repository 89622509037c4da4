"""Inputs that made the service answer 500 (issue 27): each is a 422 naming the field."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.api.owned_plans import create, owner


@pytest.mark.parametrize(
    "zone",
    ["Europe", "x" * 256, "../../etc/passwd"],  # a folder of the zone data, too long, a path
)
def test_a_zone_that_is_no_zone_is_refused(
    api_client: Any, example_profile: dict[str, Any], zone: str
) -> None:
    answer = api_client.post("/plans", json={"profile": {**example_profile, "timezone": zone}})
    assert answer.status_code == 422, answer.text
    assert "unknown time zone" in answer.text


def test_a_number_json_cannot_hold_is_refused_not_echoed(
    api_client: Any, example_profile: dict[str, Any]
) -> None:
    """1e400 reads as inf: the refusal names the field and echoes it as text."""
    text = json.dumps({"profile": {**example_profile, "pace": 1.0}}).replace(
        '"pace": 1.0', '"pace": 1e400'
    )
    answer = api_client.post("/plans", content=text, headers={"Content-Type": "application/json"})
    assert answer.status_code == 422, answer.text
    (problem,) = [p for p in answer.json()["detail"] if "pace" in p["loc"]][:1]
    assert problem["input"] == "inf"


@pytest.mark.parametrize("by", ["9999-12-31", "2000-01-01"])
def test_least_hours_by_a_day_out_of_reach_is_refused(
    api_client: Any, example_profile: dict[str, Any], by: str
) -> None:
    created = create(api_client, example_profile)
    answer = api_client.get(f"/plans/{created['id']}/least-hours?by={by}", headers=owner(created))
    assert answer.status_code == 422, answer.text
    assert answer.json()["detail"][0]["loc"] == ["query", "by"]
