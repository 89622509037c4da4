"""Issue 28: the start form says what the profile YAML says — goals with their dates,
public holidays (a day off or a blackout), busy calendars, review settings, hours per
section — starts empty with an example week a click away, shows refusals beside their
field in a learner's words, and "Change my week" re-plans an existing plan with the
changed profile. A Seoul learner who works on weekdays, at 1280 and 390 px."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.browser.test_web_app import owner_token, read_plan

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri")


def fill_seoul_week(page: Any) -> None:
    """Monday to Friday 20:00-21:00, Saturday 09:00-13:00, in Seoul."""
    page.select_option("#timezone", "Asia/Seoul")
    for day in (*WEEKDAYS, "sat"):
        box = page.locator(f".day[data-day={day}]")
        box.locator(".add-window").click()
        name = box.get_attribute("data-name")
        start, end = ("09:00", "13:00") if day == "sat" else ("20:00", "21:00")
        box.get_by_label(f"{name} window 1: from").fill(start)
        box.get_by_label(f"{name} window 1: to").fill(end)


def test_the_form_starts_empty_and_offers_an_example_week(
    page: Any, live_server: Any, check_accessibility: Any
) -> None:
    page.goto(f"{live_server.base_url}/")
    assert page.locator(".window-row").count() == 0
    assert page.inner_text("#week-total") == "0 h a week in 0 windows."
    assert (
        page.locator(".topic-hours").evaluate_all("inputs => inputs.map(i => i.value)")
        == [""] * page.locator(".topic-hours").count()
    )
    page.click("#example-week")
    assert page.inner_text("#week-total") == "8 h a week in 3 windows."
    assert page.get_by_label("Monday window 1: from").input_value() == "19:00"
    page.click("#example-week")  # twice: the example once, not twice
    assert page.inner_text("#week-total") == "8 h a week in 3 windows."
    check_accessibility(page)


def test_the_whole_profile_from_the_form(
    page: Any, live_server: Any, check_accessibility: Any, save_screenshot: Any
) -> None:
    """Goals with a date, Korea's holidays as days off, reviews of 30 minutes, 30 h for
    section 4, a pace: what the form sends is the profile the YAML would be."""
    base = live_server.base_url
    page.goto(f"{base}/")
    fill_seoul_week(page)
    page.click("#add-goal")
    page.get_by_label("Goal 1: topic or section").fill("6.3")
    page.get_by_label("Goal 1: reached by (optional)").fill("2027-05-01")
    page.get_by_label("Plan only the goals and what they need").check()
    page.select_option("#holiday-country", "KR")
    assert page.is_checked("#holiday-day-off"), "a day off is the default"
    page.get_by_label("Plan short reviews of what I studied").check()
    page.get_by_label("Minutes a review").fill("30")
    page.get_by_label("Days after a topic").fill("2, 14")
    page.click("summary >> text=4. Databases")
    page.get_by_label("Your hours for all of section 4").fill("30")
    page.click("summary >> text=More: caps")
    page.fill("#pace", "1.2")
    check_accessibility(page)
    save_screenshot(page, "start-whole-profile")
    page.click("#make-plan")
    page.wait_for_url(re.compile(r"/plan/[0-9a-f]+$"))
    plan_id = page.url.rsplit("/", 1)[1]
    profile = read_plan(base, plan_id, owner_token(page, plan_id))["profile"]
    assert profile["timezone"] == "Asia/Seoul"
    assert profile["goals"] == [{"topic": "6.3", "by": "2027-05-01"}]
    assert profile["holidays"]["country"] == "KR" and profile["holidays"]["as"] == "day_off"
    assert profile["review"]["minutes"] == 30 and profile["review"]["after_days"] == [2, 14]
    assert profile["hours"] == {"4": 30.0} and profile["pace"] == 1.2


def test_a_refusal_is_shown_beside_its_field_in_a_learners_words(
    page: Any, live_server: Any
) -> None:
    page.goto(f"{live_server.base_url}/")
    page.click("#example-week")
    page.click("#add-goal")
    page.click("#add-goal")
    page.get_by_label("Goal 1: topic or section").fill("6.3")
    page.get_by_label("Goal 2: topic or section").fill("6.9")
    page.click("#make-plan")
    error = page.locator("[data-loc='profile.goals.1'] .field-error")
    error.wait_for()
    said = error.inner_text()
    assert "6.9" in said and "planner topics" not in said and "`" not in said, said
    assert "no topic or section 6.9 in this roadmap" in said, said
    assert page.get_by_label("Goal 2: topic or section").get_attribute("aria-invalid") == "true"
    assert page.locator("[data-loc='profile.goals.0'] .field-error").count() == 0


@pytest.mark.parametrize("viewport", ["page", "phone_page"])
def test_change_my_week_replans_with_the_changed_profile(
    viewport: str,
    request: pytest.FixtureRequest,
    live_server: Any,
    check_accessibility: Any,
    save_screenshot: Any,
) -> None:
    """The plan's profile in the form; a Sunday window and holidays as days off added,
    the plan is made again with them and says what changed."""
    page = request.getfixturevalue(viewport)
    base = live_server.base_url
    page.goto(f"{base}/")
    fill_seoul_week(page)
    page.click("#add-goal")
    page.get_by_label("Goal 1: topic or section").fill("6.3")
    page.get_by_label("Plan only the goals and what they need").check()
    page.click("#make-plan")
    page.wait_for_url(re.compile(r"/plan/[0-9a-f]+$"))
    plan_id = page.url.rsplit("/", 1)[1]
    before = read_plan(base, plan_id, owner_token(page, plan_id))

    page.click("nav >> text=Change my week")
    page.wait_for_url(re.compile(r"/week$"))
    page.get_by_label("Saturday window 1: from").wait_for()
    assert page.get_by_label("Saturday window 1: from").input_value() == "09:00"
    assert page.get_by_label("Goal 1: topic or section").input_value() == "6.3"
    assert page.input_value("#timezone") == "Asia/Seoul"
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], f"{width} px wide"
    check_accessibility(page)
    sunday = page.locator(".day[data-day=sun]")
    sunday.locator(".add-window").click()
    sunday.get_by_label("Sunday window 1: from").fill("14:00")
    sunday.get_by_label("Sunday window 1: to").fill("18:00")
    page.select_option("#holiday-country", "KR")
    page.click("#make-plan")
    page.locator("#replan-result h3").wait_for()
    assert "What the re-plan changed" in page.inner_text("#replan-result")
    after = read_plan(base, plan_id, owner_token(page, plan_id))
    assert after["profile"]["weekly"]["sun"] == ["14:00-18:00"]
    assert after["profile"]["holidays"]["country"] == "KR"
    assert after["plan"]["finish"] < before["plan"]["finish"]
    if viewport == "page":
        save_screenshot(page, "change-my-week")


def test_a_busy_calendar_refused_is_said_beside_its_field(page: Any, live_server: Any) -> None:
    """Only public URLs are read (the SSRF rules): a file name and a loopback address
    are refused, in words, beside that calendar's address; nothing is planned."""
    page.goto(f"{live_server.base_url}/")
    page.click("#example-week")
    page.click("#add-busy")
    page.click("#add-busy")
    page.get_by_label("Calendar 1: address").fill("https://calendar.example.org/a.ics")
    busy = page.get_by_label("Calendar 2: address")
    error = page.locator("[data-loc='profile.busy.1.ics'] .field-error")
    busy.fill("work.ics")
    page.click("#make-plan")
    error.wait_for()
    assert "reads busy calendars by URL (http, https or webcal)" in error.inner_text()
    page.get_by_label("Calendar 1: address").fill("http://127.0.0.1:9/private/basic.ics")
    busy.fill("https://calendar.example.org/b.ics")
    page.click("#make-plan")
    first = "[data-loc='profile.busy.0.ics'] .field-error"
    page.wait_for_selector(f"{first} >> text=not a public address")
    assert "private" not in page.inner_text(first), "the secret part of the address stays hidden"
    assert page.get_by_label("Calendar 1: address").get_attribute("aria-invalid") == "true"
    assert page.url == f"{live_server.base_url}/"


