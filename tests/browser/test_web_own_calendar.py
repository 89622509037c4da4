"""Your own calendar on the Subscribe page, against a real Radicale on loopback
(tests/radicale_server): a wrong password is said under the password, an address where
nothing answers under the address; Connect writes one event per session; a session
moved in the calendar (as a calendar app moves it) is taken in by "Sync now" and shown
in the plan's calendar where the learner put it; Disconnect forgets the account. The
password is never shown back nor kept in the browser. A service without a key for
calendar passwords says so in a learner's words. 1280 and 390 px; learners in Los
Angeles, Tokyo and Chatham (+13:45); a three-topic roadmap (5 sessions)."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import httpx
import pytest
from cryptography.fernet import Fernet

from api.settings import Settings
from tests.api.test_caldav_target import a_day_later, events_in, uid_of
from tests.radicale_server import PASSWORD, USER, CalDavServer, radicale
from tests.serving import serving

FIXTURES = Path(__file__).parent.parent / "fixtures"
CALENDAR = "Study plan"
WEEK = {"mon": ["19:00-21:00"], "wed": ["19:00-21:00"], "sat": ["09:00-13:00"]}


@pytest.fixture(scope="module")
def caldav(tmp_path_factory: pytest.TempPathFactory) -> Iterator[CalDavServer]:
    with radicale(tmp_path_factory.mktemp("radicale")) as running:
        yield running


def _settings(folder: Path, **changes: Any) -> Settings:
    return Settings(data_dir=folder / "data", busy_allowed_networks=["127.0.0.1/32"], **changes)


@pytest.fixture(scope="module")
def keyed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """The service with a key for calendar passwords, allowed to reach Radicale."""
    key = Fernet.generate_key().decode()
    settings = _settings(tmp_path_factory.mktemp("keyed"), secret_key=key)
    with serving(settings) as server:
        yield server


def new_plan(server: Any, zone: str) -> dict[str, Any]:
    own = {
        "yaml": (FIXTURES / "tiny-roadmap.yaml").read_text(),
        "prerequisites": (FIXTURES / "tiny-prerequisites.yaml").read_text(),
    }
    profile = {"timezone": zone, "start": "2027-02-08", "weekly": WEEK}
    created = httpx.post(
        f"{server.base_url}/plans", json={"profile": profile, "own_roadmap": own}, timeout=120
    )
    assert created.status_code == 201, created.text
    return created.json()  # type: ignore[no-any-return]


def closed_port() -> int:
    """A port on loopback that nothing listens on (bound, then released)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def fill_account(page: Any, address: str, password: str, name: str) -> None:
    page.select_option("#own-provider", "other")
    page.fill("#own-caldav", address)
    page.fill("#own-username", USER)
    page.fill("#own-password", password)
    page.fill("#own-calendar-name", name)
    page.click("#own-connect")


def stored_in_the_browser(page: Any) -> str:
    return str(
        page.evaluate(
            "() => JSON.stringify([{...localStorage}, {...sessionStorage}, document.cookie])"
        )
    )


