"""The order modes, spaced reviews and the least hours a week, in the browser: chosen on
the start form, said in words on the plan page, reviews apart in the calendar and
recorded by UID on the today page, and "how many hours a week?" on the what-if page."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import httpx
import pytest

from tests.browser.test_web_app import owner_token, read_plan
from tests.serving import TODAY

REVIEW_GREY = "rgb(61, 70, 80)"  # api.js REVIEW_COLOR


def private_link(base_url: str, created: dict[str, Any], page: str = "") -> str:
    return f"{base_url}/plan/{created['id']}{page}#token={created['owner_token']}"


def make_plan(base_url: str, profile: dict[str, Any]) -> dict[str, Any]:
    response = httpx.post(f"{base_url}/plans", json={"profile": profile}, timeout=60)
    assert response.status_code == 201, response.text
    return response.json()  # type: ignore[no-any-return]


def test_order_and_reviews_from_the_form_reach_the_plan(
    page: Any, live_server: Any, check_accessibility: Any, save_screenshot: Any
) -> None:
    base = live_server.base_url
    page.goto(f"{base}/")
    page.click("#example-week")
    assert page.get_by_label(re.compile(r"^Balanced \(the default\)")).is_checked()
    max_shift = page.get_by_label("At most this many places from the roadmap's order")
    assert max_shift.input_value() == "3" and max_shift.is_visible()
    page.get_by_label(re.compile(r"^Free")).check()
    assert max_shift.is_hidden(), "the shift limit is the balanced order's only"
    page.get_by_label(re.compile(r"^Balanced")).check()
    assert max_shift.is_visible()

    # Refusals beside their fields: the shift limit's own, and a rule over two fields
    # (the API answers it at ["profile"] and names review.minutes first).
    max_shift.fill("99")
    page.click("#make-plan")
    shift_error = page.locator("[data-loc='profile.max_shift'] .field-error")
    shift_error.wait_for()
    assert "less than or equal to 50" in shift_error.inner_text()
    assert max_shift.get_attribute("aria-invalid") == "true"
    max_shift.fill("2")
    page.get_by_label("Plan short reviews of what I studied").check()
    page.fill("#min-minutes", "15")
    page.fill("#max-minutes", "15")
    page.fill("#slot-minutes", "15")
    page.click("#make-plan")
    review_error = page.locator("[data-loc='profile.review'] .field-error")
    review_error.wait_for()
    assert "“Minutes a review” (20) is longer than “Longest session (minutes)” (15)" in (
        review_error.inner_text()
    )
    assert page.locator("[data-loc='profile.max_shift'] .field-error").count() == 0
    check_accessibility(page)

    page.fill("#min-minutes", "60")
    page.fill("#max-minutes", "180")
    page.fill("#slot-minutes", "30")
    page.click("#make-plan")
    page.wait_for_url(re.compile(r"/plan/[0-9a-f]+$"))
    plan_id = page.url.rsplit("/", 1)[1]
    record = read_plan(base, plan_id, owner_token(page, plan_id))
    assert record["profile"]["order"] == "balanced" and record["profile"]["max_shift"] == 2
    assert record["profile"]["review"] is not None
    assert record["plan"]["order"]["max_shift"] == 2

    # The plan page says what the order and the reviews cost, with the plan's figures.
    order, reviews = record["plan"]["order"], record["plan"]["reviews"]
    page.wait_for_selector("#order-cost:not([hidden])")
    said = page.inner_text("#order-cost")
    assert said.startswith(
        "Follows the roadmap's order with small swaps (at most 2 places): "
        f"{order['inversions']:,} times a topic comes before one the roadmap puts first"
    ), said
    assert "Without reviews, strict roadmap order: " in said, "alternatives ran without them"
    assert page.inner_text("#review-cost").startswith(
        f"{reviews['reviews']} reviews of 20 minutes, the last on "
    )

    # Reviews are their own events in the calendar: titled as in the feed, grey.
    first = min(
        (s for s in record["plan"]["sessions"] if s.get("kind") == "review"),
        key=lambda s: s["start"],
    )
    event = page.locator(".fc-event.review-session").first
    for _ in range(8):  # week by week to the first review
        if page.locator(".fc-event.review-session").count():
            break
        page.click("button >> text=Later")
    title = event.inner_text()
    assert f"Review: {first['topic']} {first['title']} (1 of 3)" in title, title
    colour = event.evaluate("element => getComputedStyle(element).backgroundColor")
    assert colour == REVIEW_GREY
    check_accessibility(page)
    save_screenshot(page, "plan-reviews")


def test_a_review_marked_done_is_recorded_by_its_uid(
    page: Any, live_server: Any, example_profile: dict[str, Any]
) -> None:
    """A review is no study time: done, it goes to progress.sessions, not to its topic's
    hours (which would count its minutes as studying)."""
    start = TODAY - timedelta(days=21)
    created = make_plan(
        live_server.base_url, {**example_profile, "start": str(start), "review": True}
    )
    page.goto(private_link(live_server.base_url, created, "/today"))
    review = page.locator("#sessions .session", has_text="Review: ").first
    review.wait_for()
    legend = review.locator("legend").inner_text()
    review.get_by_label("Done", exact=True).check()
    page.click("#save-progress")
    page.wait_for_selector("#progress-status >> text=Saved")
    record = read_plan(live_server.base_url, created["id"], created["owner_token"])
    uid = next(
        s["uid"]
        for s in record["plan"]["sessions"]
        if s.get("kind") == "review"
        and legend.startswith(f"Review: {s['topic']} ")
        and f"({s['review']} of 3)" in legend
    )
    assert record["progress"]["sessions"] == [uid]
    assert record["progress"]["hours"] == {} and record["progress"]["done"] == []
    page.reload()
    page.locator("#sessions .session", has_text=legend).first.wait_for()
    again = page.locator("#sessions .session", has_text=legend).first
    assert again.get_by_label("Done", exact=True).is_checked(), "shown done after a reload"


def test_least_hours_for_a_goal_on_the_what_if_page(
    page: Any,
    live_server: Any,
    example_profile: dict[str, Any],
    check_accessibility: Any,
    save_screenshot: Any,
) -> None:
    created = make_plan(live_server.base_url, example_profile)
    page.goto(private_link(live_server.base_url, created, "/whatif"))
    page.wait_for_selector("#whatif-table tbody tr")
    page.fill("#least-goal", "FastAPI")
    page.fill("#least-by", "2027-02-14")
    page.click("#least-hours")
    goal_error = page.locator("[data-loc='goal'] .field-error")
    goal_error.wait_for()
    assert "there is no topic or section FastAPI in this roadmap (did you mean 6.3 FastAPI?)" in (
        goal_error.inner_text()
    )

    page.fill("#least-goal", "6.3")
    page.click("#least-hours")
    page.wait_for_selector("#least-answer:has-text('You need')")
    expected = httpx.get(
        f"{live_server.base_url}/plans/{created['id']}/least-hours",
        params={"goal": "6.3", "by": "2027-02-14"},
        headers={"Authorization": f"Bearer {created['owner_token']}"},
        timeout=60,
    ).json()
    hours = expected["hours_per_week"]
    assert hours > 8
    more = round(hours - 8, 1)
    assert page.inner_text("#least-answer").startswith(
        f"You need {hours:g} h a week ({more:g} h more than your 8 h) to reach goal 6.3 "
        "FastAPI by Sun, 14 Feb 2027: "
    ), page.inner_text("#least-answer")
    assert page.locator("[data-loc='goal'] .field-error").count() == 0
    check_accessibility(page)
    save_screenshot(page, "whatif")


# --- the wording, on figures made up to reach every branch -----------------------------

PLAN = {
    "timezone": "Europe/Berlin",
    "finish": "2027-08-07T13:00:00+02:00",
    "solver": {"sessions": 120},
    "reviews": None,
}
BALANCED = {"mode": "balanced", "max_shift": 3, "pairs": 1326, "inversions": 24}
FREE = {"mode": "free", "pairs": 1326, "inversions": 38, "largest_shift": 6}


def other(mode: str, finish: str, sessions: int, inversions: int = 0) -> dict[str, Any]:
    """Another order mode's figures (an `alternatives` entry)."""
    return {"mode": mode, "finish": f"2027-08-{finish}+02:00", "sessions": sessions,
            "inversions": inversions, "largest_shift": 3 if inversions else 0}  # fmt: skip


