"""`planner done` and `planner missed` (planner/cli/progress_commands.py): what each way
of saying what happened records and answers, word for word, and every refusal. A
refusal writes nothing; its words are all the learner has to put the command right."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.test_daily import EVERY_MORNING, TINY
from tests.test_daily_words import (
    LOS_ANGELES,
    REPLAN,
    bundled_plan_json,
    lines,
    machine_zone,
    make_plan,
    refused,
    said,
)

ONE_THING = "say one thing at a time: a TOPIC, --session, --today or --on"
AFTER_TODAY = (
    "is after today (2027-03-09): days to come are blackouts in your profile "
    "(`planner replan --profile` with them)"
)
NOT_BEGUN = (
    "--session 2.1-2 begins Fri 2027-03-12 06:00: record it once it has begun "
    "(`planner done TOPIC` if you finished the topic)"
)
WAYS = (
    "(`planner done TOPIC` records a finished topic, `--session` one session, "
    "`TOPIC --minutes N` study outside the plan)"
)


@pytest.fixture
def machine_in_utc() -> Iterator[None]:
    with machine_zone("UTC"):
        yield


@pytest.fixture
def kolkata(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Tiny every morning 06:00-08:00 in Kolkata from Mon 2027-03-08: 1.1 on Monday,
    1.2 on Tuesday and Wednesday, 2.1 on Thursday and Friday."""
    monkeypatch.chdir(tmp_path)
    make_plan(EVERY_MORNING, "2027-03-08", *TINY)
    return tmp_path


