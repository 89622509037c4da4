"""The forecast through the service: the plan's answer carries it, a re-plan with
progress learns the learner's pace, and the what-if rows forecast at that pace."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from tests.api.owned_plans import create, owner

TOKYO = {
    "timezone": "Asia/Tokyo",
    "start": "2027-01-04",
    "weekly": {"mon": ["19:00-21:00"], "wed": ["19:00-21:00"], "sat": ["09:00-13:00"]},
    "hours": {"5.1": 6},
}


def test_a_replan_learns_the_pace_and_the_what_if_uses_it(api_client: Any) -> None:
    created = create(api_client, TOKYO)
    assert created["plan"]["forecast"]["topics"] == 0  # no pace yet: the estimates
    url = f"/plans/{created['id']}"
    twice = {"done": ["1.1", "1.2"], "hours": {"1.1": 8, "1.2": 12}}  # 2x their 4 h and 6 h
    saved = api_client.post(f"{url}/progress", headers=owner(created), json=twice)
    assert saved.status_code == 200, saved.text
    replanned = api_client.post(f"{url}/replan", headers=owner(created), json={})
    assert replanned.status_code == 200, replanned.text
    forecast = replanned.json()["plan"]["forecast"]
    assert (forecast["topics"], round(forecast["pace"], 2)) == (2, 1.91)
    assert forecast["finish_p50"] > replanned.json()["plan"]["finish"]
    whatif = api_client.get(f"{url}/whatif?hours_per_week=8", headers=owner(created))
    assert whatif.status_code == 200, whatif.text
    (row,) = whatif.json()["rows"]
    start = datetime.fromisoformat("2027-01-04T00:00:00+09:00")
    finish, p50, p90 = (
        datetime.fromisoformat(row[k]) for k in ("finish", "finish_p50", "finish_p90")
    )
    # The whole roadmap at 1.91x: far later than at the estimates (the prior alone
    # would put P50 within a few weeks of the finish).
    assert p50 - start > 1.4 * (finish - start)
    assert p90 > p50


def test_plan_with_my_pace_and_back_to_the_estimates(api_client: Any) -> None:
    created = create(api_client, TOKYO)
    url = f"/plans/{created['id']}"
    slower = {"done": ["1.1", "1.2"], "hours": {"1.1": 6, "1.2": 9}}  # 1.5x
    assert api_client.post(f"{url}/progress", headers=owner(created), json=slower).is_success
    hours: dict[str | None, float] = {}
    for pace in ("estimates", "learned", None, "estimates"):
        body = {"pace": pace} if pace else {}  # none: the last choice stays
        answer = api_client.post(f"{url}/replan", headers=owner(created), json=body)
        assert answer.status_code == 200, answer.text
        assert answer.json()["profile"]["pace"] == (1.0 if pace == "estimates" else "learned")
        hours[pace] = answer.json()["plan"]["planned_hours"]
    assert hours["learned"] == hours[None] > 1.4 * hours["estimates"]
    refused = api_client.post(f"{url}/replan", headers=owner(created), json={"pace": "fast"})
    assert refused.status_code == 422
