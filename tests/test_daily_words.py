"""What `planner next` says, and how `done` and `missed` show what they recorded
(planner/cli/daily.py), word for word: whole outputs of realistic weeks, for a plan of
the bundled roadmap, of the tiny one and of a roadmap of the learner's own, with
reviews, and for learners far from UTC. These lines are all a learner sees of the plan
day to day: a mark, a count or a line that changes is a change they read.

Every clock is fixed (`--now`, or a frozen clock); the machine's own zone is set to UTC
where a day read there instead of in the learner's zone would show.
"""

from __future__ import annotations

import os
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from typer.testing import CliRunner

from planner.cli.app import app
from tests.test_daily import EVERY_MORNING, TINY

runner = CliRunner()

# Twelve hours a day, every day: the bundled roadmap (234 h) planned in well under a
# second, four sessions a day from Thu 2027-03-11, with titles long enough that most
# lines are wider than a terminal's 80 columns.
LONG_DAYS = (
    "timezone: Europe/Berlin\n"
    "weekly: {mon: ['08:00-20:00'], tue: ['08:00-20:00'], wed: ['08:00-20:00'],\n"
    "         thu: ['08:00-20:00'], fri: ['08:00-20:00'], sat: ['08:00-20:00'],\n"
    "         sun: ['08:00-20:00']}\n"
    "session: {min_minutes: 60, max_minutes: 240, slot_minutes: 60}\n"
)
# Tiny (1.1 2 h, 1.2 4 h, 2.1 4 h) on Tue, Thu and Sat evenings in Los Angeles, from
# Tue 2027-03-09: 20:00-22:00 there is 04:00-06:00 UTC the next day.
LOS_ANGELES = (
    "timezone: America/Los_Angeles\n"
    "weekly: {tue: ['20:00-22:00'], thu: ['20:00-22:00'], sat: ['20:00-22:00']}\n"
    "session: {min_minutes: 60, max_minutes: 120, slot_minutes: 30}\n"
)
SAY_WHICH = (
    "  Say which: `planner done --session {}` (add --minutes N for part of it) or "
    "`planner missed {}`. A re-plan counts what you leave unsaid as studied."
)
REPLAN = "`planner replan` plans the rest from where you are."


def lines(*text: str) -> str:
    """A command's whole output: these lines, each ended."""
    return "".join(f"{line}\n" for line in text)


def said(*arguments: str) -> str:
    """The output of a command that must succeed."""
    result = runner.invoke(app, list(arguments))
    assert result.exit_code == 0, result.output
    return result.stdout


def refused(*arguments: str) -> str:
    """The message of a command that must be refused."""
    result = runner.invoke(app, list(arguments))
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    return result.stderr


def make_plan(profile: str, start: str, *roadmap: str) -> None:
    """A plan in the current folder (plan.json), made from `profile` from `start`."""
    Path("me.yaml").write_text(profile)
    said("plan", *roadmap, "--profile", "me.yaml", "--start", start, "--json", "plan.json")


@cache
def bundled_plan_json() -> bytes:
    """The bundled roadmap planned once with LONG_DAYS from Thu 2027-03-11."""
    with tempfile.TemporaryDirectory() as folder:
        (Path(folder) / "me.yaml").write_text(LONG_DAYS)
        plan = Path(folder) / "plan.json"
        said("plan", "--profile", str(Path(folder) / "me.yaml"), "--start", "2027-03-11",
             "--json", str(plan), "--ics", str(Path(folder) / "plan.ics"))  # fmt: skip
        return plan.read_bytes()


