"""Issue 28: a pace per section in the start form and in "Change my week" — the
profile's `pace` as a mapping (`{"4": 1.5, all: 1.25}`), filled back and changed; a
learned pace is shown, not edited. At 1280 and 390 px."""

from __future__ import annotations

import re
from typing import Any

import httpx
import pytest

from tests.browser.test_web_app import owner_token, read_plan

PACE = "Pace (\N{MULTIPLICATION SIGN} every estimate)"


def section_pace(page: Any, section: str) -> Any:
    """A section's pace field, its section opened."""
    page.evaluate(f"() => document.getElementById('pace-python-backend-{section}')"
                  ".closest('details').open = true")  # fmt: skip
    return page.get_by_label(
        f"Your pace for section {section} (\N{MULTIPLICATION SIGN} its estimates)"
    )


@pytest.mark.parametrize("viewport", ["page", "phone_page"])
def test_a_pace_per_section_is_planned_and_changed(
    viewport: str, request: pytest.FixtureRequest, live_server: Any, check_accessibility: Any
) -> None:
    page = request.getfixturevalue(viewport)
    base = live_server.base_url
    page.goto(f"{base}/")
    page.click("#example-week")
    section_pace(page, "4").fill("1.5")
    page.locator("details.more > summary").click()
    page.get_by_label(PACE).fill("1.25")
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], f"{width} px wide"
    check_accessibility(page)
    page.click("#make-plan")
    page.wait_for_url(re.compile(r"/plan/[0-9a-f]+$"))
    plan_id = page.url.rsplit("/", 1)[1]
    token = owner_token(page, plan_id)
    assert read_plan(base, plan_id, token)["profile"]["pace"] == {"4": 1.5, "all": 1.25}

    page.goto(f"{base}/plan/{plan_id}/week")
    section = section_pace(page, "4")
    page.get_by_label("Monday window 1: from").wait_for()
    assert section.input_value() == "1.5"
    assert page.get_by_label(PACE).input_value() == "1.25"
    section.fill("2")
    section_pace(page, "5").fill("0.8")
    page.click("#make-plan")
    page.locator("#replan-result h3").wait_for()
    assert read_plan(base, plan_id, token)["profile"]["pace"] == {
        "4": 2.0,
        "5": 0.8,
        "all": 1.25,
    }


def test_a_learned_pace_is_kept_and_not_edited(
    page: Any, live_server: Any, example_profile: dict[str, Any]
) -> None:
    base = live_server.base_url
    body = {"profile": {**example_profile, "pace": "learned"}}
    created = httpx.post(f"{base}/plans", json=body, timeout=60).json()
    page.goto(f"{base}/plan/{created['id']}/week#token={created['owner_token']}")
    page.get_by_label("Monday window 1: from").wait_for()
    assert page.get_by_label(PACE).is_disabled()
    assert section_pace(page, "4").is_disabled()
    page.locator("details.more > summary").click()
    assert "learned from your progress" in page.inner_text("#pace-learned")
    page.click("#make-plan")
    page.locator("#replan-result h3").wait_for()
    assert read_plan(base, created["id"], created["owner_token"])["profile"]["pace"] == "learned"
