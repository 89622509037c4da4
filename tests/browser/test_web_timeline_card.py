"""Issue 28: a session's card opens from the timeline too (a section's name or bar lists
its sessions under the timeline; a session there opens the card), and the sessions the
last re-plan moved are marked in every view: the calendar's week and list, the timeline
(marks on the bar, "(moved)" in the section's list), the card and the Today page. At
1280 and 390 px, axe-clean, no sideways scroll."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.browser.test_web_session_card import private_link
from tests.serving import TODAY

MOVED_KEY = "roadmap-planner:moved"  # the tab's record of what the last re-plan moved


@pytest.fixture(scope="module")
def created(live_server: Any, example_profile: dict[str, Any]) -> dict[str, Any]:
    response = httpx.post(
        f"{live_server.base_url}/plans", json={"profile": example_profile}, timeout=60
    )
    assert response.status_code == 201, response.text
    return response.json()  # type: ignore[no-any-return]


def check_page(page: Any, check_accessibility: Any) -> None:
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], f"{width} px wide"
    check_accessibility(page)


def this_weeks_session(created: dict[str, Any]) -> dict[str, Any]:
    """This week's first session (the calendar opens on this week): the one 'moved'."""
    return min(
        (s for s in created["plan"]["sessions"] if s["start"][:10] >= TODAY.isoformat()),
        key=lambda s: s["start"],
    )


def section_of(created: dict[str, Any], live_server: Any, topic: str) -> dict[str, Any]:
    roadmap = httpx.get(
        f"{live_server.base_url}/plans/{created['id']}/roadmap",
        headers={"Authorization": f"Bearer {created['owner_token']}"},
    ).json()
    return next(s for s in roadmap["sections"] if any(t["id"] == topic for t in s["topics"]))


@pytest.mark.parametrize("viewport", ["page", "phone_page"])
def test_the_timeline_opens_a_sessions_card_and_moved_sessions_are_marked_everywhere(
    viewport: str,
    request: pytest.FixtureRequest,
    live_server: Any,
    created: dict[str, Any],
    check_accessibility: Any,
    save_screenshot: Any,
) -> None:
    page = request.getfixturevalue(viewport)
    moved = this_weeks_session(created)
    page.goto(private_link(live_server, created))
    page.evaluate(
        "([key, uid]) => sessionStorage.setItem(key, JSON.stringify([uid]))",
        [MOVED_KEY, moved["uid"]],
    )
    page.reload()
    title = f"{moved['topic']} {moved['title']}"

    # The calendar: the week view on a desktop, the list on a phone.
    event = ".fc-event.moved-session" if viewport == "page" else ".fc-list-event.moved-session"
    page.wait_for_selector(event)
    assert page.locator(event).count() == 1
    assert title in page.inner_text(event) and "(moved)" in page.inner_text(event)

    # The timeline: a mark on the section's bar, the legend says what it is.
    section = section_of(created, live_server, moved["topic"])
    assert page.locator(".timeline-moved").count() == 1
    assert "sessions the last re-plan moved" in page.inner_text("#timeline-legend")
    opener = page.get_by_role("button", name=f"{section['id']}. {section['title']}", exact=True)
    assert opener.get_attribute("aria-expanded") == "false"
    opener.click()
    assert opener.get_attribute("aria-expanded") == "true"
    listed = page.locator("#timeline-sessions .timeline-session")
    own = [s for s in created["plan"]["sessions"] if any(
        t["id"] == s["topic"] for t in section["topics"])]  # fmt: skip
    assert listed.count() == len(own)
    marked = page.locator("#timeline-sessions .timeline-session.moved-session")
    assert marked.count() == 1 and "(moved)" in marked.inner_text()
    assert title in marked.inner_text()
    check_page(page, check_accessibility)
    if viewport == "phone_page":
        save_screenshot(
            page, "phone-timeline-sessions", "section[aria-labelledby=timeline-heading]"
        )

    # Its card, from the timeline: the topic, which session, "moved".
    marked.click()
    card = page.locator("#session-card")
    card.wait_for()
    said = card.inner_text()
    assert title in said and "Moved by your last re-plan." in said
    number = sorted((s["start"], s["uid"]) for s in own if s["topic"] == moved["topic"])
    index = [uid for _, uid in number].index(moved["uid"]) + 1
    assert f"Session {index} of {len(number)} of {moved['topic']}" in said
    check_page(page, check_accessibility)
    card.get_by_role("button", name="Close").click()

    # Another session's card from the timeline says nothing of a move.
    other = page.locator("#timeline-sessions .timeline-session:not(.moved-session)").first
    other.click()
    card.wait_for()
    assert "Moved by" not in card.inner_text()
    card.get_by_role("button", name="Close").click()
    opener.click()  # closes the list
    assert page.locator("#timeline-sessions").is_hidden()

    # The Today page marks it too.
    page.goto(private_link(live_server, created, "/today"))
    on_today = page.locator(".session.moved-session")
    on_today.first.wait_for()
    assert on_today.count() == 1 and "(moved)" in on_today.inner_text()
    assert moved["title"] in on_today.inner_text()
    # Today (1 February, a Monday in Berlin) at the top: its session and the next one.
    assert f"{moved['title']} (moved)" in page.inner_text("#today-sessions")
    assert f"Next: {moved['title']} (moved)" in page.inner_text("#today-next")
    check_page(page, check_accessibility)
