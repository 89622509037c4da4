"""The subscribe page of a service reached over plain http (as `planner serve` is on a
laptop or a LAN): it says what works without https — Apple Calendar and Thunderbird
subscribe, Google Calendar and Outlook cannot — and never shows the learner the
operator's note about PLANNER_PUBLIC_URL (that is in the service's log at start)."""

from __future__ import annotations

from typing import Any

import httpx
import pytest


@pytest.fixture(scope="module")
def created(live_server: Any, example_profile: dict[str, Any]) -> dict[str, Any]:
    response = httpx.post(
        f"{live_server.base_url}/plans", json={"profile": example_profile}, timeout=60
    )
    assert response.status_code == 201, response.text
    return response.json()  # type: ignore[no-any-return]


def test_an_http_feed_says_what_subscribes_without_https(
    page: Any, live_server: Any, created: dict[str, Any], check_accessibility: Any
) -> None:
    page.goto(
        f"{live_server.base_url}/plan/{created['id']}/subscribe#token={created['owner_token']}"
    )
    page.wait_for_selector("#qr svg")
    assert page.input_value("#feed-url") == created["feed"]["url"]
    assert created["feed"]["https_url"] is None
    assert page.locator("#google-link").is_hidden(), "Google needs a public https feed"
    note = page.locator("#http-note")
    assert note.is_visible()
    assert "Apple Calendar and Thunderbird subscribe to it as it is" in note.inner_text()
    assert "Google Calendar and Outlook subscribe only to a public https address" in (
        note.inner_text()
    )
    text = page.inner_text("main")
    assert "PLANNER_PUBLIC_URL" not in text and "this service runs at" not in text
    qr_text = page.inner_text("section[aria-labelledby=phone-heading]")
    assert "iPhone or iPad" in qr_text and "Android" in qr_text
    assert page.get_attribute("#download-ics", "href") == created["feed"]["url"]
    check_accessibility(page)
