"""The daily loop in the web app, lived with a fixed clock in the browser and in the
service, by learners whose days are not the browser's (it is in Berlin) nor UTC's.

The Seoul learner of issue 24 (Tue and Thu 20:30-22:30, Sun 09:00-12:00, away 6-12
February, FastAPI by 1 May) lives three weeks on the Today page: an on-plan week
re-planned on Sunday evening moves nothing, a missed range after a ticked session is
accepted, and half a Sunday session stays on Sunday. A Los Angeles evening (already
tomorrow in UTC and Berlin) and a Tokyo morning (still yesterday there) are the
learner's today, week and "Next"; and a start in the past is asked about."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import httpx

from tests.browser.test_web_app import owner_token, read_plan

DASH = "\u2013"  # between a session's times on the page
SEOUL = ZoneInfo("Asia/Seoul")
LOS_ANGELES = ZoneInfo("America/Los_Angeles")
TOKYO = ZoneInfo("Asia/Tokyo")
SEOUL_LEARNER = {
    "timezone": "Asia/Seoul",
    "start": "2027-01-05",
    "weekly": {"tue": ["20:30-22:30"], "thu": ["20:30-22:30"], "sun": ["09:00-12:00"]},
    "blackouts": [{"from": "2027-02-06", "to": "2027-02-12"}],
    "goals": [{"topic": "6.3", "by": "2027-05-01"}],
}


def make_plan(base_url: str, profile: dict[str, Any]) -> dict[str, Any]:
    response = httpx.post(f"{base_url}/plans", json={"profile": profile}, timeout=60)
    assert response.status_code == 201, response.text
    return response.json()  # type: ignore[no-any-return]


def open_today(page: Any, base_url: str, created: dict[str, Any]) -> None:
    """The Today page, loaded afresh (a link that differs only in its fragment would
    not load the page again)."""
    page.goto("about:blank")
    page.goto(f"{base_url}/plan/{created['id']}/today#token={created['owner_token']}")
    page.wait_for_selector("#topics details")


def sessions_on(plan: dict[str, Any], *days: str) -> list[dict[str, Any]]:
    """The plan's sessions not yet history whose local day (their start carries the
    learner's offset) is one of `days`."""
    return [s for s in plan["sessions"] if not s["done"] and s["start"][:10] in days]


def mark(page: Any, session: dict[str, Any], label: str) -> Any:
    group = page.locator(f'#sessions fieldset[data-uid="{session["uid"]}"]')
    group.get_by_label(label, exact=True).check()
    return group


def save(page: Any) -> None:
    with page.expect_response(re.compile(r"/progress$")) as answer:
        page.click("#save-progress")
    assert answer.value.ok, answer.value.text()
    page.wait_for_selector("#progress-status >> text=Saved")


def replan_at_default(page: Any) -> str:
    """Re-plan with "Plan again from" at its default; the request names no day."""
    assert page.get_by_label(re.compile("^Where you are")).is_checked()
    with page.expect_response(re.compile(r"/replan$")) as answer:
        page.click("#replan")
    assert answer.value.request.post_data is None, "the default sends no as_of"
    assert answer.value.ok, answer.value.text()
    page.wait_for_selector("#replan-result h3")
    return str(page.inner_text("#replan-result"))


