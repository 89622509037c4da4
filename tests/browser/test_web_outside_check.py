"""Issue 28's outside check, as a test: a learner in Pacific/Chatham fills the start form
from empty (no example week), names the plan and makes it, saves the private link, then
opens a session's card from each view — the calendar's list and week, the timeline, the
Today page — and every page of the plan is measured: nothing wider than the screen, no
label or title cut off. At 390 px (a phone) and at 1280 px."""

from __future__ import annotations

import re
from typing import Any

import pytest

# Every element of the page that carries words, checked for being cut: clipped by its own
# box (overflow hidden, an ellipsis) or reaching past the screen's edge outside a box that
# scrolls on purpose (the timeline, the calendar's grid).
CUT_LABELS = """() => {
  const cut = [];
  const screen = document.documentElement.clientWidth;
  const words = "label, legend, button, summary, th, td, h1, h2, h3, a, p, li, dt, dd,"
    + " .fc-event-title, .fc-list-event-title, .fc-toolbar-title, .timeline-tick";
  for (const element of document.querySelectorAll(words)) {
    const text = element.textContent.trim();
    if (!text || !element.checkVisibility() || element.closest(".visually-hidden, .skip-link"))
      continue;
    const box = element.getBoundingClientRect();
    if (box.width <= 1 || box.height <= 1) continue;  // not shown
    const style = getComputedStyle(element);
    const clipped = style.overflowX !== "visible" && element.scrollWidth > element.clientWidth + 1;
    const scrolls = element.closest(".scroll-x, .fc-scroller");
    const past = !scrolls && (box.right > screen + 1 || box.left < -1);
    if (clipped || past) cut.push(`${element.tagName.toLowerCase()}: ${text.slice(0, 60)}`);
  }
  return cut;
}"""
WEEK = {"mon": ("18:30", "20:30"), "wed": ("18:30", "20:30"), "thu": ("06:00", "07:30"),
        "sat": ("09:00", "12:00"), "sun": ("14:00", "17:00")}  # fmt: skip


def measure(page: Any, check_accessibility: Any) -> None:
    """The page as it is now: no sideways scroll, nothing cut, axe clean."""
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], f"{page.url}: {width} px wide"
    cut = page.evaluate(CUT_LABELS)
    assert not cut, f"{page.url}: cut off: {cut}"
    check_accessibility(page)


def open_card_and_close(page: Any, opener: Any) -> str:
    opener.click()
    card = page.locator("#session-card")
    card.wait_for()
    said = card.inner_text()
    assert re.search(r"Session \d+ of \d+ of \d+\.\d+", said), said
    assert "What to study" in said and "Needs first" in said
    card.get_by_role("button", name="Close").click()
    assert not card.is_visible()
    return said


@pytest.mark.parametrize("viewport", ["phone_page", "page"])
def test_a_learner_goes_from_an_empty_form_to_a_plan_and_its_sessions(
    viewport: str, request: pytest.FixtureRequest, live_server: Any, check_accessibility: Any
) -> None:
    page = request.getfixturevalue(viewport)
    phone = viewport == "phone_page"
    base = live_server.base_url
    page.goto(f"{base}/")
    assert page.locator(".window-row").count() == 0, "the form starts empty"
    measure(page, check_accessibility)

    page.select_option("#timezone", "Pacific/Chatham")
    for day, (start, end) in WEEK.items():
        box = page.locator(f".day[data-day={day}]")
        box.locator(".add-window").click()
        name = box.get_attribute("data-name")
        box.get_by_label(f"{name} window 1: from").fill(start)
        box.get_by_label(f"{name} window 1: to").fill(end)
    page.fill("#plan-name", "Evenings and weekends")
    page.click("summary >> text=2. Python Core")  # a section's topics, as a table
    page.click("summary >> text=More: caps")
    page.click("#add-goal")
    page.click("#add-busy")
    measure(page, check_accessibility)
    page.locator(".busy-row .remove").click()
    page.locator(".goal-row .remove").click()
    page.click("#make-plan")
    page.wait_for_url(re.compile(r"/plan/[0-9a-f]+$"))
    plan_url = page.url

    # The private link, saved; then the plan page as the learner sees it.
    page.locator("#save-link").wait_for()
    page.click("#save-link-done")
    assert page.inner_text("#plan-title").startswith("Evenings and weekends")
    page.wait_for_selector(".fc-list-event" if phone else ".fc-event")
    measure(page, check_accessibility)

    # A session in each view of the calendar: the list and the week.
    for view in ("List", "Week"):
        page.get_by_role("button", name=view, exact=True).click()
        event = page.locator(".fc-list-event" if view == "List" else ".fc-timegrid-event").first
        event.wait_for()
        open_card_and_close(page, event)
        measure(page, check_accessibility)

    # The timeline: a section's sessions, one opened.
    page.locator(".timeline-open").first.click()
    open_card_and_close(page, page.locator("#timeline-sessions .timeline-session").first)
    measure(page, check_accessibility)

    # Today: a session later this week, its card.
    page.click("nav >> text=Today")
    opener = page.locator(".card-open").first
    opener.wait_for()
    open_card_and_close(page, opener)
    measure(page, check_accessibility)

    # The plan's other pages, measured too.
    for path, ready in (
        ("/week", ".window-row"),
        ("/subscribe", "h1"),
        ("/whatif", "h1"),
    ):
        page.goto(plan_url + path)
        page.locator(ready).first.wait_for()
        page.wait_for_load_state("networkidle")
        measure(page, check_accessibility)
