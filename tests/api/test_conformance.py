"""What the bounded schemathesis run (test_schemathesis.py, every check) found, each as a
plain regression: the answers and the inputs the service reads match its OpenAPI schema.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.api.owned_plans import create, owner

PROGRESS = {"as_of": "2027-01-10"}


@pytest.fixture
def plan(api_client: Any, example_profile: dict[str, Any]) -> dict[str, Any]:
    profile = {**example_profile, "timezone": "Pacific/Chatham"}
    return create(api_client, profile)


def test_a_405_allows_every_method_of_the_path(api_client: Any, plan: dict[str, Any]) -> None:
    """Starlette's Allow named the first route's methods: GET, not DELETE."""
    answer = api_client.options(f"/plans/{plan['id']}", headers=owner(plan))
    assert answer.status_code == 405
    assert answer.headers["Allow"] == "DELETE, GET, PATCH"
    assert api_client.put("/roadmaps").headers["Allow"] == "GET"


@pytest.mark.parametrize("budget", ["2.9e-244", "0.1", "113"])
def test_a_weekly_budget_out_of_range_is_refused(
    api_client: Any, plan: dict[str, Any], budget: str
) -> None:
    """2.9e-244 hours a week was planned (200): the rule was only "more than 0"."""
    answer = api_client.get(
        f"/plans/{plan['id']}/whatif?hours_per_week={budget}", headers=owner(plan)
    )
    assert answer.status_code == 422, answer.text
    assert answer.json()["detail"][0]["loc"] == ["query", "hours_per_week", 0]


def test_a_body_that_cannot_be_read_is_a_422_like_any_unreadable_body(api_client: Any) -> None:
    """FastAPI answered 400, which no operation documents."""
    answer = api_client.post(
        "/roadmaps/preview", content=b"\x00R\xe4", headers={"Content-Type": "application/json"}
    )
    assert answer.status_code == 422, answer.text
    assert answer.json()["detail"] == [
        {"loc": ["body"], "msg": "There was an error parsing the body", "type": "json_invalid"}
    ]


def test_a_lone_surrogate_is_echoed_escaped(api_client: Any) -> None:
    """The 422 echoed "\\ud800" as it came, which UTF-8 cannot encode: a 500."""
    answer = api_client.post(
        "/roadmaps/preview", content=b'"\\ud800"', headers={"Content-Type": "application/json"}
    )
    assert answer.status_code == 422, answer.text
    assert answer.json()["detail"][0]["input"] == "\\ud800"


@pytest.mark.parametrize(
    ("report", "field"),
    [
        ({"missed": [{"from": 0, "to": "2027-01-05"}]}, "from"),  # was read as 1970-01-01
        ({"sessions": [{"session": "x@roadmap-planner", "missed": "yes"}]}, "missed"),
    ],
)
def test_progress_the_schema_refuses_is_refused(
    api_client: Any, plan: dict[str, Any], report: dict[str, Any], field: str
) -> None:
    answer = api_client.post(
        f"/plans/{plan['id']}/progress", headers=owner(plan), json={**PROGRESS, **report}
    )
    assert answer.status_code == 422, answer.text
    assert field in answer.json()["detail"][0]["loc"]


def test_the_schema_allows_a_session_done_as_planned_by_its_uid_alone(
    api_client: Any, plan: dict[str, Any]
) -> None:
    """The model reads a UID alone (its example shows one); the schema said an object."""
    schemas = api_client.get("/openapi.json").json()["components"]["schemas"]
    record = schemas["SessionRecord-Input"]
    assert {"type": "string", "minLength": 1} in record["anyOf"]
    uid = plan["plan"]["sessions"][0]["uid"]
    answer = api_client.post(
        f"/plans/{plan['id']}/progress", headers=owner(plan), json={"sessions": [uid]}
    )
    assert answer.status_code == 200, answer.text


def test_the_schema_asks_for_markdown_or_yaml(api_client: Any) -> None:
    """The model refuses neither and both; the schema allowed them (both optional)."""
    schemas = api_client.get("/openapi.json").json()["components"]["schemas"]
    forms = [branch["required"] for branch in schemas["OwnRoadmap"]["oneOf"]]
    assert forms == [["markdown"], ["yaml"]]