@pytest.fixture
def los_angeles(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Tiny on Tuesday, Thursday and Saturday evenings (20:00-22:00) in Los Angeles from
    Tue 2027-03-09: 1.1 on Tuesday, 1.2 on Thursday and Saturday."""
    monkeypatch.chdir(tmp_path)
    make_plan(LOS_ANGELES, "2027-03-09", *TINY)
    return tmp_path


@pytest.fixture
def bundled(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A plan of the bundled roadmap, 08:00-20:00 every day in Berlin from Thu
    2027-03-11 (1.1 08:00-12:00, 1.2 12:00-18:00 in two sessions)."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "plan.json").write_bytes(bundled_plan_json())
    return tmp_path


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["done", "1.1", "--session", "1.1-1"], ONE_THING),
        (["done", "--session", "1.1-1", "--on", "2027-03-08"], ONE_THING),
        (["done", "--today", "--on", "2027-03-08"], ONE_THING),
        (
            ["done", "1.1", "--on", "2027-03-08"],
            "--on with a TOPIC needs --minutes (how long you studied it that day)",
        ),
        (
            ["done", "--minutes", "30"],
            "--minutes goes with --session (part of it) or a TOPIC (extra study)",
        ),
        (["done", "--hours", "6"], "--hours goes with a finished TOPIC (how long it took in all)"),
        (
            ["done", "1.1", "--hours", "2", "--minutes", "30"],
            "--hours goes with a finished TOPIC (how long it took in all)",
        ),
        (["done", "1.1", "--at", "14:00"], "--at goes with TOPIC --minutes (when you studied it)"),
        (
            ["done", "--session", "1.1-1", "--minutes", "30", "--at", "14:00"],
            "--at goes with TOPIC --minutes (when you studied it)",
        ),
        (
            ["done", "--on", "2027-02-30"],
            "--on: '2027-02-30' is not a date: write it as YYYY-MM-DD",
        ),
        (
            ["done", "1.2", "--minutes", "30", "--on", "2027-02-30"],
            "--on: '2027-02-30' is not a date: write it as YYYY-MM-DD",
        ),
        (
            ["done", "--on", "2027-03-10"],
            "--on 2027-03-10 is after today (2027-03-09): record a day once it is over",
        ),
        (
            ["done", "1.2", "--minutes", "30", "--on", "2027-03-10"],
            "2027-03-10 is after now: record study once you have done it",
        ),
        (
            ["done", "1.2", "--minutes", "30", "--at", "22:00", "--now", "2027-03-09T21:10"],
            "2027-03-09 22:00 is after now: record study once you have done it",
        ),
        (["done", "--session", "2.1-2"], NOT_BEGUN),
        (["missed", "--session", "2.1-2"], NOT_BEGUN),
        (
            ["done", "--now", "2027-03-09T05:00"],
            "no session of Tue 2027-03-09 has begun yet (the next begins 06:00): record it "
            "once you have studied",
        ),
        (["done", "--now", "2027-03-14"], f"no session is planned on Sun 2027-03-14 {WAYS}"),
        (
            ["missed", "2027-03-08", "--session", "1.1-1"],
            "say one thing at a time: days (FIRST [LAST]) or --session",
        ),
        (
            ["missed", "2027-03-08", "2027-02-30"],
            "LAST: '2027-02-30' is not a date: write it as YYYY-MM-DD",
        ),
        (["missed", "2027-03-08", "2027-03-20"], f"LAST (2027-03-20) {AFTER_TODAY}"),
        (["missed", "2027-03-20"], f"FIRST (2027-03-20) {AFTER_TODAY}"),
        (["missed", "2027-03-09", "2027-03-08"], "LAST (2027-03-08) is before FIRST (2027-03-09)"),
    ],
)
def test_done_and_missed_refuse_in_words_and_write_nothing(
    kolkata: Path, arguments: list[str], message: str
) -> None:
    now = [] if "--now" in arguments else ["--now", "2027-03-09"]
    assert refused(*arguments, *now) == f"error: {message}\n"
    assert not (kolkata / "progress.yaml").exists()


@pytest.mark.usefixtures("machine_in_utc")
def test_a_day_without_sessions_names_the_next_in_the_learners_time(los_angeles: Path) -> None:
    """Wednesday has none, the next is Thursday 20:00 there (04:00 UTC on Friday); after
    the last, none is next; before Tuesday's, it begins at 20:00."""
    assert refused("done", "--now", "2027-03-10") == (
        f"error: no session is planned on Wed 2027-03-10; the next is Thu 2027-03-11 20:00 {WAYS}\n"
    )
    assert refused("done", "--now", "2027-03-20") == (
        f"error: no session is planned on Sat 2027-03-20 {WAYS}\n"
    )
    assert refused("done", "--now", "2027-03-09T19:00") == (
        "error: no session of Tue 2027-03-09 has begun yet (the next begins 20:00): record it "
        "once you have studied\n"
    )


def test_missed_days_count_the_sessions_of_those_days(los_angeles: Path) -> None:
    """Tuesday to Thursday: Tuesday's and Thursday's sessions, none of the days before."""
    assert said("missed", "2027-03-09", "2027-03-11", "--now", "2027-03-12") == lines(
        "Recorded in progress.yaml:",
        "  missed Tue 2027-03-09 to Thu 2027-03-11 (3 days, 2 planned sessions)",
        REPLAN,
    )
    assert "missed:\n  - {from: 2027-03-09, to: 2027-03-11}\n" in Path("progress.yaml").read_text()


@pytest.mark.parametrize(
    ("arguments", "recorded", "entry"),
    [
        (  # ended now, began last evening: on the day it began
            ["--minutes", "90", "--now", "2027-03-09T00:30"],
            "Mon 2027-03-08 from 23:00: 1.2, 90 minutes",
            "{topic: '1.2', day: 2027-03-08, minutes: 90, at: \"23:00\"}",
        ),
        (  # ... unless the day is given: then from its midnight
            ["--minutes", "90", "--on", "2027-03-09", "--now", "2027-03-09T00:30"],
            "Tue 2027-03-09 from 00:00: 1.2, 90 minutes",
            "{topic: '1.2', day: 2027-03-09, minutes: 90, at: \"00:00\"}",
        ),
        (  # begun just now
            ["--minutes", "30", "--at", "14:00", "--now", "2027-03-09T14:00"],
            "Tue 2027-03-09 from 14:00: 1.2, 30 minutes",
            "{topic: '1.2', day: 2027-03-09, minutes: 30, at: \"14:00\"}",
        ),
        (  # to the second, or finer: its minute
            ["--minutes", "30", "--at", "14:00:30", "--now", "2027-03-09T14:00"],
            "Tue 2027-03-09 from 14:00: 1.2, 30 minutes",
            "{topic: '1.2', day: 2027-03-09, minutes: 30, at: \"14:00\"}",
        ),
        (
            ["--minutes", "30", "--at", "14:00:00.5", "--now", "2027-03-09T14:00"],
            "Tue 2027-03-09 from 14:00: 1.2, 30 minutes",
            "{topic: '1.2', day: 2027-03-09, minutes: 30, at: \"14:00\"}",
        ),
        (  # another day, no time said: none known
            ["--minutes", "45", "--on", "2027-03-08", "--now", "2027-03-09T14:00"],
            "Mon 2027-03-08: 1.2, 45 minutes",
            "{topic: '1.2', day: 2027-03-08, minutes: 45}",
        ),
        (  # a day alone: no time known either
            ["--minutes", "1", "--now", "2027-03-09"],
            "Tue 2027-03-09: 1.2, 1 minute",
            "{topic: '1.2', day: 2027-03-09, minutes: 1}",
        ),
    ],
)
def test_study_outside_the_plan_says_its_day_and_when_it_began(
    kolkata: Path, arguments: list[str], recorded: str, entry: str
) -> None:
    assert said("done", "1.2", *arguments) == lines(
        "Recorded in progress.yaml:", f"  {recorded} outside the plan", REPLAN
    )
    assert f"extra:\n  - {entry}\n" in (kolkata / "progress.yaml").read_text()


def test_a_topic_of_the_bundled_roadmap_finished_in_its_own_hours(bundled: Path) -> None:
    assert said("done", "1.1", "--hours", "3.5", "--now", "2027-03-11T13:00") == lines(
        "Recorded in progress.yaml:",
        "  1.1 Internet Fundamentals finished, in 3.5 h",
        "On plan: nothing to re-plan.",
    )
    assert (
        (bundled / "progress.yaml").read_text().endswith("done:\n  - '1.1'\nhours: {'1.1': 3.5}\n")
    )


def test_study_outside_the_plan_of_a_bundled_topic(bundled: Path) -> None:
    assert said("done", "1.2", "--minutes", "30", "--now", "2027-03-11T13:00") == lines(
        "Recorded in progress.yaml:",
        "  Thu 2027-03-11 from 12:30: 1.2, 30 minutes outside the plan",
        REPLAN,
    )


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["1", "--hours", "10"], "--hours: 1 is a section: give the hours of each topic"),
        (
            ["99"],
            "planner done: TOPIC: unknown topic or section id '99' "
            "(`planner topics` lists the ids)",
        ),
        (
            ["1", "--minutes", "30"],
            "planner done: TOPIC: 1 is a section: name the topic you studied (1.1, 1.2)",
        ),
        (
            ["9.9", "--minutes", "30"],
            "planner done: TOPIC: unknown topic or section id '9.9' "
            "(`planner topics` lists the ids)",
        ),
    ],
)
def test_done_refuses_what_the_bundled_roadmap_does_not_have(
    bundled: Path, arguments: list[str], message: str
) -> None:
    assert refused("done", *arguments, "--now", "2027-03-11T13:00") == f"error: {message}\n"
    assert not (bundled / "progress.yaml").exists()
