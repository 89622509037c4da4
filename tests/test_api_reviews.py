"""The service with reviews: a profile with `review` plans them, the feed carries them,
and progress marks them done by UID (checked when recorded)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from test_api import auth, create, feed_path


def test_reviews_in_the_plan_the_feed_and_the_progress(
    api_client: Any, example_profile: dict[str, Any]
) -> None:
    created = create(api_client, {**example_profile, "review": True})
    plan = created["plan"]
    reviews = [s for s in plan["sessions"] if s.get("kind") == "review"]
    assert plan["reviews"]["reviews"] == len(reviews) > 0
    first = min(reviews, key=lambda s: s["start"])
    assert first["uid"].startswith(f"python-backend-{first['topic']}-review1.")
    feed = api_client.get(feed_path(created)).text
    assert f"UID:{first['uid']}" in feed and "CATEGORIES:Review" in feed

    url = f"/plans/{created['id']}/progress"
    unknown = api_client.post(url, headers=auth(created), json={"sessions": ["nope"]})
    assert unknown.status_code == 422
    assert "sessions[0]: the plan has no session 'nope'" in unknown.text

    as_of = str(date.fromisoformat(first["start"][:10]) + timedelta(days=1))
    studied = sorted({s["topic"] for s in plan["sessions"] if s["end"][:10] < as_of})
    body = {"as_of": as_of, "done": studied, "sessions": [first["uid"]]}
    assert api_client.post(url, headers=auth(created), json=body).status_code == 200
    again = api_client.post(url, headers=auth(created), json={"sessions": [first["uid"]]})
    assert again.json()["progress"]["sessions"] == [first["uid"]]

    replanned = api_client.post(f"/plans/{created['id']}/replan", headers=auth(created), json={})
    assert replanned.status_code == 200, replanned.text
    after = {s["uid"]: s for s in replanned.json()["plan"]["sessions"]}
    assert after[first["uid"]]["done"] is True