@pytest.fixture
def bundled(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A learner's folder with a plan of the bundled roadmap (made without --roadmap)."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "plan.json").write_bytes(bundled_plan_json())
    return tmp_path


@pytest.fixture
def kolkata(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Tiny every morning 06:00-08:00 in Kolkata from Mon 2027-03-08: 1.1 on Monday,
    1.2 on Tuesday and Wednesday, 2.1 on Thursday and Friday."""
    monkeypatch.chdir(tmp_path)
    make_plan(EVERY_MORNING, "2027-03-08", *TINY)
    return tmp_path


@pytest.fixture
def los_angeles(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Tiny in Los Angeles (LOS_ANGELES): 1.1 on Tue 2027-03-09, 1.2 on Thursday and
    Saturday, 2.1 on the next Tuesday and Thursday, 20:00-22:00 each."""
    monkeypatch.chdir(tmp_path)
    make_plan(LOS_ANGELES, "2027-03-09", *TINY)
    return tmp_path


@contextmanager
def machine_zone(zone: str) -> Iterator[None]:
    """The machine's own time zone is `zone` meanwhile, whatever it was."""
    before = os.environ.get("TZ")
    os.environ["TZ"] = zone
    time.tzset()
    try:
        yield
    finally:
        if before is None:
            del os.environ["TZ"]
        else:
            os.environ["TZ"] = before
        time.tzset()


@pytest.fixture
def machine_in_utc() -> Iterator[None]:
    """The machine in UTC: a day or a time read in its zone instead of in the learner's
    shows."""
    with machine_zone("UTC"):
        yield


# --- The bundled roadmap ---------------------------------------------------------------


# The first ten sessions of the bundled plan, Thursday to Saturday 14:00, as listed when
# nobody reported them.
FIRST_TEN = (
    "  Thu 2027-03-11 08:00-12:00  1.1 Internet Fundamentals (session 1 of 1; 1.1-1)",
    "  Thu 2027-03-11 12:00-15:00  1.2 Dev Environment & Tooling (session 1 of 2; 1.2-1)",
    "  Thu 2027-03-11 15:00-18:00  1.2 Dev Environment & Tooling (session 2 of 2; 1.2-2)",
    "  Thu 2027-03-11 18:00-20:00  2.1 Syntax, Data Types & Control Flow (session 1 of 3; 2.1-1)",
    "  Fri 2027-03-12 08:00-11:00  2.1 Syntax, Data Types & Control Flow (session 2 of 3; 2.1-2)",
    "  Fri 2027-03-12 11:00-14:00  2.1 Syntax, Data Types & Control Flow (session 3 of 3; 2.1-3)",
    "  Fri 2027-03-12 14:00-17:00  2.2 Functions, Modules & Packages (session 1 of 3; 2.2-1)",
    "  Fri 2027-03-12 17:00-20:00  2.2 Functions, Modules & Packages (session 2 of 3; 2.2-2)",
    "  Sat 2027-03-13 08:00-10:00  2.2 Functions, Modules & Packages (session 3 of 3; 2.2-3)",
    "  Sat 2027-03-13 10:00-14:00  3.1 Git Basics (session 1 of 1; 3.1-1)",
)


def test_next_asks_about_ten_sessions_and_names_the_one_beginning_now(bundled: Path) -> None:
    """Saturday 14:00: Git Basics ended at 14:00, so it is over and asked about (the
    tenth: no "and 0 more"); Remote Repos begins at 14:00, so it is next."""
    out = said("next", "--now", "2027-03-13T14:00")
    assert out == lines(
        "Not reported yet (10): did you study these?",
        *FIRST_TEN,
        SAY_WHICH.format("1.1-1", "2027-03-11"),
        "Today, Sat 2027-03-13 (Europe/Berlin):",
        "  08:00-10:00  2.2 Functions, Modules & Packages (session 3 of 3; 2.2-3)",
        "  10:00-14:00  3.1 Git Basics (session 1 of 1; 3.1-1)",
        "  14:00-16:00  3.2 Remote Repos (session 1 of 1; 3.2-1)",
        "  16:00-20:00  2.3 OOP in Python (session 1 of 2; 2.3-1)",
        "Next: Sat 2027-03-13 14:00-16:00  3.2 Remote Repos (session 1 of 1; 3.2-1)",
        "Rest of this week:",
        "  Sun 2027-03-14 08:00-12:00  2.3 OOP in Python (session 2 of 2; 2.3-2)",
        "  Sun 2027-03-14 12:00-16:00  2.4 Working with Files & Data (session 1 of 2; 2.4-1)",
        "  Sun 2027-03-14 16:00-20:00  2.4 Working with Files & Data (session 2 of 2; 2.4-2)",
    )


def test_next_lists_ten_sessions_not_reported_and_says_how_many_more(bundled: Path) -> None:
    """Sunday morning: twelve sessions over, ten listed; on a Sunday the week is over
    (Monday's sessions are next week's)."""
    assert said("next", "--now", "2027-03-14T09:00") == lines(
        "Not reported yet (12): did you study these?",
        *FIRST_TEN,
        "  … and 2 more",
        SAY_WHICH.format("1.1-1", "2027-03-11"),
        "Today, Sun 2027-03-14 (Europe/Berlin):",
        "  08:00-12:00  2.3 OOP in Python (session 2 of 2; 2.3-2)",
        "  12:00-16:00  2.4 Working with Files & Data (session 1 of 2; 2.4-1)",
        "  16:00-20:00  2.4 Working with Files & Data (session 2 of 2; 2.4-2)",
        "Next: Sun 2027-03-14 12:00-16:00  2.4 Working with Files & Data (session 1 of 2; 2.4-1)",
    )


def test_a_section_done_marks_each_of_its_topics_and_next_skips_them(bundled: Path) -> None:
    """`done 1` (a section) at 13:00 on the first day: 1.1 and 1.2 are finished, so
    1.2's session at 15:00 is not next, and the plan ahead no longer holds."""
    assert said("done", "1", "--now", "2027-03-11T13:00") == lines(
        "Recorded in progress.yaml:", "  1 Foundations finished", REPLAN
    )
    out = said("next", "--now", "2027-03-11T13:00")
    assert out == lines(
        "Today, Thu 2027-03-11 (Europe/Berlin):",
        "  08:00-12:00  ✓ 1.1 Internet Fundamentals (session 1 of 1; 1.1-1)",
        "  12:00-15:00  ✓ 1.2 Dev Environment & Tooling (session 1 of 2; 1.2-1)",
        "  15:00-18:00  ✓ 1.2 Dev Environment & Tooling (session 2 of 2; 1.2-2)",
        "  18:00-20:00  2.1 Syntax, Data Types & Control Flow (session 1 of 3; 2.1-1)",
        "Next: Thu 2027-03-11 18:00-20:00  2.1 Syntax, Data Types & Control Flow "
        "(session 1 of 3; 2.1-1)",
        "Rest of this week:",
        "  Fri 2027-03-12 08:00-11:00  2.1 Syntax, Data Types & Control Flow "
        "(session 2 of 3; 2.1-2)",
        "  Fri 2027-03-12 11:00-14:00  2.1 Syntax, Data Types & Control Flow "
        "(session 3 of 3; 2.1-3)",
        "  Fri 2027-03-12 14:00-17:00  2.2 Functions, Modules & Packages (session 1 of 3; 2.2-1)",
        "  Fri 2027-03-12 17:00-20:00  2.2 Functions, Modules & Packages (session 2 of 3; 2.2-2)",
        "  Sat 2027-03-13 08:00-10:00  2.2 Functions, Modules & Packages (session 3 of 3; 2.2-3)",
        "  Sat 2027-03-13 10:00-14:00  3.1 Git Basics (session 1 of 1; 3.1-1)",
        "  Sat 2027-03-13 14:00-16:00  3.2 Remote Repos (session 1 of 1; 3.2-1)",
        "  Sat 2027-03-13 16:00-20:00  2.3 OOP in Python (session 1 of 2; 2.3-1)",
        "  Sun 2027-03-14 08:00-12:00  2.3 OOP in Python (session 2 of 2; 2.3-2)",
        "  Sun 2027-03-14 12:00-16:00  2.4 Working with Files & Data (session 1 of 2; 2.4-1)",
        "  Sun 2027-03-14 16:00-20:00  2.4 Working with Files & Data (session 2 of 2; 2.4-2)",
        "Your record differs from the plan (1.2: topic done ahead of the plan): " + REPLAN,
    )


def test_done_records_each_of_todays_sessions_on_its_own_line(bundled: Path) -> None:
    out = said("done", "--now", "2027-03-12T20:00")
    assert out == lines(
        "Recorded in progress.yaml:",
        "  Fri 2027-03-12 08:00-11:00  ✓ 2.1 Syntax, Data Types & Control Flow "
        "(session 2 of 3; 2.1-2)",
        "  Fri 2027-03-12 11:00-14:00  ✓ 2.1 Syntax, Data Types & Control Flow "
        "(session 3 of 3; 2.1-3)",
        "  Fri 2027-03-12 14:00-17:00  ✓ 2.2 Functions, Modules & Packages (session 1 of 3; 2.2-1)",
        "  Fri 2027-03-12 17:00-20:00  ✓ 2.2 Functions, Modules & Packages (session 2 of 3; 2.2-2)",
        "On plan: nothing to re-plan.",
    )


@pytest.mark.parametrize(
    "command",
    [
        ["next"],
        ["done"],
        ["done", "--session", "2.1-2"],
        ["done", "1.1"],
        ["done", "1.2", "--minutes", "30"],
        ["missed"],
    ],
)
def test_an_id_of_no_topic_in_the_progress_file_is_refused_with_the_file(
    bundled: Path, command: list[str]
) -> None:
    (bundled / "progress.yaml").write_text("skipped: ['3.9']\n")
    assert refused(*command, "--now", "2027-03-12T20:00") == (
        "error: progress.yaml: skipped[0]: unknown topic or section id '3.9' "
        "(`planner topics` lists the ids)\n"
    )
    # Regression: done and missed wrote their entry before the record was refused.
    assert (bundled / "progress.yaml").read_text() == "skipped: ['3.9']\n"


# --- The tiny roadmap, every morning in Kolkata ----------------------------------------


def test_after_the_last_session_nothing_is_planned_and_nothing_left(kolkata: Path) -> None:
    assert said("next", "--now", "2027-03-13T09:00") == lines(
        "Not reported yet (5): did you study these?",
        "  Mon 2027-03-08 06:00-08:00  1.1 First Steps (session 1 of 1; 1.1-1)",
        "  Tue 2027-03-09 06:00-08:00  1.2 Next Steps (session 1 of 2; 1.2-1)",
        "  Wed 2027-03-10 06:00-08:00  1.2 Next Steps (session 2 of 2; 1.2-2)",
        "  Thu 2027-03-11 06:00-08:00  2.1 Practice (session 1 of 2; 2.1-1)",
        "  Fri 2027-03-12 06:00-08:00  2.1 Practice (session 2 of 2; 2.1-2)",
        SAY_WHICH.format("1.1-1", "2027-03-08"),
        "Today, Sat 2027-03-13 (Asia/Kolkata):",
        "  nothing planned",
        "Next: nothing left.",
    )


def test_topics_done_or_skipped_ahead_are_marked_and_never_next(kolkata: Path) -> None:
    """A roadmap other than the bundled one: its ids are read as topic ids."""
    (kolkata / "progress.yaml").write_text("done: ['1.2']\nskipped: ['2.1']\n")
    assert said("next", "--now", "2027-03-08T08:30") == lines(
        "Not reported yet (1): did you study these?",
        "  Mon 2027-03-08 06:00-08:00  1.1 First Steps (session 1 of 1; 1.1-1)",
        SAY_WHICH.format("1.1-1", "2027-03-08"),
        "Today, Mon 2027-03-08 (Asia/Kolkata):",
        "  06:00-08:00  1.1 First Steps (session 1 of 1; 1.1-1)",
        "Next: nothing left.",
        "Rest of this week:",
        "  Tue 2027-03-09 06:00-08:00  ✓ 1.2 Next Steps (session 1 of 2; 1.2-1)",
        "  Wed 2027-03-10 06:00-08:00  ✓ 1.2 Next Steps (session 2 of 2; 1.2-2)",
        "  Thu 2027-03-11 06:00-08:00  skipped: 2.1 Practice (session 1 of 2; 2.1-1)",
        "  Fri 2027-03-12 06:00-08:00  skipped: 2.1 Practice (session 2 of 2; 2.1-2)",
        "Your record differs from the plan (1.2: topic done ahead of the plan; "
        "2.1: skipped ahead of the plan): " + REPLAN,
    )


def test_three_differences_are_listed_and_a_fourth_is_an_ellipsis(kolkata: Path) -> None:
    """Monday missed, half of Tuesday's session, 2.1 finished ahead: three differences,
    all named; then extra study makes four, and the fourth is "…"."""
    now = ("--now", "2027-03-09T09:00")
    assert said("missed", "--session", "1.1-1", *now) == lines(
        "Recorded in progress.yaml:",
        "  Mon 2027-03-08 06:00-08:00  ✗ missed: 1.1 First Steps (session 1 of 1; 1.1-1)",
        REPLAN,
    )
    assert said("done", "--session", "1.2-1", "--minutes", "60", *now) == lines(
        "Recorded in progress.yaml:",
        "  Tue 2027-03-09 06:00-08:00  ✓ 60 of 120 min: 1.2 Next Steps (session 1 of 2; 1.2-1)",
        REPLAN,
    )
    assert said("done", "2.1", *now) == lines(
        "Recorded in progress.yaml:", "  2.1 Practice finished", REPLAN
    )
    week = (
        "Today, Tue 2027-03-09 (Asia/Kolkata):",
        "  06:00-08:00  ✓ 60 of 120 min: 1.2 Next Steps (session 1 of 2; 1.2-1)",
        "Next: Wed 2027-03-10 06:00-08:00  1.2 Next Steps (session 2 of 2; 1.2-2)",
        "Rest of this week:",
        "  Wed 2027-03-10 06:00-08:00  1.2 Next Steps (session 2 of 2; 1.2-2)",
        "  Thu 2027-03-11 06:00-08:00  ✓ 2.1 Practice (session 1 of 2; 2.1-1)",
        "  Fri 2027-03-12 06:00-08:00  ✓ 2.1 Practice (session 2 of 2; 2.1-2)",
    )
    three = (
        "Your record differs from the plan (1.1 on 2027-03-08: missed; "
        "1.2 on 2027-03-09: 60 of 120 min; 2.1: topic done ahead of the plan"
    )
    assert said("next", *now) == lines(*week, f"{three}): {REPLAN}")
    assert said("done", "1.2", "--minutes", "30", "--at", "08:30", *now) == lines(
        "Recorded in progress.yaml:",
        "  Tue 2027-03-09 from 08:30: 1.2, 30 minutes outside the plan",
        REPLAN,
    )
    assert said("next", *now) == lines(*week, f"{three}; …): {REPLAN}")


def test_done_after_part_of_a_session_corrects_it_and_then_refuses(kolkata: Path) -> None:
    """A session done for 60 minutes, then `done` for the day: it is done as planned
    now; a second `done` has nothing left to record."""
    now = ("--now", "2027-03-09T09:00")
    said("done", "--session", "1.2-1", "--minutes", "60", *now)
    assert said("done", *now) == lines(
        "Recorded in progress.yaml:",
        "  Tue 2027-03-09 06:00-08:00  ✓ 1.2 Next Steps (session 1 of 2; 1.2-1)",
        "On plan: nothing to re-plan.",
    )
    assert refused("done", *now) == (
        "error: every session on Tue 2027-03-09 is recorded already (`planner next` shows them)\n"
    )


def test_after_a_replan_todays_history_is_done_and_cannot_be_recorded_again(
    kolkata: Path,
) -> None:
    """An hour of Tuesday's two, then a re-plan at 09:00: Tuesday keeps that hour as
    history (06:00-07:00, done), the rest of 1.2 moves on. History is not recorded
    again, by session or by day (Monday's, which the re-plan counted as studied, too)."""
    now = ("--now", "2027-03-09T09:00")
    said("done", "--session", "1.2-1", "--minutes", "60", *now)
    said("replan", *TINY, *now)
    assert said("next", *now) == lines(
        "Today, Tue 2027-03-09 (Asia/Kolkata):",
        "  06:00-07:00  ✓ 1.2 Next Steps (session 1 of 3; 1.2-1)",
        "Next: Wed 2027-03-10 06:00-08:00  1.2 Next Steps (session 2 of 3; 1.2-2)",
        "Rest of this week:",
        "  Wed 2027-03-10 06:00-08:00  1.2 Next Steps (session 2 of 3; 1.2-2)",
        "  Thu 2027-03-11 06:00-07:00  1.2 Next Steps (session 3 of 3; 1.2-3)",
        "  Thu 2027-03-11 07:00-08:00  2.1 Practice (session 1 of 3; 2.1-1)",
        "  Fri 2027-03-12 06:00-08:00  2.1 Practice (session 2 of 3; 2.1-2)",
        "  Sat 2027-03-13 06:00-07:00  2.1 Practice (session 3 of 3; 2.1-3)",
    )
    assert refused("done", "--session", "1.2-1", *now) == (
        "error: --session 1.2-1 is history since the last re-plan, which took it as it was: "
        "say how much of its topic you have studied with `planner done TOPIC --hours N` "
        "(finished) or in progress.yaml's hours\n"
    )
    for day in ("Mon 2027-03-08", "Tue 2027-03-09"):
        assert refused("done", "--on", day[4:], *now) == (
            f"error: every session on {day} is recorded already (`planner next` shows them)\n"
        )


def test_a_session_reported_missed_is_not_what_comes_next(kolkata: Path) -> None:
    """At the end of Tuesday (a day alone), Tuesday's session reported missed: next is
    Wednesday's."""
    said("missed", "--session", "1.2-1", "--now", "2027-03-09")
    out = said("next", "--now", "2027-03-09")
    assert (
        "Today, Tue 2027-03-09 (Asia/Kolkata):\n"
        "  06:00-08:00  ✗ missed: 1.2 Next Steps (session 1 of 2; 1.2-1)\n"
        "Next: Wed 2027-03-10 06:00-08:00  1.2 Next Steps (session 2 of 2; 1.2-2)\n"
    ) in out


# --- Reviews -------------------------------------------------------------------------


def test_reviews_are_listed_and_recorded_as_reviews(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With `review: true` 1.1 (2 h, Monday) gets its first review on Tuesday at 06:00,
    before 1.2 begins at 06:30."""
    monkeypatch.chdir(tmp_path)
    make_plan(EVERY_MORNING + "review: true\n", "2027-03-08", *TINY)
    review = "Review: 1.1 First Steps (review 1 of 3; 1.1-review1)"
    assert said("next", "--now", "2027-03-09T07:30") == lines(
        "Not reported yet (2): did you study these?",
        "  Mon 2027-03-08 06:00-08:00  1.1 First Steps (session 1 of 1; 1.1-1)",
        f"  Tue 2027-03-09 06:00-06:20  {review}",
        SAY_WHICH.format("1.1-1", "2027-03-08"),
        "Today, Tue 2027-03-09 (Asia/Kolkata):",
        f"  06:00-06:20  {review}",
        "  06:30-08:00  1.2 Next Steps (session 1 of 3; 1.2-1)",
        "Next: Wed 2027-03-10 06:00-08:00  1.2 Next Steps (session 2 of 3; 1.2-2)",
        "Rest of this week:",
        "  Wed 2027-03-10 06:00-08:00  1.2 Next Steps (session 2 of 3; 1.2-2)",
        "  Thu 2027-03-11 06:00-06:30  1.2 Next Steps (session 3 of 3; 1.2-3)",
        "  Thu 2027-03-11 06:30-08:00  2.1 Practice (session 1 of 3; 2.1-1)",
        "  Fri 2027-03-12 06:00-06:20  Review: 1.2 Next Steps (review 1 of 3; 1.2-review1)",
        "  Fri 2027-03-12 06:30-08:00  2.1 Practice (session 2 of 3; 2.1-2)",
        "  Sat 2027-03-13 06:00-07:00  2.1 Practice (session 3 of 3; 2.1-3)",
    )
    assert said("done", "--now", "2027-03-09T08:00") == lines(
        "Recorded in progress.yaml:",
        f"  Tue 2027-03-09 06:00-06:20  ✓ {review}",
        "  Tue 2027-03-09 06:30-08:00  ✓ 1.2 Next Steps (session 1 of 3; 1.2-1)",
        "On plan: nothing to re-plan.",
    )


# --- A roadmap of the learner's own -----------------------------------------------------


def test_a_plan_of_another_roadmap_reads_its_own_ids(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ids the bundled roadmap does not have are the learner's own topics here, not
    mistakes: recorded, read, marked."""
    monkeypatch.chdir(tmp_path)
    Path("mine.yaml").write_text(
        "id: mine\ntitle: My Roadmap\nsections:\n"
        "  - id: A\n    title: Alphabet\n    hours: 4\n    topics:\n"
        "      - {id: A.1, title: Letters, hours: 2}\n"
        "      - {id: A.2, title: Words, hours: 2}\n"
    )
    Path("edges.yaml").write_text("roadmap: mine\nedges: []\n")
    make_plan(EVERY_MORNING, "2027-03-08", "--roadmap", "mine.yaml", "--prerequisites",
              "edges.yaml")  # fmt: skip
    now = ("--now", "2027-03-08T09:00")
    assert said("done", "A.1", *now) == lines(
        "Recorded in progress.yaml:", "  A.1 Letters finished", "On plan: nothing to re-plan."
    )
    assert said("done", "A.2", "--minutes", "20", *now) == lines(
        "Recorded in progress.yaml:",
        "  Mon 2027-03-08 from 08:40: A.2, 20 minutes outside the plan",
        REPLAN,
    )
    assert said("next", *now) == lines(
        "Today, Mon 2027-03-08 (Asia/Kolkata):",
        "  06:00-08:00  ✓ A.1 Letters (session 1 of 1; A.1-1)",
        "Next: Tue 2027-03-09 06:00-08:00  A.2 Words (session 1 of 1; A.2-1)",
        "Rest of this week:",
        "  Tue 2027-03-09 06:00-08:00  A.2 Words (session 1 of 1; A.2-1)",
        "Your record differs from the plan (extra study of A.2 on 2027-03-08): " + REPLAN,
    )


# --- Far from UTC ---------------------------------------------------------------------


@pytest.mark.usefixtures("machine_in_utc")
@pytest.mark.parametrize("command", [["done"], ["done", "--session", "1.1-1"]])
def test_a_los_angeles_evening_is_recorded_on_the_learners_day(
    los_angeles: Path, command: list[str]
) -> None:
    """Tuesday 20:00 in Los Angeles is Wednesday in UTC; at the end of Tuesday (a day
    alone) it has begun."""
    assert said(*command, "--now", "2027-03-09") == lines(
        "Recorded in progress.yaml:",
        "  Tue 2027-03-09 20:00-22:00  ✓ 1.1 First Steps (session 1 of 1; 1.1-1)",
        "On plan: nothing to re-plan.",
    )


@pytest.mark.usefixtures("machine_in_utc")
def test_a_los_angeles_day_missed_holds_its_evening_session(los_angeles: Path) -> None:
    """Tuesday missed, said at its end (a day alone): its evening session counts as
    missed on the learner's Tuesday, none of it is still ahead."""
    out = said("missed", "--now", "2027-03-09")
    assert out.startswith(
        lines("Recorded in progress.yaml:", "  missed Tue 2027-03-09 (1 day, 1 planned session)")
    )
    out = said("next", "--now", "2027-03-09")
    assert out.startswith(
        lines(
            "Today, Tue 2027-03-09 (America/Los_Angeles):",
            "  20:00-22:00  ✗ missed: 1.1 First Steps (session 1 of 1; 1.1-1)",
        )
    )


@pytest.mark.usefixtures("machine_in_utc")
def test_a_los_angeles_session_missed_the_evening_before_differs_from_the_plan(
    los_angeles: Path,
) -> None:
    """Said on Wednesday (a day alone): Tuesday 20:00 there is before Wednesday began,
    though not before UTC's Wednesday began."""
    assert said("missed", "--session", "1.1-1", "--now", "2027-03-10") == lines(
        "Recorded in progress.yaml:",
        "  Tue 2027-03-09 20:00-22:00  ✗ missed: 1.1 First Steps (session 1 of 1; 1.1-1)",
        REPLAN,
    )


def test_days_written_missed_ahead_leave_their_sessions_still_ahead_planned(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A Tokyo learner writes a week off into progress.yaml on Tuesday: Tuesday's
    morning session is missed, Thursday's and Saturday's stay planned (07:00 there is
    22:00 UTC the day before)."""
    monkeypatch.chdir(tmp_path)
    make_plan(LOS_ANGELES.replace("America/Los_Angeles", "Asia/Tokyo").replace(
        "20:00-22:00", "07:00-09:00"), "2027-03-09", *TINY)  # fmt: skip
    Path("progress.yaml").write_text("missed:\n  - {from: 2027-03-09, to: 2027-03-14}\n")
    assert said("next", "--now", "2027-03-09T12:00") == lines(
        "Today, Tue 2027-03-09 (Asia/Tokyo):",
        "  07:00-09:00  ✗ missed: 1.1 First Steps (session 1 of 1; 1.1-1)",
        "Next: Thu 2027-03-11 07:00-09:00  1.2 Next Steps (session 1 of 2; 1.2-1)",
        "Rest of this week:",
        "  Thu 2027-03-11 07:00-09:00  1.2 Next Steps (session 1 of 2; 1.2-1)",
        "  Sat 2027-03-13 07:00-09:00  1.2 Next Steps (session 2 of 2; 1.2-2)",
        "Your record differs from the plan (1.1 on 2027-03-09: missed day): " + REPLAN,
    )


def test_a_session_past_midnight_is_listed_once_in_the_week(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Chatham, Tuesday and Thursday 23:00-01:00: each session starts on its day and runs
    into the next; the week lists it on its day only."""
    monkeypatch.chdir(tmp_path)
    make_plan(
        "timezone: Pacific/Chatham\nweekly: {tue: ['23:00-01:00'], thu: ['23:00-01:00']}\n"
        "session: {min_minutes: 60, max_minutes: 120, slot_minutes: 30}\n",
        "2027-03-09",
        *TINY,
    )
    assert said("next", "--now", "2027-03-08T12:00") == lines(
        "Today, Mon 2027-03-08 (Pacific/Chatham):",
        "  nothing planned",
        "Next: Tue 2027-03-09 23:00-01:00  1.1 First Steps (session 1 of 1; 1.1-1)",
        "Rest of this week:",
        "  Tue 2027-03-09 23:00-01:00  1.1 First Steps (session 1 of 1; 1.1-1)",
        "  Thu 2027-03-11 23:00-01:00  1.2 Next Steps (session 1 of 2; 1.2-1)",
    )
    assert said("missed", "2027-03-09", "2027-03-10", "--now", "2027-03-12") == lines(
        "Recorded in progress.yaml:",
        "  missed Tue 2027-03-09 to Wed 2027-03-10 (2 days, 1 planned session)",
        REPLAN,
    )


@pytest.mark.usefixtures("machine_in_utc")
def test_without_now_the_clock_is_read_in_the_learners_zone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """23:10 UTC on Tuesday is 08:10 on Wednesday in Tokyo: half an hour of extra study
    said then began at 07:40 on Wednesday, the learner's day."""
    import planner.timeline.clock

    monkeypatch.chdir(tmp_path)
    make_plan(LOS_ANGELES.replace("America/Los_Angeles", "Asia/Tokyo"), "2027-03-09", *TINY)
    instant = datetime(2027, 3, 9, 23, 10, tzinfo=UTC)

    def frozen_clock(zone: ZoneInfo | None) -> datetime:
        return instant.astimezone(zone)

    monkeypatch.setattr(planner.timeline.clock, "now_in", frozen_clock)
    assert said("done", "1.2", "--minutes", "30") == lines(
        "Recorded in progress.yaml:",
        "  Wed 2027-03-10 from 07:40: 1.2, 30 minutes outside the plan",
        REPLAN,
    )