def test_seoul_learner_lives_three_weeks_on_the_today_page(
    page: Any, live_server: Any, set_clock: Any, check_accessibility: Any
) -> None:
    base = live_server.base_url
    set_clock(page, datetime(2027, 1, 4, 12, tzinfo=SEOUL))
    created = make_plan(base, SEOUL_LEARNER)
    plan_id, token = created["id"], created["owner_token"]

    # Week 1, Sunday 21:30 in Seoul (13:30 in Berlin): every session done, then re-plan.
    set_clock(page, datetime(2027, 1, 10, 21, 30, tzinfo=SEOUL))
    open_today(page, base, created)
    assert page.inner_text("#today-date") == "Today is Sun, 10 Jan 2027."
    week1 = sessions_on(created["plan"], "2027-01-05", "2027-01-07", "2027-01-10")
    assert len(week1) == 3
    assert page.locator("#unreported-list li").count() == 3, "the whole week is unreported"
    assert "Not reported yet: did you study these?" in page.inner_text("#unreported")
    assert re.fullmatch(r"Next: .+, Tue, 12 Jan 2027, 20:30\.", page.inner_text("#today-next"))
    for session in week1:
        mark(page, session, "Done")
    save(page)
    record = read_plan(base, plan_id, token)
    assert record["progress"]["sessions"] == [s["uid"] for s in week1]
    assert record["progress"]["hours"] == {}, "ticks are session records, never hours"
    assert page.locator("#unreported").is_hidden()
    assert page.inner_text("#today-sessions").endswith(": ✓ done")
    assert page.inner_text("#replan-from-text") == "Sun, 10 Jan 2027, 21:30 (now)"
    check_accessibility(page)
    result = replan_at_default(page)
    assert "Planned again from Sun, 10 Jan 2027, 21:30 (now)." in result
    assert re.search(r"Sessions: \d+ kept, 0 moved, 0 added, 0 dropped; 3 done", result), result
    assert "(the same day)" in result
    replanned = read_plan(base, plan_id, token)["plan"]
    assert replanned["finish"] == created["plan"]["finish"]
    assert not sessions_on(replanned, "2027-01-10"), "nothing planned into Sunday morning"

    # Week 2, Sunday evening: Tuesday done, then Thursday to Sunday missed.
    set_clock(page, datetime(2027, 1, 17, 21, 30, tzinfo=SEOUL))
    open_today(page, base, created)
    tuesday = sessions_on(replanned, "2027-01-12")[0]
    mark(page, tuesday, "Done")
    save(page)
    page.fill("#missed-from", "2027-01-14")
    page.fill("#missed-to", "2027-01-17")
    page.click("#record-missed")
    page.wait_for_selector("#missed-status >> text=Recorded")
    assert page.inner_text("#alerts") == "", "missed days with ticked sessions are fine"
    progress = read_plan(base, plan_id, token)["progress"]
    assert tuesday["uid"] in progress["sessions"]
    assert progress["missed"] == [{"from": "2027-01-14", "to": "2027-01-17"}]
    for session in sessions_on(replanned, "2027-01-14", "2027-01-17"):
        group = page.locator(f'#sessions fieldset[data-uid="{session["uid"]}"]')
        assert "Counts as missed" in group.inner_text()
    assert page.locator("#unreported").is_hidden()
    result = replan_at_default(page)
    assert re.search(r"Finish: .+ → .+ \(\d+ days later\)", result), result
    replanned = read_plan(base, plan_id, token)["plan"]
    done = [s for s in replanned["sessions"] if s["done"]]
    assert max(s["start"][:10] for s in done) == "2027-01-12", "nothing of 14-17 is done"

    # Week 3, Sunday evening: Tuesday and Thursday done, half of Sunday's three hours.
    set_clock(page, datetime(2027, 1, 24, 21, 30, tzinfo=SEOUL))
    open_today(page, base, created)
    for session in sessions_on(replanned, "2027-01-19", "2027-01-21"):
        mark(page, session, "Done")
    [sunday] = sessions_on(replanned, "2027-01-24")
    assert sunday["start"] == "2027-01-24T09:00:00+09:00"
    assert sunday["end"] == "2027-01-24T12:00:00+09:00"
    group = page.locator(f'#sessions fieldset[data-uid="{sunday["uid"]}"]')
    group.get_by_label("Minutes studied").fill("90")
    assert group.get_by_label("Done for", exact=True).is_checked()
    save(page)
    progress = read_plan(base, plan_id, token)["progress"]
    assert {"session": sunday["uid"], "minutes": 90} in [
        {key: value for key, value in entry.items() if value not in (None, False)}
        for entry in progress["sessions"]
        if isinstance(entry, dict)
    ]
    today = page.inner_text("#today-sessions")
    # "(moved)": the last re-plan in this tab moved it (every view marks that).
    said = rf"09:00{DASH}12:00 {re.escape(sunday['title'])}( \(moved\))?: ✓ 90 of 180 min"
    assert re.search(said, today), today
    check_accessibility(page)
    replan_at_default(page)
    history = next(s for s in read_plan(base, plan_id, token)["plan"]["sessions"] if
                   s["uid"] == sunday["uid"])  # fmt: skip
    assert history["done"]
    assert (history["start"], history["end"]) == (
        "2027-01-24T09:00:00+09:00",
        "2027-01-24T10:30:00+09:00",
    ), "the history event ends 90 minutes after its start, on Sunday"
    today = page.inner_text("#today-sessions")
    assert f"09:00{DASH}10:30 {sunday['title']}: ✓ done for 90 min" in today, today

    # The plan's calendar (which opens on the week of the next session) shows it on
    # Sunday, done.
    page.click("nav >> text=Plan")
    page.wait_for_selector(".fc-event")
    page.click("button >> text=Earlier")
    sunday_events = page.locator(".fc-timegrid-col[data-date='2027-01-24'] .fc-event")
    assert sunday_events.count() == 1
    assert f"✓ {sunday['topic']} {sunday['title']}" in sunday_events.inner_text()


