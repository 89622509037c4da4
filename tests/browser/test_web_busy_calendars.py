"""Issue 28: busy calendars in "Change my week", each with its own options. A plan's
calendars come back masked, one row each, their options filled back per calendar; the
learner removes one, changes another's options, adds a new address (tested first), and
the plan is made again with them; a masked name of no calendar of the plan is refused
beside its row. At 1280 and 390 px, on a service that reads the tests' calendar server
on loopback (as an operator allows a network)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from api.settings import Settings
from planner.models.busy import display_name
from tests.browser.test_web_app import read_plan
from tests.calendar_server import CalendarServer, serving
from tests.serving import serving as serving_the_service

FIXTURES = Path(__file__).parents[1] / "fixtures" / "busy"
WORK = "/calendar/ical/learner%40example.org/private-5ecret7oken/basic.ics"
FAMILY = "/family/private-f4mily/basic.ics"
CLUB = "/club/private-c1ub/basic.ics"
VIEWPORTS = ["page", "phone_page"]


@pytest.fixture(scope="module")
def calendars() -> Iterator[CalendarServer]:
    with serving(FIXTURES) as server:
        server.files[WORK] = server.files["/work.ics"]
        server.files[FAMILY] = server.files["/outlook.ics"]
        server.files[CLUB] = server.files["/google-x-wr.ics"]
        yield server


@pytest.fixture(scope="module")
def busy_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """The service, allowed to read calendars on loopback (the calendar server's)."""
    settings = Settings(
        data_dir=tmp_path_factory.mktemp("busy-live") / "data",
        busy_allowed_networks=["127.0.0.1/32"],
        busy_refresh_check_seconds=0,
    )
    with serving_the_service(settings) as server:
        yield server


def check_page(page: Any, check_accessibility: Any) -> None:
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], f"{width} px wide"
    check_accessibility(page)


def plan_with_calendars(
    base: str, example_profile: dict[str, Any], busy: list[dict[str, Any]]
) -> dict[str, Any]:
    profile = {**example_profile, "timezone": "America/Los_Angeles", "busy": busy}
    made = httpx.post(f"{base}/plans", json={"profile": profile}, timeout=60)
    assert made.status_code == 201, made.text
    return made.json()  # type: ignore[no-any-return]


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_change_my_week_removes_changes_and_adds_busy_calendars(
    viewport: str,
    request: pytest.FixtureRequest,
    busy_server: Any,
    calendars: CalendarServer,
    example_profile: dict[str, Any],
    check_accessibility: Any,
    save_screenshot: Any,
) -> None:
    page = request.getfixturevalue(viewport)
    base = busy_server.base_url
    work, family, club = (calendars.url(path) for path in (WORK, FAMILY, CLUB))
    created = plan_with_calendars(
        base,
        example_profile,
        [
            {"ics": work, "buffer_minutes": 15},
            {"ics": family, "all_day": "ignore", "me": "me@x.org"},
        ],
    )
    token = created["owner_token"]
    page.goto(f"{base}/plan/{created['id']}/week#token={token}")
    page.get_by_label("Calendar 2: address").wait_for()
    # Each calendar as the plan has it: masked, read-only, its own options.
    first, second = (
        page.get_by_label("Calendar 1: address"),
        page.get_by_label("Calendar 2: address"),
    )
    assert first.input_value() == display_name(work) and first.get_attribute("readonly") == ""
    assert second.input_value() == display_name(family)
    assert (
        page.get_by_label("Calendar 1: minutes kept free before and after each event").input_value()
        == "15"
    )
    assert page.get_by_label("Calendar 1: an event all day long").input_value() == "blackout"
    assert page.get_by_label("Calendar 2: an event all day long").input_value() == "ignore"
    assert (
        page.get_by_label("Calendar 2: your e-mail addresses (optional)").input_value()
        == "me@x.org"
    )
    assert "5ecret7oken" not in page.content() and "f4mily" not in page.content()
    check_page(page, check_accessibility)

    page.get_by_label("Remove calendar 1").click()
    page.get_by_label("Calendar 1: minutes kept free before and after each event").fill("30")
    page.click("#add-busy")
    page.get_by_label("Calendar 2: address").fill(club)
    page.click("#test-busy")
    result = page.locator(".busy-row:nth-child(2) .busy-result")
    page.wait_for_selector(".busy-row:nth-child(2) .busy-result >> text=Read:")
    assert "event" in result.inner_text()
    check_page(page, check_accessibility)
    if viewport == "page":
        save_screenshot(page, "change-my-week-busy", "fieldset[data-loc='profile.busy']")
    page.click("#make-plan")
    page.locator("#replan-result h3").wait_for()

    after = read_plan(base, created["id"], token)
    assert after["profile"]["busy"] == [
        {
            "ics": display_name(family),
            "buffer_minutes": 30,
            "all_day": "ignore",
            "me": ["me@x.org"],
        },
        {"ics": display_name(club), "buffer_minutes": 0, "all_day": "blackout", "me": []},
    ]
    assert [s["source"] for s in after["busy_sources"]] == [
        display_name(family),
        display_name(club),
    ]
    # The new calendar is now the plan's: shown masked, kept as it is.
    assert page.get_by_label("Calendar 2: address").input_value() == display_name(club)
    assert "c1ub" not in page.content()


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_a_masked_name_of_no_calendar_is_refused_beside_its_row(
    viewport: str,
    request: pytest.FixtureRequest,
    busy_server: Any,
    calendars: CalendarServer,
    example_profile: dict[str, Any],
    check_accessibility: Any,
) -> None:
    """A hidden address copied from another plan cannot be read again: the learner is
    told so under that calendar, in the web's words; the plan stays as it was."""
    page = request.getfixturevalue(viewport)
    base = busy_server.base_url
    created = plan_with_calendars(base, example_profile, [{"ics": calendars.url(WORK)}])
    page.goto(f"{base}/plan/{created['id']}/week#token={created['owner_token']}")
    page.get_by_label("Calendar 1: address").wait_for()
    page.click("#add-busy")
    other = display_name(calendars.url(FAMILY))
    page.get_by_label("Calendar 2: address").fill(other)
    page.click("#make-plan")
    error = page.locator("[data-loc='profile.busy.1.ics'] .field-error")
    error.wait_for()
    assert "is not one of this plan's calendars" in error.inner_text()
    assert "give its full address" in error.inner_text()
    assert page.get_by_label("Calendar 2: address").get_attribute("aria-invalid") == "true"
    check_page(page, check_accessibility)
    kept = read_plan(base, created["id"], created["owner_token"])
    assert kept["version"] == created["version"]