def test_busy_calendars_are_tested_before_planning(page: Any, live_server: Any) -> None:
    """ "Test the new addresses" reads each address once and says what it read, or why
    not, under that address (the service refuses loopback addresses: the SSRF rules)."""
    page.goto(f"{live_server.base_url}/")
    page.click("#test-busy")  # no calendar yet: a row to type one in
    page.get_by_label("Calendar 1: address").fill("work.ics")
    page.click("#add-busy")
    page.get_by_label("Calendar 2: address").fill("http://127.0.0.1:9/private/basic.ics")
    page.click("#test-busy")
    results = page.locator(".busy-row .busy-result")
    page.wait_for_selector(".busy-row:nth-child(2) .busy-result >> text=Not read")
    said = results.all_inner_texts()
    assert "by URL (http, https or webcal), not by file name" in said[0], said
    assert "not a public address" in said[1] and "private" not in said[1], said


def test_change_my_week_keeps_an_own_roadmaps_hours_and_skips(
    page: Any, live_server: Any, example_profile: dict[str, Any]
) -> None:
    """An own roadmap has no topic tree in the form: what the profile says of its topics
    (hours, skips) is sent back as it was, not emptied."""
    import httpx

    from tests.browser.test_web_own_roadmap import FRONTEND

    base = live_server.base_url
    profile = {**example_profile, "hours": {"1.1": 5}, "skip": ["1.2"]}
    body = {"own_roadmap": {"markdown": FRONTEND.read_text(encoding="utf-8")}, "profile": profile}
    created = httpx.post(f"{base}/plans", json=body, timeout=60).json()
    page.goto(f"{base}/plan/{created['id']}/week#token={created['owner_token']}")
    page.get_by_label("Monday window 1: from").wait_for()
    sunday = page.locator(".day[data-day=sun]")
    sunday.locator(".add-window").click()
    sunday.get_by_label("Sunday window 1: from").fill("10:00")
    sunday.get_by_label("Sunday window 1: to").fill("12:00")
    page.click("#make-plan")
    page.locator("#replan-result h3").wait_for()
    after = read_plan(base, created["id"], created["owner_token"])["profile"]
    assert after["weekly"]["sun"] == ["10:00-12:00"]
    assert after["hours"] == {"1.1": 5.0} and after["skip"] == ["1.2"]


