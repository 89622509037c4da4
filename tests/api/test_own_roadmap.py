"""A learner's own roadmap through the service: Markdown in, a plan of its topics, its
feed, a re-plan and a what-if on it; bad roadmaps refused with the CLI's messages."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.api.owned_plans import feed_path, owner

FRONTEND = Path(__file__).parent.parent / "fixtures" / "markdown" / "frontend-roadmap.md"
PROFILE = {
    "timezone": "America/Los_Angeles",
    "start": "2027-02-01",
    "weekly": {"mon": ["19:00-21:00"], "wed": ["19:00-21:00"], "sat": ["09:00-12:00"]},
}


def test_a_pasted_markdown_roadmap_is_planned_fed_and_replanned(api_client: Any) -> None:
    body = {"own_roadmap": {"markdown": FRONTEND.read_text()}, "profile": PROFILE}
    created = api_client.post("/plans", json=body)
    assert created.status_code == 201, created.text
    plan = created.json()
    assert plan["roadmap"] == "frontend"
    topics = {session["topic"] for session in plan["plan"]["sessions"]}
    assert {"1.1", "2.1"} <= topics
    roadmap = api_client.get(f"/plans/{plan['id']}/roadmap", headers=owner(plan))
    assert roadmap.status_code == 200, roadmap.text
    assert roadmap.json()["title"] == "Frontend Developer Roadmap"
    assert [s["id"] for s in roadmap.json()["sections"]] == ["1", "2", "3"]
    assert api_client.get(f"/plans/{plan['id']}/roadmap").status_code in (401, 403, 404)
    feed = api_client.get(feed_path(plan))
    assert feed.status_code == 200 and "1.1 HTML Essentials" in feed.text
    again = api_client.post(f"/plans/{plan['id']}/replan", headers=owner(plan), json={})
    assert again.status_code == 200, again.text
    assert again.json()["roadmap_changed"] is None  # its own roadmap: nothing to upgrade
    whatif = api_client.get(f"/plans/{plan['id']}/whatif?hours_per_week=4", headers=owner(plan))
    assert whatif.status_code == 200, whatif.text
    least = api_client.get(
        f"/plans/{plan['id']}/least-hours?by=2027-06-01&goal=2", headers=owner(plan)
    )
    assert least.status_code == 200, least.text  # goal 2: a section of this roadmap


def test_a_bad_roadmap_is_refused_with_its_line(api_client: Any) -> None:
    markdown = "# Mine\n\n1. **A** (3 h)\n\n   1.1. **x** (1 h)\n   1.2. **y**\n"
    refused = api_client.post(
        "/plans", json={"own_roadmap": {"markdown": markdown}, "profile": PROFILE}
    )
    assert refused.status_code == 422
    assert refused.json()["detail"][0]["msg"].startswith("own_roadmap:6: topic 1.2 y has no hours")


def test_an_own_roadmap_may_not_take_the_bundled_id(api_client: Any) -> None:
    markdown = FRONTEND.read_text().replace("Frontend Developer", "Python Backend Developer")
    refused = api_client.post(
        "/plans", json={"own_roadmap": {"markdown": markdown}, "profile": PROFILE}
    )
    assert refused.status_code == 422
    assert "id 'python-backend' is the bundled roadmap's" in refused.text


def test_prerequisites_that_name_an_unknown_topic_are_refused(api_client: Any) -> None:
    edges = 'roadmap: frontend\nedges:\n  - {before: "9.9", after: "1.1", why: "w"}\n'
    own = {"markdown": FRONTEND.read_text(), "prerequisites": edges}
    refused = api_client.post("/plans", json={"own_roadmap": own, "profile": PROFILE})
    assert refused.status_code == 422
    assert "own_roadmap.prerequisites" in refused.text and "9.9" in refused.text


def test_a_roadmap_is_previewed_before_planning(api_client: Any) -> None:
    """POST /roadmaps/preview: the sections and hours a plan would be made of, or the
    refusal with its line; nothing stored."""
    preview = api_client.post("/roadmaps/preview", json={"markdown": FRONTEND.read_text()})
    assert preview.status_code == 200, preview.text
    body = preview.json()
    assert (body["id"], body["title"]) == ("frontend", "Frontend Developer Roadmap")
    assert [(s["id"], s["hours"]) for s in body["sections"]] == [
        ("1", 7.5),
        ("2", 12),
        ("3", 8.5),
    ]
    refused = api_client.post("/roadmaps/preview", json={"markdown": "# Mine\n\nno sections\n"})
    assert refused.status_code == 422
    assert refused.json()["detail"][0]["msg"].startswith("own_roadmap")
    both = api_client.post("/roadmaps/preview", json={"markdown": "# A", "yaml": "id: a"})
    assert both.status_code == 422
