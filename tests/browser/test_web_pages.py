"""Each page on its own in the browser: refusals beside the field, a phone's width,
the keyboard alone, the private link, and the API docs and the guide with no internet."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from tests.serving import TODAY


@pytest.fixture(scope="module")
def created(live_server: Any, example_profile: dict[str, Any]) -> dict[str, Any]:
    """A plan made through the API (the pages' own tests make theirs through the form)."""
    response = httpx.post(
        f"{live_server.base_url}/plans", json={"profile": example_profile}, timeout=60
    )
    assert response.status_code == 201, response.text
    return response.json()  # type: ignore[no-any-return]


def private_link(live_server: Any, created: dict[str, Any], page: str = "") -> str:
    return f"{live_server.base_url}/plan/{created['id']}{page}#token={created['owner_token']}"


def test_refusals_show_beside_the_field_they_are_about(page: Any, live_server: Any) -> None:
    page.goto(f"{live_server.base_url}/")
    page.click("#example-week")
    monday = page.locator(".day[data-day=mon]")
    monday.get_by_role("button", name="Add a window on Monday").click()
    monday.get_by_label("Monday window 2: from").fill("20:00")
    monday.get_by_label("Monday window 2: to").fill("22:00")
    page.fill("#min-minutes", "200")
    page.click("#make-plan")
    session_error = page.locator("[data-loc='profile.session'] .field-error")
    session_error.wait_for()
    said = "“Shortest session (minutes)” is larger than “Longest session (minutes)”"
    assert said in session_error.inner_text()
    assert f"Sessions: {said}" in page.inner_text("#form-errors")

    page.fill("#min-minutes", "60")
    page.click("#make-plan")
    weekly_error = page.locator("[data-loc='profile.weekly.mon'] > .field-error")
    weekly_error.wait_for()  # under Monday, its day named as the form names it
    assert "Monday 19:00-21:00 overlaps Monday 20:00-22:00" in weekly_error.inner_text()
    assert page.locator("[data-loc='profile.session'] .field-error").count() == 0


def test_a_plan_with_no_study_time_is_refused_in_words(page: Any, live_server: Any) -> None:
    """The form starts with no windows: planning it is refused in words."""
    page.goto(f"{live_server.base_url}/")
    assert page.inner_text("#week-total") == "0 h a week in 0 windows."
    page.click("#make-plan")
    page.locator("#form-errors li").wait_for()
    assert "weekly" in page.inner_text("#form-errors")


def test_the_keyboard_alone_makes_a_plan(page: Any, live_server: Any) -> None:
    page.goto(f"{live_server.base_url}/")
    for target in ("example-week", "make-plan"):
        for _ in range(300):  # Tab through every control until the button has focus
            page.keyboard.press("Tab")
            if page.evaluate("() => document.activeElement.id") == target:
                break
        else:
            pytest.fail(f"#{target} cannot be reached with Tab")
        if target == "example-week":
            page.keyboard.press("Enter")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/plan/[0-9a-f]+$"))
    page.wait_for_selector(".fc-event")


@pytest.mark.parametrize("path", ["", "/today", "/subscribe", "/whatif"])
def test_each_page_fits_a_phone_and_passes_axe(
    phone_page: Any,
    live_server: Any,
    created: dict[str, Any],
    path: str,
    check_accessibility: Any,
    save_screenshot: Any,
) -> None:
    phone_page.goto(private_link(live_server, created, path))
    phone_page.wait_for_load_state("networkidle")
    assert "token" not in phone_page.url, "the token leaves the address bar"
    ready = {"": ".fc-list-event", "/today": "#topics details", "/subscribe": "#qr svg",
             "/whatif": "#whatif-table tbody tr"}  # fmt: skip
    phone_page.wait_for_selector(ready[path])
    width = phone_page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 390, f"the page is {width} px wide on a 390 px screen"
    check_accessibility(phone_page)
    if path == "":
        save_screenshot(phone_page, "phone-plan")


def test_start_page_fits_a_phone(
    phone_page: Any, live_server: Any, check_accessibility: Any
) -> None:
    phone_page.goto(f"{live_server.base_url}/")
    assert phone_page.evaluate("() => document.documentElement.scrollWidth") <= 390
    check_accessibility(phone_page)


def test_missed_days_are_recorded_and_replanned(
    page: Any, live_server: Any, example_profile: dict[str, Any]
) -> None:
    """The short way of saying what happened: a week missed, then a re-plan from after it
    (a day chosen instead of "where you are"). The plan starts two weeks ago: progress is
    reported for days that have come."""
    start = TODAY - timedelta(days=14)
    profile = {**example_profile, "start": start.isoformat()}
    fresh = httpx.post(f"{live_server.base_url}/plans", json={"profile": profile}, timeout=60)
    assert any("in the past" in warning for warning in fresh.json()["warnings"])
    page.goto(private_link(live_server, fresh.json(), "/today"))
    page.fill("#missed-from", start.isoformat())
    page.fill("#missed-to", (start + timedelta(days=6)).isoformat())
    page.click("#record-missed")
    page.wait_for_selector("#missed-status >> text=Recorded")
    first = page.locator("#sessions fieldset").first
    assert "Counts as missed: it is on a day you missed." in first.inner_text()
    assert page.inner_text("#missed-list").startswith("Missed: Mon, 18 Jan 2027 to Sun, 24 Jan")
    page.fill("#as-of", (start + timedelta(days=7)).isoformat())
    assert page.get_by_label("The start of another day").is_checked()
    with page.expect_request(re.compile(r"/replan$")) as request:
        page.click("#replan")
    assert request.value.post_data_json == {"as_of": "2027-01-25"}
    page.wait_for_selector("#replan-result h3")
    result = page.inner_text("#replan-result")
    assert "Planned again from Mon, 25 Jan 2027, 00:00 (the start of the day you chose)." in result
    assert re.search(r"Finish: .+ → .+ \(\d+ days later\)", result), result
    assert "0 done so far" in result, "nothing happened in the missed week"
    assert page.get_by_label(re.compile("^Where you are")).is_checked(), "back to the default"

    # A range recorded by mistake is taken back.
    page.locator("#missed-list").get_by_role("button", name=re.compile("^Remove")).click()
    page.wait_for_selector("#progress-status >> text=Removed")
    record = httpx.get(
        f"{live_server.base_url}/plans/{fresh.json()['id']}",
        headers={"Authorization": f"Bearer {fresh.json()['owner_token']}"},
    ).json()
    assert record["progress"]["missed"] == []


def test_a_browser_without_the_key_is_told_what_to_do(
    page: Any, live_server: Any, created: dict[str, Any]
) -> None:
    page.goto(f"{live_server.base_url}/plan/{created['id']}")
    assert "no key for this plan" in page.locator("#alerts").inner_text()


def test_api_docs_load_from_this_service_only(page: Any, live_server: Any) -> None:
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(f"{live_server.base_url}/docs")
    page.wait_for_selector(".opblock-tag")
    assert page.locator(".opblock").count() >= 8
    assert requested and all(url.startswith(live_server.base_url) for url in requested), requested


def test_the_guide_loads_from_this_service_only_and_searches(page: Any, live_server: Any) -> None:
    """Under the guide's CSP its inline scripts run (a blocked one is a console error,
    which fails the test), the search worker starts, and nothing leaves the service."""
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    # The search waits for typing to pause: its debounce needs a clock that moves.
    page.clock.set_system_time(datetime(2027, 2, 1, 12, tzinfo=UTC))
    page.goto(f"{live_server.base_url}/")
    page.get_by_role("link", name="Help").click()
    page.wait_for_url(re.compile(r"/guide/get-started/#the-web-app$"))
    page.wait_for_load_state("networkidle")
    page.locator("input.md-search__input").click()
    page.keyboard.type("deadline")
    page.wait_for_selector(".md-search-result__item")
    page.locator(".md-search-result__item a").first.click()
    page.wait_for_load_state("networkidle")
    assert "/guide/" in page.url
    assert requested and all(url.startswith(live_server.base_url) for url in requested), requested


def test_the_plan_page_says_how_sure_the_date_is_with_a_fan_chart(
    page: Any, live_server: Any, created: dict[str, Any]
) -> None:
    """No pace yet (a new plan): the estimates' forecast in words and as a fan of the
    hours still to study, both bands, the most likely line and the plan's."""
    page.goto(private_link(live_server, created))
    page.locator("#forecast-chart svg").wait_for()
    line = page.inner_text("#forecast-line")
    assert line.startswith(
        "No pace of yours yet: at the estimates, a wide range until you finish topics."
    )
    assert "Finish most likely" in line and "9 in 10 by" in line
    chart = page.locator("#forecast-chart svg")
    assert "Finish most likely" in (chart.get_attribute("aria-label") or "")
    assert chart.locator("polygon").count() == 2
    assert chart.locator("line.fan-median").count() == chart.locator("line.fan-plan").count() == 1


def test_plan_with_my_pace_replans_from_the_plan_page(
    page: Any, live_server: Any, example_profile: dict[str, Any]
) -> None:
    base = live_server.base_url
    mine = httpx.post(f"{base}/plans", json={"profile": example_profile}, timeout=60).json()
    headers = {"Authorization": f"Bearer {mine['owner_token']}"}
    slower = {"done": ["1.1", "1.2"], "hours": {"1.1": 6, "1.2": 9}}
    assert httpx.post(f"{base}/plans/{mine['id']}/progress", json=slower, headers=headers)
    assert httpx.post(f"{base}/plans/{mine['id']}/replan", headers=headers, timeout=60)
    page.goto(private_link(live_server, mine))
    page.locator("#forecast-chart svg").wait_for()
    said = page.inner_text("#forecast-line")
    assert said.startswith("Your pace so far: 1.5\N{MULTIPLICATION SIGN} the estimates (2 topics)")
    page.get_by_role("button", name="Plan with my pace").click()
    page.get_by_role("button", name="Plan with the estimates again").wait_for()
    profile = httpx.get(f"{base}/plans/{mine['id']}", headers=headers).json()["profile"]
    assert profile["pace"] == "learned"