def order(block: dict[str, Any], *others: dict[str, Any], **plan: Any) -> dict[str, Any]:
    return {**PLAN, **plan, "order": {"largest_shift": 3, **block, "alternatives": others}}


@pytest.mark.parametrize(
    ("plan", "words"),
    [
        (
            order(BALANCED, other("roadmap", "10T13:00", 124), other("free", "07T13:00", 120, 24)),
            "Follows the roadmap's order with small swaps (at most 3 places): 24 times a topic "
            "comes before one the roadmap puts first, none more than 3 places from its place. "
            "Strict roadmap order: 124 sessions (4 more), finish 3 days later; free order: the "
            "same plan.",
        ),
        (
            order({**BALANCED, "unbeatable_by": ["free"]}, other("roadmap", "07T13:00", 124)),
            "Follows the roadmap's order with small swaps (at most 3 places): 24 times a topic "
            "comes before one the roadmap puts first, none more than 3 places from its place. "
            "Strict roadmap order: 124 sessions (4 more), same finish; free order: no sooner "
            "finish or fewer sessions possible (this plan is at both bounds).",
        ),
        (
            order(FREE, other("roadmap", "07T08:00", 119)),
            "Takes any order the prerequisites allow: 38 times a topic comes before one the "
            "roadmap puts first, none more than 6 places from its place. Strict roadmap order: "
            "119 sessions (1 fewer), finish 5 h earlier.",
        ),
        (
            order({"mode": "roadmap", "pairs": 1, "inversions": 0}),
            "Follows the roadmap's order exactly: no topic moved.",
        ),
        (
            order(BALANCED, other("roadmap", "07T13:00", 124), reviews={"reviews": 2}),
            "Follows the roadmap's order with small swaps (at most 3 places): 24 times a topic "
            "comes before one the roadmap puts first, none more than 3 places from its place. "
            "Without reviews, strict roadmap order: 124 sessions, last topic Sat, 7 Aug 2027.",
        ),
        ({**PLAN, "order": None}, ""),
    ],
    ids=[
        "balanced",
        "balanced-at-bounds",
        "free-hours",
        "roadmap-replanned",
        "with-reviews",
        "old-plan",
    ],
)
def test_what_the_order_costs_in_words(
    page: Any, live_server: Any, plan: dict[str, Any], words: str
) -> None:
    page.goto(f"{live_server.base_url}/docs")  # any page of ours: the module's origin
    said = page.evaluate(
        "async (plan) => (await import('/static/js/costs.js')).orderCost(plan)", plan
    )
    assert said == words


def test_what_the_reviews_cost_in_words(page: Any, live_server: Any) -> None:
    plan = {**PLAN, "finish": "2027-10-06T20:00:00+02:00", "reviews": {
        "after_days": [1, 7, 30], "minutes": 20, "reviews": 156, "late": 1,
        "finish_without_reviews": "2027-08-07T13:00:00+02:00",
        "last_review": "2027-11-06T09:20:00+01:00"}}  # fmt: skip
    page.goto(f"{live_server.base_url}/docs")
    said = page.evaluate(
        "async (plan) => (await import('/static/js/costs.js')).reviewCost(plan)", plan
    )
    assert said == (
        "156 reviews of 20 minutes, the last on Sat, 6 Nov 2027; without them the last "
        "topic is done 60 days sooner (Sat, 7 Aug 2027). 1 review is late: no study time "
        "was free on the due day or the few days after."
    )
