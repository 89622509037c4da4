"""The daily loop on the command line for learners far from UTC, with a fixed clock
(`--now`, the learner's local time): Los Angeles, whose evenings are the next day in
UTC (and who crosses the spring-forward of 2027-03-14), Tokyo and Kolkata, whose early
mornings are the previous day in UTC, and Chatham at +13:45. A day is always the
learner's: each command here would pick another session if it used the UTC date."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from typer.testing import CliRunner

from planner.cli.app import app
from tests.test_daily import TINY

runner = CliRunner()
# Tiny: 1.1 (2 h), 1.2 (4 h), 2.1 (4 h): five 2-hour sessions on Tue, Thu, Sat from
# Tue 2027-03-09: 1.1 Tue 9th, 1.2 Thu 11th and Sat 13th, 2.1 Tue 16th and Thu 18th.
LEARNERS = {
    "America/Los_Angeles": "20:00-22:00",  # 04:00-06:00 UTC, the next day
    "Asia/Tokyo": "07:00-09:00",  # 22:00-24:00 UTC, the day before
    "Asia/Kolkata": "05:00-07:00",  # 23:30-01:30 UTC, across UTC's midnight
    "Pacific/Chatham": "08:00-10:00",  # 18:15-20:15 UTC the day before, at +13:45
}


def run(*arguments: str) -> str:
    result = runner.invoke(app, [*arguments])
    assert result.exit_code == 0, result.output
    return result.stdout


def local(day: str, clock: str) -> str:
    """`--now` for the learner: their day and wall-clock time."""
    return f"{day}T{clock}"


def sessions(folder: Path) -> list[dict[str, Any]]:
    return list(json.loads((folder / "plan.json").read_text())["sessions"])


@pytest.fixture(params=sorted(LEARNERS))
def learner(request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    zone = request.param
    window = LEARNERS[zone]
    (tmp_path / "me.yaml").write_text(
        f"timezone: {zone}\nweekly: {{tue: ['{window}'], thu: ['{window}'], sat: ['{window}']}}\n"
        "session: {min_minutes: 60, max_minutes: 120, slot_minutes: 30}\n"
    )
    monkeypatch.chdir(tmp_path)
    run("plan", *TINY, "--profile", "me.yaml", "--start", "2027-03-09", "--json", "plan.json")
    days = [(s["topic"], s["start"][:10]) for s in sessions(tmp_path)]
    assert days == [("1.1", "2027-03-09"), ("1.2", "2027-03-11"), ("1.2", "2027-03-13"),
                    ("2.1", "2027-03-16"), ("2.1", "2027-03-18")]  # fmt: skip
    return zone


def test_three_weeks_of_the_daily_loop_in_the_learners_days(learner: str) -> None:
    folder = Path.cwd()
    start, end = LEARNERS[learner].split("-")
    after = (datetime.strptime(end, "%H:%M") + timedelta(minutes=15)).strftime("%H:%M")
    before = (datetime.strptime(start, "%H:%M") - timedelta(hours=1)).strftime("%H:%M")

    # Tuesday, an hour before the session: it is today's and next.
    out = run("next", "--now", local("2027-03-09", before))
    assert f"Today, Tue 2027-03-09 ({learner}):\n  {start}-{end}  1.1 First Steps" in out
    assert f"Next: Tue 2027-03-09 {start}-{end}  1.1" in out
    assert "Not reported yet" not in out

    # Just after it: `done` records Tuesday's session (not Wednesday's or Monday's).
    out = run("done", "--now", local("2027-03-09", after))
    assert f"Tue 2027-03-09 {start}-{end}  ✓ 1.1 First Steps" in out
    assert "On plan: nothing to re-plan." in out
    out = run("next", "--now", local("2027-03-09", after))
    assert f"  {start}-{end}  ✓ 1.1 First Steps" in out
    assert f"Next: Thu 2027-03-11 {start}-{end}  1.2 Next Steps" in out
    assert "Rest of this week:\n  Thu 2027-03-11" in out and "Sat 2027-03-13" in out
    assert "2027-03-16" not in out  # next week is not "this week"

    # Thursday's session goes unreported; on Friday `next` asks about it.
    out = run("next", "--now", local("2027-03-12", before))
    assert f"Not reported yet (1): did you study these?\n  Thu 2027-03-11 {start}-{end}" in out
    assert "`planner missed 2027-03-11`" in out
    run("missed", "--now", local("2027-03-11", after))  # today, Thursday

    # Saturday: half of the session, recorded late that evening.
    out = run("done", "--session", "1.2-2", "--minutes", "60", "--now",
              local("2027-03-13", "23:30"))  # fmt: skip
    assert f"Sat 2027-03-13 {start}-{end}  ✓ 60 of 120 min: 1.2" in out
    assert "`planner replan` plans the rest" in out

    # Sunday evening: re-plan. History: Tuesday whole, Saturday's first hour; Thursday's
    # session gone (missed); everything else after now.
    out = run("replan", *TINY, "--now", local("2027-03-14", "21:00"))
    assert "from Sun 2027-03-14 21:00 (now)" in out
    plan = json.loads((folder / "plan.json").read_text())
    assert plan["as_of"] == "2027-03-14"
    zone = ZoneInfo(learner)
    done = [s for s in plan["sessions"] if s.get("done")]
    assert [(s["topic"], s["start"][:10]) for s in done] == [("1.1", "2027-03-09"),
                                                            ("1.2", "2027-03-13")]  # fmt: skip
    saturday = done[1]
    assert saturday["start"][11:16] == start
    minutes = datetime.fromisoformat(saturday["end"]) - datetime.fromisoformat(saturday["start"])
    assert minutes == timedelta(minutes=60)
    resumes = datetime.fromisoformat(plan["resumes_at"])
    assert resumes == datetime(2027, 3, 14, 21, tzinfo=zone)
    upcoming = [s for s in plan["sessions"] if not s.get("done")]
    assert all(datetime.fromisoformat(s["start"]) >= resumes for s in upcoming)
    # 3 h of 1.2 are left (1 h studied, the missed 2 h again): first thing on Tuesday.
    assert [(s["topic"], s["start"][:10]) for s in upcoming[:2]] == [
        ("1.2", "2027-03-16"),
        ("1.2", "2027-03-18"),
    ]
    # Every session lies in the learner's wall-clock window, DST or not.
    assert all(start <= s["start"][11:16] < s["end"][11:16] <= end for s in plan["sessions"])

    # Tuesday of week 3 at the session's end: done, on plan.
    out = run("done", "--now", local("2027-03-16", after))
    assert f"Tue 2027-03-16 {start}-{end}  ✓ 1.2 Next Steps" in out
    assert "On plan: nothing to re-plan." in out


def test_a_replan_right_after_todays_reported_session_keeps_the_rest_of_the_week(
    learner: str,
) -> None:
    """Tuesday's session done, re-planned just after it: nothing moves."""
    folder = Path.cwd()
    end = LEARNERS[learner].split("-")[1]
    before = sessions(folder)
    run("done", "--now", local("2027-03-09", end))
    out = run("replan", *TINY, "--now", local("2027-03-09", end))
    assert "4 kept, 0 moved, 0 added, 0 dropped; 1 done so far" in out
    assert "(after today's sessions, which are reported)" in " ".join(out.split())
    after = sessions(folder)
    assert [s["start"] for s in after] == [s["start"] for s in before]