def test_a_los_angeles_evening_is_still_the_learners_sunday(
    page: Any, live_server: Any, set_clock: Any
) -> None:
    """Sunday 22:00 in Los Angeles is Monday 06:00 in UTC and 07:00 in Berlin: today,
    this week, tonight's session and "Next" are the learner's."""
    base = live_server.base_url
    set_clock(page, datetime(2027, 1, 10, 12, tzinfo=LOS_ANGELES))
    weekly = {"mon": ["21:00-23:00"], "wed": ["21:00-23:00"], "sun": ["20:00-23:00"]}
    created = make_plan(
        base, {"timezone": "America/Los_Angeles", "start": "2027-01-11", "weekly": weekly}
    )
    set_clock(page, datetime(2027, 1, 17, 22, tzinfo=LOS_ANGELES))
    open_today(page, base, created)
    assert page.inner_text("#today-date") == "Today is Sun, 17 Jan 2027."
    [tonight] = sessions_on(created["plan"], "2027-01-17")
    assert page.inner_text("#today-sessions") == f"20:00{DASH}23:00 {tonight['title']}: now"
    assert re.fullmatch(r"Next: .+, Mon, 18 Jan 2027, 21:00\.", page.inner_text("#today-next"))
    unreported = page.locator("#unreported-list li").all_inner_texts()
    assert [text[:11] for text in unreported] == ["Mon, 11 Jan", "Wed, 13 Jan"]
    assert page.inner_text("#later-sessions") == "", "Monday is next week"

    mark(page, tonight, "Done")
    save(page)
    assert page.inner_text("#today-sessions").endswith(": ✓ done")
    assert page.inner_text("#replan-from-text") == (
        "Sun, 17 Jan 2027, 23:00 (after today's sessions, which are reported)"
    )
    assert re.fullmatch(r"Next: .+, Mon, 18 Jan 2027, 21:00\.", page.inner_text("#today-next"))


def test_a_tokyo_morning_is_the_learners_monday(
    page: Any, live_server: Any, set_clock: Any, check_accessibility: Any
) -> None:
    """Monday 07:30 in Tokyo is still Sunday in UTC and in Berlin: a new week has begun
    for the learner, and study outside the plan is on the learner's day."""
    base = live_server.base_url
    set_clock(page, datetime(2027, 1, 10, 12, tzinfo=TOKYO))
    weekly = {"mon": ["06:30-08:30"], "thu": ["06:30-08:30"], "sat": ["09:00-12:00"]}
    created = make_plan(base, {"timezone": "Asia/Tokyo", "start": "2027-01-11", "weekly": weekly})
    set_clock(page, datetime(2027, 1, 18, 7, 30, tzinfo=TOKYO))
    open_today(page, base, created)
    assert page.inner_text("#today-date") == "Today is Mon, 18 Jan 2027."
    [this_morning] = sessions_on(created["plan"], "2027-01-18")
    assert page.inner_text("#today-sessions") == f"06:30{DASH}08:30 {this_morning['title']}: now"
    assert re.fullmatch(r"Next: .+, Thu, 21 Jan 2027, 06:30\.", page.inner_text("#today-next"))
    later = page.locator("#later-sessions li").all_inner_texts()
    assert {re.search(r"\w{3}, \d+ Jan", text)[0] for text in later} == {
        "Thu, 21 Jan",
        "Sat, 23 Jan",
    }
    assert len(later) == len(sessions_on(created["plan"], "2027-01-21", "2027-01-23"))
    assert page.locator("#unreported-list li").count() == 3, "last week's three sessions"
    check_accessibility(page)

    page.select_option("#extra-topic", "1.1")
    assert page.input_value("#extra-day") == "2027-01-18"
    page.fill("#extra-minutes", "45")
    page.fill("#extra-at", "05:30")
    page.click("#record-extra")
    page.wait_for_selector("#extra-status >> text=Recorded")
    progress = read_plan(base, created["id"], created["owner_token"])["progress"]
    [extra] = progress["extra"]
    assert (extra["topic"], extra["day"], extra["minutes"]) == ("1.1", "2027-01-18", 45)
    assert extra["at"].startswith("05:30")
    assert "45 min of 1.1 Internet Fundamentals on Mon, 18 Jan 2027 from 05:30" in page.inner_text(
        "#extra-list"
    )


