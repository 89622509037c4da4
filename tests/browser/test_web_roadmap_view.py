"""Issue 28: the roadmap view in place of the tangled prerequisite graph — sections top
to bottom in the roadmap's order, topics as nodes coloured by status with their hours
and planned dates, no label cut, nothing to scroll sideways at 390 px; choosing a topic
marks what it needs first and what needs it. At 1280 and 390 px, axe-clean."""

from __future__ import annotations

from typing import Any

import httpx
import pytest


@pytest.fixture(scope="module")
def created(live_server: Any, example_profile: dict[str, Any]) -> dict[str, Any]:
    profile = {**example_profile, "skip": ["16"]}
    response = httpx.post(f"{live_server.base_url}/plans", json={"profile": profile}, timeout=60)
    assert response.status_code == 201, response.text
    return response.json()  # type: ignore[no-any-return]


@pytest.mark.parametrize("viewport", ["page", "phone_page"])
def test_the_roadmap_view_reads_at_every_width(
    viewport: str,
    request: pytest.FixtureRequest,
    live_server: Any,
    created: dict[str, Any],
    check_accessibility: Any,
    save_screenshot: Any,
) -> None:
    page = request.getfixturevalue(viewport)
    base = live_server.base_url
    page.goto(f"{base}/plan/{created['id']}#token={created['owner_token']}")
    page.wait_for_selector("#graph .rv-topic")
    headings = page.locator("#graph .rv-section h3").all_inner_texts()
    assert len(headings) == 16 and headings[0].startswith("1. Foundations")
    assert headings[15].startswith("16. Next Steps")
    tops = page.locator("#graph .rv-section").evaluate_all(
        "sections => sections.map((s) => s.getBoundingClientRect().top)"
    )
    assert tops == sorted(tops), "sections top to bottom, in order"
    assert page.locator("#graph .rv-topic").count() == 52
    assert page.locator("#graph .rv-topic.status-skipped").count() == 4, "section 16 skipped"
    first = page.locator('#graph .rv-topic[data-id="1.1"]')
    assert "1.1 Internet Fundamentals" in first.inner_text()
    assert "h ·" in first.inner_text(), "its hours and planned dates"
    cut = page.locator("#graph .rv-title").evaluate_all(
        "titles => titles.filter((t) => t.scrollWidth > t.clientWidth + 1).length"
    )
    assert cut == 0, f"{cut} labels cut"
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], f"{width} px wide"

    roadmap = httpx.get(
        f"{base}/plans/{created['id']}/roadmap",
        headers={"Authorization": f"Bearer {created['owner_token']}"},
    ).json()
    needs = {edge["before"] for edge in roadmap["edges"] if edge["after"] == "6.3"}
    needed_by = {edge["after"] for edge in roadmap["edges"] if edge["before"] == "6.3"}
    page.locator('#graph .rv-topic[data-id="6.3"]').click()
    marked = set(page.locator("#graph .rv-needed").evaluate_all("n => n.map((x) => x.dataset.id)"))
    assert marked == needs and needs
    dashed = page.locator("#graph .rv-needs-it").evaluate_all("n => n.map((x) => x.dataset.id)")
    assert set(dashed) == needed_by
    said = page.inner_text("#graph-selection")
    assert said.startswith("6.3 FastAPI needs first: "), said
    assert (
        page.get_by_role("button", name="6.3 FastAPI", exact=False).first.get_attribute(
            "aria-pressed"
        )
        == "true"
    )
    check_accessibility(page)
    page.locator("#graph-heading").scroll_into_view_if_needed()
    if viewport == "phone_page":  # the desktop's is the plan page's (plan.png)
        save_screenshot(page, "phone-roadmap-view")
    page.locator('#graph .rv-topic[data-id="6.3"]').click()
    assert page.locator("#graph .rv-needed").count() == 0, "chosen again: cleared"


@pytest.mark.parametrize("viewport", ["page", "phone_page"])
def test_the_timeline_has_a_date_axis_and_a_scroll_cue_on_a_phone(
    viewport: str, request: pytest.FixtureRequest, live_server: Any, created: dict[str, Any]
) -> None:
    """The example plan runs from January to August: a tick at the first of each month
    from February, inside the track; on a phone the timeline scrolls, and says so."""
    page = request.getfixturevalue(viewport)
    page.goto(f"{live_server.base_url}/plan/{created['id']}#token={created['owner_token']}")
    page.wait_for_selector(".timeline-bar")
    finish = created["plan"]["finish"][:7]
    ticks = page.locator(".timeline-axis .timeline-tick").all_inner_texts()
    months = ["Feb 2027", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sept", "Oct"]
    assert ticks == months[: len(ticks)] and len(ticks) == int(finish[5:7]) - 1, ticks
    lefts = page.locator(".timeline-axis .timeline-tick").evaluate_all(
        "ticks => ticks.map((t) => t.getBoundingClientRect().left)"
    )
    assert lefts == sorted(lefts)
    cue = page.locator("#timeline-scroll-cue")
    assert cue.is_visible() == (viewport == "phone_page")