def test_a_state_is_chosen_by_its_name(page: Any, live_server: Any) -> None:
    """A Los Angeles learner: the United States, then California by name; Korea has no
    subdivision to choose. California's holidays as blackouts reach the profile."""
    base = live_server.base_url
    page.goto(f"{base}/")
    page.select_option("#timezone", "America/Los_Angeles")
    page.click("#example-week")
    subdivision = page.get_by_label("State or region (optional)")
    page.select_option("#holiday-country", "KR")
    assert subdivision.is_disabled()
    page.select_option("#holiday-country", "US")
    page.select_option("#holiday-subdivision", label="California (CA)")
    page.get_by_label("I do not study on holidays").check()
    assert page.locator("#holiday-like").is_disabled(), "Saturday's windows: day off only"
    page.click("#add-goal")
    page.get_by_label("Goal 1: topic or section").fill("1")
    page.get_by_label("Plan only the goals and what they need").check()
    page.click("#make-plan")
    page.wait_for_url(re.compile(r"/plan/[0-9a-f]+$"))
    plan_id = page.url.rsplit("/", 1)[1]
    holidays = read_plan(base, plan_id, owner_token(page, plan_id))["profile"]["holidays"]
    assert (holidays["country"], holidays["subdivision"], holidays["as"]) == (
        "US", "CA", "blackout",
    )  # fmt: skip