def test_a_start_in_the_past_is_asked_about(
    page: Any, live_server: Any, set_clock: Any, check_accessibility: Any
) -> None:
    """21:00 in Berlin is already tomorrow in Tokyo: for a Tokyo learner, Berlin's today
    is in the past. The form asks, and plans from the learner's today if told to."""
    base = live_server.base_url
    set_clock(page, datetime(2027, 2, 1, 21, tzinfo=ZoneInfo("Europe/Berlin")))
    page.goto(f"{base}/")
    page.click("#example-week")
    assert page.input_value("#start") == "2027-02-01"
    page.select_option("#timezone", "Asia/Tokyo")
    assert page.input_value("#start") == "2027-02-02", "today follows the zone chosen"
    page.fill("#start", "2027-02-01")
    posted: list[str] = []
    page.on(
        "request", lambda request: posted.append(request.url) if request.method == "POST" else None
    )
    page.click("#make-plan")
    question = page.locator("#past-start")
    question.wait_for()
    assert question.inner_text().startswith(
        "Your start, Mon, 1 Feb 2027, is in the past: the plan's first sessions would be over"
    )
    assert not posted, "nothing is planned before the learner answers"
    check_accessibility(page)
    page.click("#plan-from-today")
    page.wait_for_url(re.compile(r"/plan/[0-9a-f]+$"))
    plan_id = page.url.rsplit("/", 1)[1]
    plan = read_plan(base, plan_id, owner_token(page, plan_id))["plan"]
    assert plan["start"] == "2027-02-02"
    assert min(session["start"][:10] for session in plan["sessions"]) >= "2027-02-02"


def test_a_session_marked_missed_is_planned_again(
    page: Any, live_server: Any, set_clock: Any
) -> None:
    """Seoul, Monday of week 2: Tuesday missed, Thursday and Sunday not reported (so
    studied, resuming where she stopped); the re-plan plans the rest again, and the plan
    can still be read."""
    base = live_server.base_url
    set_clock(page, datetime(2027, 1, 4, 12, tzinfo=SEOUL))
    created = make_plan(base, SEOUL_LEARNER)
    set_clock(page, datetime(2027, 1, 11, 12, tzinfo=SEOUL))
    open_today(page, base, created)
    tuesday = sessions_on(created["plan"], "2027-01-05")[0]
    mark(page, tuesday, "Missed")
    save(page)
    assert page.locator("#unreported-list li").count() == 2, "Thursday and Sunday"
    result = replan_at_default(page)
    assert re.search(r"Finish: .+ → .+ \(\d+ days later\)", result), result
    record = read_plan(base, created["id"], created["owner_token"])
    assert tuesday["uid"] not in {s["uid"] for s in record["plan"]["sessions"] if s["done"]}


def test_a_plan_of_the_previous_release_says_how_its_roadmap_changed(
    page: Any, live_server: Any, set_clock: Any
) -> None:
    """A stored plan made before a release raised 7.1 from 1 to 2 h: the re-plan on the
    Today page upgrades it and says so, beside how many of the next days changed."""
    from tests.api.owned_plans import made_by_a_previous_release

    base = live_server.base_url
    set_clock(page, datetime(2027, 1, 4, 12, tzinfo=SEOUL))
    created = make_plan(base, SEOUL_LEARNER)
    made_by_a_previous_release(live_server.settings, created["id"], "7.1", 1)
    set_clock(page, datetime(2027, 1, 10, 21, 30, tzinfo=SEOUL))
    open_today(page, base, created)
    result = replan_at_default(page)
    assert "Roadmap changed: 7.1 1 → 2 h (+1 h planned)" in result
    assert re.search(r"Next 14 days: \d+ sessions? changed\.", result), result
    again = replan_at_default(page)
    assert "Roadmap changed" not in again