@pytest.mark.parametrize(
    ("viewport", "zone"),
    [("page", "America/Los_Angeles"), ("phone_page", "Asia/Tokyo"), ("page", "Pacific/Chatham")],
)
def test_connect_move_in_the_calendar_sync_and_see_it_in_the_plan(
    request: pytest.FixtureRequest,
    keyed: Any,
    caldav: CalDavServer,
    check_accessibility: Any,
    save_screenshot: Any,
    viewport: str,
    zone: str,
) -> None:
    page = request.getfixturevalue(viewport)
    plan = new_plan(keyed, zone)
    city = zone.split("/")[1].replace("_", " ")  # one calendar per test in the account
    name = CALENDAR if city == "Los Angeles" else f"{CALENDAR} ({city})"
    page.goto(f"{keyed.base_url}/plan/{plan['id']}/subscribe#token={plan['owner_token']}")
    page.wait_for_selector("#own-connect:enabled")
    assert page.locator("#own-connected").is_hidden()
    page.select_option("#own-provider", "fastmail")  # a preset fills the address
    assert page.input_value("#own-caldav") == "https://caldav.fastmail.com/dav/"
    assert "app password" in page.inner_text("#own-provider-hint")
    page.select_option("#own-provider", "google")  # Google signs in with a token
    assert page.locator("#own-token").is_visible() and page.locator("#own-password").is_hidden()
    check_accessibility(page)
    if viewport == "phone_page":
        save_screenshot(page, "phone-own-calendar-form", "#own-calendar")

    # A wrong password: the server's words under the password, nothing connected.
    fill_account(page, caldav.url, "wrong horse", name)
    said = page.locator("#own-password-field .field-error")
    said.wait_for()
    assert f"the server refused user '{USER}' with this password (401)" in said.inner_text()
    assert page.get_attribute("#own-password", "aria-invalid") == "true"
    assert page.locator("[data-loc=caldav] .field-error").count() == 0
    check_accessibility(page)
    # An address where nothing answers: said under the address.
    fill_account(page, f"http://127.0.0.1:{closed_port()}/", PASSWORD, name)
    said = page.locator("[data-loc=caldav] .field-error")
    said.wait_for()
    assert "nothing answers at this address" in said.inner_text()
    assert page.locator("#own-password-field .field-error").count() == 0

    fill_account(page, caldav.url, PASSWORD, name)
    page.wait_for_selector("#own-connected:visible")
    sessions = plan["plan"]["sessions"]
    assert f"Connected: {len(sessions)} events written into “{name}”." in page.inner_text(
        "#own-sync-result"
    )
    assert page.inner_text("#own-events") == str(len(sessions)) == "5"
    events = events_in(caldav, name)
    assert [uid_of(e) for e in events] == [s["uid"] for s in sessions]  # one per session
    assert page.input_value("#own-password") == ""
    assert PASSWORD not in page.content() and PASSWORD not in stored_in_the_browser(page)
    assert page.inner_text("#own-server").startswith("http://127.0.0.1:")  # masked
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"]  # never sideways, on a phone too
    check_accessibility(page)

    # The learner drags the first session to the next day in their calendar app.
    moved = events[0]
    new_start, new_end = a_day_later(moved)
    page.click("#own-sync")
    result = page.locator("#own-sync-result")
    result.get_by_text("Moved in your calendar").wait_for()
    text = result.inner_text()
    day = f"{new_start:%a}, {new_start.day} {new_start:%b %Y}"  # "Tue, 9 Feb 2027"
    assert f"Moved in your calendar, kept there: 1.1 First Steps, {day}" in text, text
    assert f"{new_start:%H:%M}\N{EN DASH}{new_end:%H:%M}" in text
    assert "The plan was re-planned around it." in text
    synced = page.inner_text("#own-synced")  # the sync's moment, in the plan's zone
    check_accessibility(page)
    if viewport == "page" and zone == "America/Los_Angeles":
        save_screenshot(page, "own-calendar", "#own-calendar")
        save_screenshot(page, "subscribe")

    # The plan's calendar shows it where the learner put it, outlined as moved.
    page.click("#own-sync-result a")
    new_day = date.fromisoformat(new_start.isoformat()[:10]).isoformat()
    if viewport == "phone_page":
        row = page.locator(".fc-list-event.moved-session", has_text="1.1 First Steps")
        row.wait_for()
        assert "1.1 First Steps (moved)" in row.inner_text()
        assert f"{new_start:%H:%M}" in row.inner_text()
        shown_day = row.evaluate(
            "row => { let at = row; while (!at.classList.contains('fc-list-day'))"
            " at = at.previousElementSibling; return at.dataset.date; }"
        )
    else:
        event = page.locator(".fc-timegrid-col .fc-event.moved-session", has_text="1.1 First")
        event.wait_for()
        assert "1.1 First Steps (moved)" in event.inner_text()
        assert f"{new_start:%H:%M} - {new_end:%H:%M}" in event.inner_text()
        shown_day = event.evaluate("e => e.closest('.fc-timegrid-col').dataset.date")
    assert shown_day == new_day
    check_accessibility(page)

    # Disconnect: the account is forgotten, the form is back, the events stay.
    page.goto(f"{keyed.base_url}/plan/{plan['id']}/subscribe")  # the token is kept
    page.wait_for_selector("#own-connected:visible")
    # Read back from the database: the same moment (a time stored in UTC is sent in UTC,
    # not as a time without a zone, which the browser would read in its own zone).
    assert page.inner_text("#own-synced") == synced
    page.click("#own-disconnect")
    page.click("#disconnect-confirm")
    page.wait_for_selector("#own-form:visible")
    assert "Disconnected" in page.inner_text("#own-status")
    headers = {"Authorization": f"Bearer {plan['owner_token']}"}
    gone = httpx.get(f"{keyed.base_url}/plans/{plan['id']}/calendar", headers=headers)
    assert gone.status_code == 404
    assert len(events_in(caldav, name)) == 5


