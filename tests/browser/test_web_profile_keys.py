"""Issue 28: the last profile keys the start form could not say — a re-plan's
`replan.keep_days`, a busy calendar's `buffer_minutes`, `all_day` and `me`, the holidays'
`categories`, and a pace for one topic — said in the form, filled back by "Change my
week", a refusal beside its field. At 1280 and 390 px."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.browser.test_web_app import owner_token, read_plan

VIEWPORTS = ["page", "phone_page"]
KEEP_DAYS = "A re-plan keeps your next days as they were: how many"


def check_page(page: Any, check_accessibility: Any) -> None:
    """No sideways scroll, and axe finds nothing."""
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], f"{width} px wide"
    check_accessibility(page)


def make_plan(page: Any) -> tuple[str, str]:
    """The form sent; the new plan's id and owner token."""
    page.click("#make-plan")
    page.wait_for_url(re.compile(r"/plan/[0-9a-f]+$"))
    plan_id = page.url.rsplit("/", 1)[1]
    return plan_id, owner_token(page, plan_id)


def change_week(page: Any, base: str, plan_id: str) -> None:
    page.goto(f"{base}/plan/{plan_id}/week")
    page.get_by_label("Monday window 1: from").wait_for()


def replan(page: Any) -> None:
    page.click("#make-plan")
    page.locator("#replan-result h3").wait_for()


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_keep_days_is_planned_refused_and_changed(
    viewport: str, request: pytest.FixtureRequest, live_server: Any, check_accessibility: Any
) -> None:
    page = request.getfixturevalue(viewport)
    base = live_server.base_url
    page.goto(f"{base}/")
    page.click("#example-week")
    page.locator("details.more > summary").click()
    keep_days = page.get_by_label(KEEP_DAYS)
    keep_days.fill("400")
    page.click("#make-plan")
    error = page.locator("[data-loc='profile.replan.keep_days'] .field-error")
    error.wait_for()
    assert "365" in error.inner_text()
    keep_days.fill("30")
    check_page(page, check_accessibility)
    plan_id, token = make_plan(page)
    assert read_plan(base, plan_id, token)["profile"]["replan"] == {"keep_days": 30}

    change_week(page, base, plan_id)
    assert page.get_by_label(KEEP_DAYS).input_value() == "30"
    page.locator("details.more > summary").click()
    page.get_by_label(KEEP_DAYS).fill("3")
    replan(page)
    assert read_plan(base, plan_id, token)["profile"]["replan"] == {"keep_days": 3}


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_holiday_categories_are_planned_and_changed(
    viewport: str, request: pytest.FixtureRequest, live_server: Any, check_accessibility: Any
) -> None:
    page = request.getfixturevalue(viewport)
    base = live_server.base_url
    page.goto(f"{base}/")
    page.click("#example-week")
    page.select_option("#holiday-country", "US")
    categories = page.get_by_label("Also these kinds of holiday (optional)")
    categories.fill("bank holidays")
    page.click("#make-plan")
    error = page.locator("[data-loc='profile.holidays'] .field-error")
    error.wait_for()
    assert "bank" in error.inner_text()
    categories.fill("government, unofficial")
    check_page(page, check_accessibility)
    plan_id, token = make_plan(page)
    holidays = read_plan(base, plan_id, token)["profile"]["holidays"]
    assert holidays["categories"] == ["government", "unofficial"]

    change_week(page, base, plan_id)
    assert categories.input_value() == "government, unofficial"
    categories.fill("government")
    replan(page)
    holidays = read_plan(base, plan_id, token)["profile"]["holidays"]
    assert holidays["categories"] == ["government"]


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_busy_calendar_options_are_sent_and_refused_beside_their_field(
    viewport: str, request: pytest.FixtureRequest, live_server: Any, check_accessibility: Any
) -> None:
    """Each calendar has its own options; one out of bounds is refused beside itself, on
    its calendar (before any calendar is read, so no calendar server is needed)."""
    page = request.getfixturevalue(viewport)
    page.goto(f"{live_server.base_url}/")
    page.click("#example-week")
    for name in ("a", "b"):
        page.click("#add-busy")
        number = 1 if name == "a" else 2
        page.get_by_label(f"Calendar {number}: address").fill(
            f"https://calendar.example.org/{name}.ics"
        )
    page.locator(".busy-row:nth-child(2) details.busy-options > summary").click()
    page.get_by_label("Calendar 2: minutes kept free before and after each event").fill("300")
    page.get_by_label("Calendar 2: an event all day long").select_option("ignore")
    page.get_by_label("Calendar 2: your e-mail addresses (optional)").fill(
        "me@example.org, me@work.example"
    )
    check_page(page, check_accessibility)
    with page.expect_request(lambda sent: sent.url.endswith("/plans")) as sent:
        page.click("#make-plan")
    defaults = {"buffer_minutes": 0, "all_day": "blackout", "me": []}
    options = {"buffer_minutes": 300, "all_day": "ignore"}
    assert sent.value.post_data_json["profile"]["busy"] == [
        {"ics": "https://calendar.example.org/a.ics", **defaults},
        {"ics": "https://calendar.example.org/b.ics", **options,
         "me": ["me@example.org", "me@work.example"]},
    ]  # fmt: skip
    error = page.locator("[data-loc='profile.busy.1.buffer_minutes'] .field-error")
    error.wait_for()
    assert "240" in error.inner_text()
    assert page.locator("[data-loc='profile.busy.0'] .field-error").count() == 0
    assert page.url.endswith("/")


def topic_pace(page: Any, topic: str) -> Any:
    """A topic's pace field, its section opened."""
    field = page.locator(f".topics[data-roadmap=python-backend] .topic-pace[data-id='{topic}']")
    field.evaluate("(input) => (input.closest('details').open = true)")
    return field


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_a_pace_per_topic_is_planned_and_changed(
    viewport: str, request: pytest.FixtureRequest, live_server: Any, check_accessibility: Any
) -> None:
    page = request.getfixturevalue(viewport)
    base = live_server.base_url
    page.goto(f"{base}/")
    page.click("#example-week")
    topic_pace(page, "4.1").fill("1.5")
    assert page.get_by_label(re.compile(r"^Your pace for 4\.1 ")).input_value() == "1.5"
    check_page(page, check_accessibility)
    plan_id, token = make_plan(page)
    assert read_plan(base, plan_id, token)["profile"]["pace"] == {"4.1": 1.5}

    change_week(page, base, plan_id)
    assert topic_pace(page, "4.1").input_value() == "1.5"
    topic_pace(page, "4.1").fill("")
    topic_pace(page, "4.2").fill("2")
    replan(page)
    assert read_plan(base, plan_id, token)["profile"]["pace"] == {"4.2": 2.0}
