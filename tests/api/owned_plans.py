"""Helpers the API tests share: create a plan (asserting 201), the owner's header, and
the feed's path on the server."""

from __future__ import annotations

from typing import Any


def create(client: Any, profile: dict[str, Any]) -> dict[str, Any]:
    response = client.post("/plans", json={"profile": profile})
    assert response.status_code == 201, response.text
    return response.json()  # type: ignore[no-any-return]


def owner(created: dict[str, Any]) -> dict[str, str]:
    return {"Authorization": f"Bearer {created['owner_token']}"}


def feed_path(created: dict[str, Any]) -> str:
    return "/" + created["feed"]["url"].split("/", 3)[3]


def made_by_a_previous_release(settings: Any, plan_id: str, topic: str, hours: float) -> None:
    """Make the stored plan `plan_id` look made from an earlier roadmap, in which `topic`
    had `hours` (its copy and digest say so), as after a release that changed it."""
    import json

    from sqlmodel import Session

    from api.database import make_engine
    from api.tables import PlanRecord

    engine = make_engine(settings)
    try:
        with Session(engine) as session:
            record = session.get(PlanRecord, plan_id)
            assert record is not None
            plan = json.loads(record.plan_json)
            for section in plan["made_from"]["roadmap"]["sections"]:
                for entry in section["topics"]:
                    if entry["id"] == topic:
                        section["hours"] += hours - entry["hours"]
                        entry["hours"] = hours
            plan["roadmap_digest"] = "sha256:" + "0" * 64  # the earlier release's
            record.plan_json = json.dumps(plan)
            session.add(record)
            session.commit()
    finally:
        engine.dispose()