def test_a_session_past_midnight_is_todays_until_it_ends(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Chatham, Tuesday 23:00-01:00: at 00:30 on Wednesday the session is still running.
    Regression: `next` asked whether it happened, `done` found no session on Wednesday,
    and a re-plan froze it as studied."""
    (tmp_path / "me.yaml").write_text(
        "timezone: Pacific/Chatham\nweekly: {tue: ['23:00-01:00'], thu: ['23:00-01:00']}\n"
        "session: {min_minutes: 60, max_minutes: 120, slot_minutes: 30}\n"
    )
    monkeypatch.chdir(tmp_path)
    run("plan", *TINY, "--profile", "me.yaml", "--start", "2027-03-09", "--json", "plan.json")
    first = sessions(tmp_path)[0]
    assert (first["start"], first["end"]) == (
        "2027-03-09T23:00:00+13:45",
        "2027-03-10T01:00:00+13:45",
    )
    out = run("next", "--now", "2027-03-10T00:30")
    assert "Not reported yet" not in out
    assert "Today, Wed 2027-03-10 (Pacific/Chatham):\n  23:00-01:00  1.1 First Steps" in out
    replanned = runner.invoke(app, ["replan", *TINY, "--now", "2027-03-10T00:30",
                                    "--json", "later.json", "--ics", "later.ics"])  # fmt: skip
    assert replanned.exit_code == 0, replanned.output
    assert "from Tue 2027-03-09 23:00 (today's session of 1.1 is not reported yet, so it" in (
        " ".join(replanned.stdout.split())
    )
    later = json.loads((tmp_path / "later.json").read_text())["sessions"]
    assert not any(s.get("done") for s in later) and later[0]["start"] == first["start"]
    out = run("done", "--now", "2027-03-10T01:05")
    assert "Tue 2027-03-09 23:00-01:00  ✓ 1.1 First Steps" in out


def test_a_missed_day_alone_is_over_in_the_learners_zone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Los Angeles, Tuesday 20:00-22:00 (Wednesday in UTC): Tuesday missed, `next` on
    Tuesday (a day alone: all of it may be over) does not offer it as next."""
    (tmp_path / "me.yaml").write_text(
        "timezone: America/Los_Angeles\nweekly: {tue: ['20:00-22:00'], thu: ['20:00-22:00']}\n"
        "session: {min_minutes: 60, max_minutes: 120, slot_minutes: 30}\n"
    )
    monkeypatch.chdir(tmp_path)
    run("plan", *TINY, "--profile", "me.yaml", "--start", "2027-03-09", "--json", "plan.json")
    run("missed", "--now", "2027-03-09")
    out = run("next", "--now", "2027-03-09")
    assert "  20:00-22:00  ✗ missed: 1.1 First Steps" in out
    assert "Next: Thu 2027-03-11 20:00-22:00  1.2 Next Steps" in out


def test_a_day_alone_ends_at_the_learners_midnight_not_utcs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Tokyo, an hour every morning at 07:00 (22:00 UTC the day before): with `--now
    MONDAY`, Tuesday's session is not yet before now, so an hour of 1.1 so far is on
    plan on Monday."""
    every_day = ", ".join(f"{day}: ['07:00-08:00']" for day in ("mon", "tue", "wed", "thu"))
    (tmp_path / "me.yaml").write_text(
        f"timezone: Asia/Tokyo\nweekly: {{{every_day}}}\n"
        "session: {min_minutes: 60, max_minutes: 60, slot_minutes: 30}\n"
    )
    monkeypatch.chdir(tmp_path)
    run("plan", *TINY, "--profile", "me.yaml", "--start", "2027-03-08", "--json", "plan.json")
    (tmp_path / "progress.yaml").write_text("hours: {'1.1': 1}\n")
    assert "differs" not in run("next", "--now", "2027-03-08")
    assert "On plan: nothing to re-plan." in run(
        "done", "--session", "1.1-1", "--now", "2027-03-08"
    )
