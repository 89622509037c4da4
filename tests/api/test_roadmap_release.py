"""A release that changes the bundled roadmap: a stored plan stays on its version until
its owner re-plans; then it is upgraded, and the answer says how the roadmap changed."""

from __future__ import annotations

import json
from typing import Any

from sqlmodel import Session

from api.database import make_engine
from api.tables import PlanRecord
from tests.api.owned_plans import create, owner


def test_a_plan_of_the_previous_release_is_upgraded_on_replan(
    api_client: Any, api_settings: Any, example_profile: dict[str, Any]
) -> None:
    """The stored plan made from a roadmap where 7.1 had 1 h (its copy and digest say
    so): the re-plan upgrades it to this release's 2 h and says it."""
    created = create(api_client, example_profile)
    engine = make_engine(api_settings)
    try:
        with Session(engine) as session:
            record = session.get(PlanRecord, created["id"])
            assert record is not None
            plan = json.loads(record.plan_json)
            for section in plan["made_from"]["roadmap"]["sections"]:
                for topic in section["topics"]:
                    if topic["id"] == "7.1":
                        topic["hours"] = 1
                        section["hours"] -= 1
            plan["roadmap_digest"] = "sha256:" + "0" * 64  # the previous release's
            record.plan_json = json.dumps(plan)
            session.add(record)
            session.commit()
    finally:
        engine.dispose()
    answer = api_client.post(f"/plans/{created['id']}/replan", headers=owner(created), json={})
    assert answer.status_code == 200, answer.text
    assert answer.json()["roadmap_changed"] == "Roadmap changed: 7.1 1 → 2 h (+1 h planned)"
    again = api_client.post(f"/plans/{created['id']}/replan", headers=owner(created), json={})
    assert again.json()["roadmap_changed"] is None  # upgraded once
