"""Issue 28: every refusal of the start form lands beside the field it is about, in the
web's words. One bad value at a time — a goal, a goal's date, a kind of holiday, a busy
calendar and its option, a review's minutes and days, the pace, a section's pace and
hours, the days a re-plan keeps — sent to the service; each answer is shown under that
field (its section opened if it was closed), the field marked invalid and described by
the note, with no command to run and no key or class name in it. At 1280 and 390 px."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest

Setter = Callable[[Any], None]
# What the web never says: a command, a key as the YAML spells it, a Python error's name.
NOT_THE_WEBS_WORDS = re.compile(
    r"`|planner |\b[a-z]+_[a-z_]+\b|\bprofile[.:\[]|Value error|\b[a-z]+\.[a-z_]+ \(|\[\d+\]"
)


def set_value(selector: str, value: str) -> Setter:
    """The value typed into a field, even one in a closed section (the error opens it)."""

    def typed(page: Any) -> None:
        page.locator(selector).first.evaluate(
            "(input, value) => { input.value = value;"
            " input.dispatchEvent(new Event('input', {bubbles: true})); }",
            value,
        )

    return typed


def goal(topic: str, by: str = "") -> Setter:
    def chosen(page: Any) -> None:
        if not page.locator(".goal-row").count():
            page.click("#add-goal")
        page.get_by_label("Goal 1: topic or section").fill(topic)
        page.get_by_label("Goal 1: reached by (optional)").fill(by)

    return chosen


def holidays(country: str, categories: str) -> Setter:
    def chosen(page: Any) -> None:
        page.select_option("#holiday-country", country)
        page.fill("#holiday-categories", categories)

    return chosen


def busy(address: str, buffer: str = "0") -> Setter:
    def chosen(page: Any) -> None:
        page.locator(".busy-row .remove").evaluate_all(
            "(buttons) => buttons.forEach((b) => b.click())"
        )
        if address:
            page.click("#add-busy")
            page.get_by_label("Calendar 1: address").fill(address)
            set_value(".busy-row .busy-buffer", buffer)(page)

    return chosen


def monday_window(start: str, end: str) -> Setter:
    """A second window on Monday (the example week has one, 19:00-21:00)."""

    def chosen(page: Any) -> None:
        monday = page.locator(".day[data-day=mon]")
        if monday.locator(".window-row").count() < 2:
            monday.locator(".add-window").click()
        monday.get_by_label("Monday window 2: from").fill(start)
        monday.get_by_label("Monday window 2: to").fill(end)

    return chosen


def days_off(first: str, last: str) -> Setter:
    def chosen(page: Any) -> None:
        if not page.locator(".blackout-row").count():
            page.click("#add-blackout")
        page.get_by_label("Days off 1: first day").fill(first)
        page.get_by_label("Days off 1: last day").fill(last)

    return chosen


def reviews(minutes: str, after: str) -> Setter:
    def chosen(page: Any) -> None:
        page.check("#review")
        page.fill("#review-minutes", minutes)
        page.fill("#review-after", after)

    return chosen


TREE = ".topics[data-roadmap=python-backend]"
SECTION_3_PACE = f"{TREE} .section-pace[data-id='3']"
SECTION_4_HOURS = f"{TREE} .section-hours[data-id='4']"
LONGER = "“Minutes a review” (500) is longer than “Longest session (minutes)”"
CALENDAR = "https://calendar.example.org/a.ics"
# (what is set wrong, where its error shows, words it says, what sets it right)
OVERLAP = "Monday 19:00-21:00 overlaps Monday 19:30-20:30"
CASES = [
    (
        monday_window("19:30", "20:30"),
        "profile.weekly.mon",
        OVERLAP,
        monday_window("21:00", "22:00"),
    ),
    (
        days_off("2027-05-10", "2027-05-01"),
        "profile.blackouts.0",
        "the last day",
        days_off("2027-05-01", "2027-05-10"),
    ),
    (
        set_value("#deadline", "2027-03-01"),
        "profile.deadline",
        "cannot be met",
        set_value("#deadline", ""),
    ),
    (goal("6.9"), "profile.goals.0", "no topic or section 6.9 in this roadmap", goal("6.3")),
    (goal("6.3", "2026-12-01"), "profile.goals.0", "is before start", goal("6.3")),
    (
        holidays("DE", "nonsense"),
        "profile.holidays.categories",
        "no kind of holiday called nonsense",
        holidays("", ""),
    ),
    (busy("work.ics"), "profile.busy.0.ics", "by URL (http, https or webcal)", busy("")),
    (busy(CALENDAR, "300"), "profile.busy.0.buffer_minutes", "or equal to 240", busy("")),
    (reviews("500", "1, 7"), "profile.review.minutes", LONGER, reviews("20", "1, 7")),
    (reviews("20", "1, x"), "profile.review.after_days", "whole number", reviews("20", "1, 7")),
    (set_value("#pace", "50"), "profile.pace", "or equal to 10", set_value("#pace", "1")),
    (
        set_value(SECTION_3_PACE, "50"),
        "profile.pace.3",
        "or equal to 10",
        set_value(SECTION_3_PACE, ""),
    ),
    (
        set_value(SECTION_4_HOURS, "-5"),
        "profile.hours.4",
        "or equal to 0",
        set_value(SECTION_4_HOURS, ""),
    ),
    (
        set_value("#keep-days", "400"),
        "profile.replan.keep_days",
        "or equal to 365",
        set_value("#keep-days", "14"),
    ),
]


def check_beside(page: Any, loc: str, words: str) -> None:
    """The one error on the page: under the field at `loc`, visible, near its control,
    which is marked invalid and described by it; said in the web's words."""
    field = page.locator(f"[data-loc='{loc}']")
    note = field.locator(":scope > .field-error")
    note.wait_for()
    assert page.locator(".field-error").count() == 1, page.locator(".field-error").all_inner_texts()
    said = note.inner_text()
    assert words in said, said
    assert not NOT_THE_WEBS_WORDS.search(said), said
    summary = page.inner_text("#form-errors")
    assert not NOT_THE_WEBS_WORDS.search(summary), summary
    control = field.locator("input, select, textarea").first
    assert control.get_attribute("aria-invalid") == "true"
    assert note.get_attribute("id") in (control.get_attribute("aria-describedby") or "")
    assert note.is_visible() and control.is_visible()
    # Under the field's nearest control (a day's last window, a row's last input).
    top = note.bounding_box()["y"]
    gaps = [
        top - (box["y"] + box["height"])
        for box in field.locator("input, select, textarea").evaluate_all(
            "(controls) => controls.filter((c) => c.checkVisibility())"
            ".map((c) => c.getBoundingClientRect().toJSON())"
        )
        if box["y"] + box["height"] <= top + 5
    ]
    assert gaps and min(gaps) <= 80, f"{loc}: {min(gaps, default=None)} px below its field"
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], f"{width} px wide"


@pytest.mark.parametrize("viewport", ["page", "phone_page"])
def test_every_refusal_is_shown_beside_its_field_in_the_webs_words(
    viewport: str, request: pytest.FixtureRequest, live_server: Any, check_accessibility: Any
) -> None:
    page = request.getfixturevalue(viewport)
    page.goto(f"{live_server.base_url}/")
    page.click("#example-week")
    for index, (wrong, loc, words, right) in enumerate(CASES):
        wrong(page)
        with page.expect_response(lambda answer: answer.url.endswith("/plans")) as answer:
            page.click("#make-plan")
        assert answer.value.status == 422, (loc, answer.value.text())
        check_beside(page, loc, words)
        if index == 0:
            check_accessibility(page)
        right(page)
    assert page.url == f"{live_server.base_url}/", "nothing was planned"