@pytest.mark.parametrize("viewport", ["page", "phone_page"])
def test_a_service_without_a_key_says_it_cannot_keep_calendar_passwords(
    request: pytest.FixtureRequest,
    tmp_path: Path,
    check_accessibility: Any,
    viewport: str,
) -> None:
    page = request.getfixturevalue(viewport)
    with serving(_settings(tmp_path)) as keyless:
        plan = new_plan(keyless, "Asia/Tokyo")
        page.goto(f"{keyless.base_url}/plan/{plan['id']}/subscribe#token={plan['owner_token']}")
        page.wait_for_selector("#qr svg")
        said = page.inner_text("#own-off")
        assert said.startswith("This service cannot keep calendar passwords, so it cannot write")
        assert said.count("PLANNER_") == 1 and "Fernet" not in said  # one line for the operator
        assert page.locator("#own-form").count() == 0
        assert page.locator("#own-connect").count() == 0
        check_accessibility(page)


@pytest.mark.parametrize(
    ("viewport", "zone"), [("page", "Asia/Tokyo"), ("phone_page", "Pacific/Chatham")]
)
def test_a_failed_sync_is_said_until_one_succeeds_and_the_password_can_be_changed(
    request: pytest.FixtureRequest,
    keyed: Any,
    caldav: CalDavServer,
    check_accessibility: Any,
    viewport: str,
    zone: str,
) -> None:
    page = request.getfixturevalue(viewport)
    plan = new_plan(keyed, zone)
    name = f"{CALENDAR} (fails, {viewport})"
    page.goto(f"{keyed.base_url}/plan/{plan['id']}/subscribe#token={plan['owner_token']}")
    page.wait_for_selector("#own-connect:enabled")
    fill_account(page, caldav.url, PASSWORD, name)
    page.wait_for_selector("#own-connected:visible")
    assert page.locator("#own-error").is_hidden()

    caldav.fail_after = 0  # the server goes away
    try:
        page.click("#own-sync")
        page.locator("#own-sync-result", has_text="Sync failed: ").wait_for()
    finally:
        caldav.fail_after = None
    problem = page.locator("#own-error")
    problem.wait_for()
    assert problem.inner_text().startswith("The last sync failed (once since ")
    assert "Server disconnected without sending a response" in problem.inner_text()
    check_accessibility(page)

    page.click("#own-sync")  # back: the next sync succeeds and clears it
    page.locator("#own-sync-result", has_text="Nothing was moved or deleted").wait_for()
    assert problem.is_hidden()
    assert "Written: 0 events; removed: 0 events; unchanged: 5." in page.inner_text(
        "#own-sync-result"
    )

    # A new password (or an expired token), another day: the form again, with what the
    # service knows filled in; the calendar kept as it is meanwhile.
    page.reload()
    page.wait_for_selector("#own-connected:visible")
    page.click("#own-again")
    assert page.locator("#own-form").is_visible() and page.locator("#own-connected").is_visible()
    assert page.input_value("#own-username") == USER and page.input_value("#own-caldav") == ""
    assert page.input_value("#own-calendar-name") == name
    page.fill("#own-caldav", caldav.url)
    page.fill("#own-password", "wrong horse")
    page.click("#own-connect")
    page.locator("#own-password-field .field-error").wait_for()
    check_accessibility(page)
    page.click("#own-cancel")
    assert page.locator("#own-form").is_hidden() and page.locator("#own-connected").is_visible()
    headers = {"Authorization": f"Bearer {plan['owner_token']}"}
    kept = httpx.get(f"{keyed.base_url}/plans/{plan['id']}/calendar", headers=headers)
    assert kept.status_code == 200 and kept.json()["error"] is None  # as it was
    page.click("#own-again")
    page.fill("#own-caldav", caldav.url)
    page.fill("#own-password", PASSWORD)
    page.click("#own-connect")
    page.locator(
        "#own-sync-result", has_text=f"Connected: 5 events written into “{name}”."
    ).wait_for()
    assert page.locator("#own-form").is_hidden() and page.input_value("#own-password") == ""
