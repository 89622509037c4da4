"""Issue 28: clicking a session in the plan's calendar shows its card — the topic's id
and title, which session of how many, its prerequisites and why, its items and links
(as the .ics DESCRIPTION has them) — and records Done or Missed from it. Events carry
the topic id, as the .ics SUMMARY does. At 1280 and 390 px, axe-clean."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import httpx
import pytest

from tests.browser.test_web_app import read_plan
from tests.serving import TODAY


@pytest.fixture(scope="module")
def created(live_server: Any, example_profile: dict[str, Any]) -> dict[str, Any]:
    response = httpx.post(
        f"{live_server.base_url}/plans", json={"profile": example_profile}, timeout=60
    )
    assert response.status_code == 201, response.text
    return response.json()  # type: ignore[no-any-return]


def private_link(live_server: Any, created: dict[str, Any], page: str = "") -> str:
    return f"{live_server.base_url}/plan/{created['id']}{page}#token={created['owner_token']}"


def roadmap_of(live_server: Any, created: dict[str, Any]) -> dict[str, Any]:
    response = httpx.get(
        f"{live_server.base_url}/plans/{created['id']}/roadmap",
        headers={"Authorization": f"Bearer {created['owner_token']}"},
    )
    return response.json()  # type: ignore[no-any-return]


@pytest.mark.parametrize("viewport", ["page", "phone_page"])
def test_a_sessions_card_shows_it_and_records_done(
    viewport: str,
    request: pytest.FixtureRequest,
    live_server: Any,
    created: dict[str, Any],
    check_accessibility: Any,
    save_screenshot: Any,
) -> None:
    page = request.getfixturevalue(viewport)
    page.goto(private_link(live_server, created))
    event = ".fc-event" if viewport == "page" else ".fc-list-event"
    page.wait_for_selector(event)
    page.click("button >> text=Earlier")  # last week: its sessions have happened
    plan = read_plan(live_server.base_url, created["id"], created["owner_token"])["plan"]
    monday = TODAY - timedelta(days=TODAY.weekday() + 7)
    last_week = {(monday + timedelta(days=offset)).isoformat() for offset in range(7)}
    session = min((s for s in plan["sessions"] if s["start"][:10] in last_week),
                  key=lambda s: s["start"])  # fmt: skip
    shown = page.locator(event).first
    assert f"{session['topic']} {session['title']}" in shown.inner_text(), "with its id"

    shown.click()
    card = page.locator("#session-card")
    card.wait_for()
    said = card.inner_text()
    assert f"{session['topic']} {session['title']}" in said
    own = sorted(
        (s for s in plan["sessions"] if s["topic"] == session["topic"]), key=lambda s: s["start"]
    )
    number = [s["uid"] for s in own].index(session["uid"]) + 1
    assert f"Session {number} of {len(own)} of {session['topic']}" in said, said
    roadmap = roadmap_of(live_server, created)
    topic = next(t for s in roadmap["sections"] for t in s["topics"] if t["id"] == session["topic"])
    assert topic["items"][0] in said and topic["links"][0]["title"] in said
    link = card.get_by_role("link", name=topic["links"][0]["title"])
    assert link.get_attribute("href") == topic["links"][0]["url"]
    for edge in (e for e in roadmap["edges"] if e["after"] == session["topic"]):
        assert edge["why"] in said
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], f"{width} px wide"
    check_accessibility(page)
    if viewport == "page":
        save_screenshot(page, "session-card")

    # It is over (last week): Done records it.
    card.get_by_role("button", name="Done", exact=True).click()
    page.wait_for_selector("#card-status >> text=Recorded: done")
    progress = read_plan(live_server.base_url, created["id"], created["owner_token"])["progress"]
    assert session["uid"] in progress["sessions"]
    card.get_by_role("button", name="Close").click()
    assert not card.is_visible()


def test_a_session_to_come_cannot_be_reported_yet(
    page: Any, live_server: Any, created: dict[str, Any]
) -> None:
    page.goto(private_link(live_server, created))
    page.wait_for_selector(".fc-event")
    page.locator(".fc-event").first.click()  # Monday 19:00; the clocks are at 12:00
    card = page.locator("#session-card")
    card.wait_for()
    assert "You can say how it went once it has started." in card.inner_text()
    assert card.get_by_role("button", name="Done", exact=True).count() == 0
    page.keyboard.press("Escape")
    assert not card.is_visible()


def test_the_today_page_opens_a_sessions_card_too(
    page: Any, live_server: Any, example_profile: dict[str, Any], check_accessibility: Any
) -> None:
    """Each session on Today has "What to study": the same card; Missed recorded from it
    shows at once in the Today list."""
    fresh = httpx.post(
        f"{live_server.base_url}/plans", json={"profile": example_profile}, timeout=60
    ).json()
    page.goto(private_link(live_server, fresh, "/today"))
    opener = page.locator("#sessions .card-open").first
    opener.wait_for()
    uid = opener.get_attribute("data-uid")
    session = next(s for s in fresh["plan"]["sessions"] if s["uid"] == uid)
    opener.click()
    card = page.locator("#session-card")
    card.wait_for()
    assert f"{session['topic']} {session['title']}" in card.inner_text()
    assert "Session 1 of " in card.inner_text()
    check_accessibility(page)
    card.get_by_role("button", name="Missed").click()
    page.wait_for_selector("#card-status >> text=Recorded: missed")
    card.get_by_role("button", name="Close").click()
    group = page.locator(f"#sessions fieldset[data-uid='{uid}']")
    assert group.locator("input[value=missed]").is_checked()
    progress = read_plan(live_server.base_url, fresh["id"], fresh["owner_token"])["progress"]
    recorded = [e for e in progress["sessions"] if isinstance(e, dict) and e["session"] == uid]
    assert recorded and recorded[0]["missed"] is True
