"""The learner's web app in a real browser (Debian's Chromium), on a real uvicorn server
with its own database: make a plan through the form, see it in the calendar, tick off
sessions, re-plan and see what moved, subscribe, rotate the feed, forget the plan.

Every page is checked with axe-core (no serious or critical violation) and fails on
any JavaScript or console error (see conftest.py)."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Any

import httpx

from tests.serving import TODAY


def owner_token(page: Any, plan_id: str) -> str:
    plans = page.evaluate("() => JSON.parse(localStorage.getItem('roadmap-planner:plans'))")
    return str(plans[plan_id]["token"])


def read_plan(base_url: str, plan_id: str, token: str) -> dict[str, Any]:
    response = httpx.get(
        f"{base_url}/plans/{plan_id}", headers={"Authorization": f"Bearer {token}"}
    )
    assert response.status_code == 200, response.text
    return response.json()  # type: ignore[no-any-return]


def minutes_between(start: str, end: str) -> float:
    return (datetime.fromisoformat(end) - datetime.fromisoformat(start)).total_seconds() / 60


def this_week(sessions: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The sessions of the browser's and the service's week (the clocks are at TODAY)."""
    monday = TODAY - timedelta(days=TODAY.weekday())
    days = {(monday + timedelta(days=offset)).isoformat() for offset in range(7)}
    return [session for session in sessions if session["start"][:10] in days]


def test_learner_plans_ticks_off_replans_and_subscribes(
    page: Any, live_server: Any, check_accessibility: Any, save_screenshot: Any
) -> None:
    base = live_server.base_url
    # Start: the form, with the plan starting two weeks ago so there is a past to mark
    # (the form asks about a start in the past: plan anyway).
    page.goto(f"{base}/")
    check_accessibility(page)
    save_screenshot(page, "start")
    page.click("#example-week")  # the form starts empty
    start = TODAY - timedelta(days=14)
    page.fill("#start", start.isoformat())
    page.click("#add-blackout")
    page.get_by_label("Days off 1: first day").fill("2027-04-01")
    page.get_by_label("Days off 1: last day").fill("2027-04-05")
    page.click("summary >> text=16. Next Steps")
    page.get_by_label("I know all of section 16").check()
    page.click("summary >> text=5. ORM")
    page.get_by_label("Your hours for 5.1 Django").fill("8")
    page.click("#make-plan")
    page.click("#plan-anyway")
    page.wait_for_url(re.compile(r"/plan/[0-9a-f]+$"))
    plan_id = page.url.rsplit("/", 1)[1]
    token = owner_token(page, plan_id)
    assert token not in page.url

    # See the plan: this week's sessions are in the calendar, by title.
    page.wait_for_selector(".fc-event")
    record = read_plan(base, plan_id, token)
    profile = record["profile"]
    assert profile["blackouts"] == [{"from": "2027-04-01", "to": "2027-04-05"}]
    assert profile["skip"] == ["16"] and profile["hours"] == {"5.1": 8.0}
    assert profile["timezone"] == "Europe/Berlin", "the browser's zone"
    week = this_week(record["plan"]["sessions"])
    assert week, "the example week has sessions every week"
    shown = page.locator(".fc-event").all_inner_texts()
    for session in week:
        assert any(session["title"] in text for text in shown), (session, shown)
    assert page.locator("#graph .rv-topic").count() == 52
    assert page.locator("#graph .status-skipped").count() == 4, "section 16 is known"
    assert page.locator(".timeline-bar").count() == 15
    check_accessibility(page)
    save_screenshot(page, "plan")

    # Daily loop: three sessions done, one for half its time, then re-plan from where
    # the learner is (the rest of the past counts as studied as planned). A session
    # marked missed: test_web_daily_loop.py.
    page.click("nav >> text=Today")
    page.wait_for_selector("#sessions .session")
    check_accessibility(page)
    sessions = page.locator("#sessions fieldset")
    uids = [sessions.nth(index).get_attribute("data-uid") for index in range(4)]
    sessions.nth(0).get_by_label("Done", exact=True).check()
    sessions.nth(1).get_by_label("Done", exact=True).check()
    sessions.nth(2).get_by_label("Done", exact=True).check()
    sessions.nth(3).get_by_label("Minutes studied").fill("60")
    page.click("summary >> text=3. Version Control")
    page.select_option("#topic-3\\.3", "skipped")
    page.click("#save-progress")
    page.wait_for_selector("#progress-status >> text=Saved")
    progress = read_plan(base, plan_id, token)["progress"]
    assert progress["sessions"][:3] == uids[:3], "done as planned: the UID alone"
    assert progress["sessions"][3]["session"] == uids[3]
    assert progress["sessions"][3]["minutes"] == 60
    assert progress["hours"] == {} and progress["done"] == []
    assert progress["skipped"] == ["3.3"]

    page.click("#replan")
    page.wait_for_selector("#replan-result h3")
    result = page.locator("#replan-result").inner_text()
    assert re.search(r"Sessions: \d+ kept, [1-9]\d* moved", result), result
    assert page.locator("#replan-result table tbody tr").count() > 0
    save_screenshot(page, "today")
    replanned = read_plan(base, plan_id, token)["plan"]
    done = {s["uid"]: s for s in replanned["sessions"] if s.get("done")}
    assert set(uids) <= set(done)
    partly = done[uids[3]]
    assert minutes_between(partly["start"], partly["end"]) == 60

    # The calendar outlines the sessions the re-plan moved.
    page.click("nav >> text=Plan")
    page.wait_for_selector(".fc-event")
    assert page.locator(".fc-event.moved-session").count() > 0

    # Subscribe: copy the feed URL and fetch it; rotate it.
    page.click("nav >> text=Subscribe")
    page.wait_for_selector("#qr svg")
    assert page.locator("#google-link").is_hidden(), "Google needs a public https feed"
    check_accessibility(page)  # its screenshot: test_web_own_calendar (a calendar connected)
    page.click("button[data-copy=feed-url]")
    page.wait_for_selector("#copy-status >> text=Copied")
    feed_url = page.evaluate("() => navigator.clipboard.readText()")
    feed = httpx.get(feed_url)
    assert feed.status_code == 200
    assert feed.headers["content-type"].startswith("text/calendar")
    uids = {s["uid"] for s in replanned["sessions"]}
    assert set(re.findall(r"^UID:(.+?)\r$", feed.text, re.MULTILINE)) == uids

    page.click("#rotate")
    page.click("#rotate-confirm")
    page.wait_for_selector("#copy-status >> text=New feed address")
    new_url = page.input_value("#feed-url")
    assert new_url != feed_url
    assert httpx.get(feed_url).status_code == 404
    assert httpx.get(new_url).status_code == 200

    # What if: a few budgets, the learner's own among them.
    page.click("nav >> text=What if")
    page.wait_for_selector("#whatif-table tbody tr")
    assert page.locator("#whatif-table tbody tr").count() >= 3
    assert page.locator("#whatif-chart svg circle.current").count() == 1
    check_accessibility(page)

    # The owner token never reached the server's log.
    assert not [r for r in live_server.log_records if token in r.getMessage()]

    # Forget the plan: after a confirmation it is gone, here and on the server.
    page.click("nav >> text=Subscribe")
    page.click("#forget")
    page.click("#forget-confirm")
    page.wait_for_url(f"{base}/")
    assert (
        httpx.get(
            f"{base}/plans/{plan_id}", headers={"Authorization": f"Bearer {token}"}
        ).status_code
        == 404
    )
    assert page.evaluate("() => localStorage.getItem('roadmap-planner:plans')") == "{}"
