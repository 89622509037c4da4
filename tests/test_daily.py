"""The daily loop on the command line: `next`, `done`, `missed`, `replan`, in a folder of
the learner's own, as the guide tells it (docs/every-day.md)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from planner.cli.app import app

FIXTURES = Path(__file__).parent / "fixtures"
TINY = [
    "--roadmap", str(FIXTURES / "tiny-roadmap.yaml"),
    "--prerequisites", str(FIXTURES / "tiny-prerequisites.yaml"),
]  # fmt: skip
runner = CliRunner()
EVERY_MORNING = (
    "timezone: Asia/Kolkata\n"
    "weekly: {mon: ['06:00-08:00'], tue: ['06:00-08:00'], wed: ['06:00-08:00'],\n"
    "         thu: ['06:00-08:00'], fri: ['06:00-08:00'], sat: ['06:00-08:00'],\n"
    "         sun: ['06:00-08:00']}\n"
    "session: {min_minutes: 60, max_minutes: 120, slot_minutes: 30}\n"
)


# The plan starts on Mon 2027-03-08; "now" is always given (--now), never the clock.
START, TUESDAY = "2027-03-08", "2027-03-09"


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A learner's folder with a plan from Monday 2027-03-08, every morning in Kolkata
    (06:00 is 00:30 UTC: a day's sessions begin half an hour into the UTC day)."""
    (tmp_path / "me.yaml").write_text(EVERY_MORNING)
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(
        app, ["plan", *TINY, "--profile", "me.yaml", "--start", START, "--json", "plan.json"]
    )
    assert result.exit_code == 0, result.output
    return tmp_path


def run(*arguments: str) -> tuple[int, str, str]:
    result = runner.invoke(app, [*arguments])
    return result.exit_code, result.stdout, result.stderr


def test_next_shows_today_and_the_rest_of_the_week(folder: Path) -> None:
    code, out, _ = run("next", "--now", f"{TUESDAY}T05:00")
    assert code == 0, out
    assert "Today, Tue 2027-03-09 (Asia/Kolkata):\n  06:00-08:00  1.2 Next Steps" in out
    assert "Next: Tue 2027-03-09 06:00-08:00  1.2" in out
    assert "Rest of this week:\n  Wed 2027-03-10 06:00-08:00" in out
    # Monday's session was not reported: asked about, with the commands that say it.
    assert "Not reported yet (1): did you study these?\n  Mon 2027-03-08 06:00-08:00" in out
    assert "`planner done --session 1.1-1`" in out and "`planner missed 2027-03-08`" in out


def test_done_records_todays_sessions_and_replan_counts_them(folder: Path) -> None:
    code, out, err = run("done", "--now", f"{TUESDAY}T08:30")
    assert code == 0, err
    assert "✓ 1.2 Next Steps" in out and "On plan: nothing to re-plan." in out
    progress = (folder / "progress.yaml").read_text()
    assert "sessions:\n  - tiny-1.2-1." in progress
    code, out, err = run("replan", *TINY, "--now", f"{TUESDAY}T08:30")
    assert code == 0, err
    assert "Re-planned in " in out and "from Tue 2027-03-09 08:30 (now)" in out
    plan = json.loads((folder / "plan.json").read_text())  # the new plan replaced it
    assert plan["as_of"] == TUESDAY and plan["resumes_at"] == f"{TUESDAY}T08:30:00+05:30"
    # Monday's session was not reported: the plan was followed; Tuesday's was done.
    done = [s["start"][:10] for s in plan["sessions"] if s.get("done")]
    assert done == [START, TUESDAY]
    assert "2 done so far" in out and "0 moved" in out
    assert "1 session before the re-plan not reported (Mon 2027-03-08 1.1)" in err


def test_done_adds_to_the_file_and_keeps_its_comments(folder: Path) -> None:
    progress = folder / "progress.yaml"
    progress.write_text("# my notes, keep them\ndone: ['1.1']   # the basics\n")
    code, out, err = run("done", "2", "--now", TUESDAY)
    assert code == 0, err
    # The section's title, from the roadmap the plan keeps (tiny-roadmap.yaml's, not bundled).
    assert out.startswith("Recorded in progress.yaml:\n  2 More finished\n")
    text = progress.read_text()
    assert text.startswith("# my notes, keep them\n") and "# the basics" in text
    assert "done: ['1.1', '2']" in text
    code, _, _ = run("done", "2", "--now", TUESDAY)  # the same again adds nothing
    assert progress.read_text() == text


def test_missed_days_are_written_without_yaml_anchors(folder: Path) -> None:
    """Regression: `planner missed DAY` wrote `{from: &id001 2027-01-21, to: *id001}`."""
    code, _, err = run("missed", START, "--now", TUESDAY)
    assert code == 0, err
    text = (folder / "progress.yaml").read_text()
    assert "missed:\n  - {from: 2027-03-08, to: 2027-03-08}\n" in text
    assert "&" not in text and "*" not in text


def test_a_broken_progress_file_is_refused_and_left_as_it_is(folder: Path) -> None:
    progress = folder / "progress.yaml"
    progress.write_text("done: ['1.1'\nmissed: []\n")
    code, _, err = run("missed", START, "--now", TUESDAY)
    assert code == 1
    assert "progress.yaml:" in err and "not valid YAML" in err and "Traceback" not in err
    assert progress.read_text() == "done: ['1.1'\nmissed: []\n"


def test_an_entry_that_would_make_the_report_invalid_writes_nothing(folder: Path) -> None:
    progress = folder / "progress.yaml"
    progress.write_text("sessions:\n  - {session: tiny-1.1-1.x@roadmap-planner, minutes: 90}\n")
    before = progress.read_text()
    # The record would hold one session twice (the file names it by another UID form).
    progress.write_text(before + "  - tiny-1.1-1.x@roadmap-planner\n")
    code, _, err = run("missed", START, "--now", TUESDAY)
    assert code == 1
    assert (
        "progress.yaml:2: sessions: session tiny-1.1-1.x@roadmap-planner is recorded twice" in err
    )
    assert progress.read_text() == before + "  - tiny-1.1-1.x@roadmap-planner\n"


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["missed", "2027-02-30"], "FIRST: '2027-02-30' is not a date: write it as YYYY-MM-DD"),
        (["missed", "2027-03-07", "2027-02-22"], "LAST (2027-02-22) is before FIRST"),
        (["missed", "2027-03-20"], "FIRST (2027-03-20) is after today (2027-03-09): days to come"),
        (["done", "--session", "9.9-1"], "--session: the plan has no session '9.9-1'"),
        (["done", "--session", "2.1-2"], "--session 2.1-2 begins Fri 2027-03-12 06:00: record"),
        (["done", "--on", "2100-01-01"], "--on 2100-01-01 is after today"),
        (["done", "1.1", "--today"], "say one thing at a time"),
        (["done", "--minutes", "30"], "--minutes goes with --session (part of it) or a TOPIC"),
        (["done", "1.1", "--hours", "2", "--minutes", "30"], "--hours goes with a finished TOPIC"),
        (["done", "1.1", "--minutes", "30", "--at", "25:00"], "--at: '25:00' is not a time"),
        (["done", "--session", "1.1-1", "--minutes", "0"], "--minutes"),
        (["missed", START, "--session", "1.1-1"], "say one thing at a time"),
        (["missed", "--session", "2.1-2"], "--session 2.1-2 begins Fri 2027-03-12 06:00: record"),
        (["next", "--plan", "nowhere.json"], "nowhere.json: no plan here: make one with"),
        (["next", "--now", "2027-03-09 25:00"], "--now: '2027-03-09 25:00' is not a local time"),
        (["next", "--now", "tomorrow"], "write YYYY-MM-DD or YYYY-MM-DDTHH:MM"),
    ],
)
def test_daily_commands_refuse_bad_input_and_write_nothing(
    folder: Path, arguments: list[str], message: str
) -> None:
    code, _, err = run(*arguments, *([] if "--now" in arguments else ["--now", TUESDAY]))
    assert code != 0
    assert message in err and "Traceback" not in err
    assert not (folder / "progress.yaml").exists()


def test_done_with_a_title_instead_of_an_id_suggests_the_id(tmp_path: Path) -> None:
    """Regression: `goals: ["FastAPI"]` answered "unknown topic or section id" with no
    hint; every place that takes an id now suggests the closest ones."""
    plan = tmp_path / "plan.json"
    assert runner.invoke(app, ["plan", "--json", str(plan), "--ics", str(tmp_path / "p.ics")]
                         ).exit_code == 0  # fmt: skip
    code, _, err = run("done", "FastAPi", "--plan", str(plan), "--progress",
                       str(tmp_path / "progress.yaml"), "--now", "2027-01-10")  # fmt: skip
    assert code == 1
    assert "TOPIC: unknown topic or section id 'FastAPi' (did you mean 6.3 FastAPI?)" in err
    assert not (tmp_path / "progress.yaml").exists()


def test_missed_then_replan_resumes_where_the_learner_stopped(folder: Path) -> None:
    code, out, err = run("missed", START, "--now", TUESDAY)
    assert code == 0, err
    assert "missed Mon 2027-03-08 (1 day, 1 planned session)" in out
    code, out, _ = run("next", "--now", TUESDAY)
    assert "Your record differs from the plan (1.1 on 2027-03-08: missed day)" in out
    code, out, err = run("replan", *TINY, "--now", TUESDAY)
    assert code == 0, err
    plan = json.loads((folder / "plan.json").read_text())
    assert plan["sessions"][0]["topic"] == "1.1"  # the missed first session comes again
    assert plan["sessions"][0]["start"] == f"{TUESDAY}T06:00:00+05:30"
    assert not any(s.get("done") for s in plan["sessions"])


def test_replan_uses_the_plans_own_profile_not_the_example(folder: Path) -> None:
    """Regression: `planner replan` without --profile silently used the Berlin example
    profile (+69 days, sessions at Berlin times)."""
    code, out, err = run("replan", *TINY, "--now", TUESDAY)
    assert code == 0, err
    plan = json.loads((folder / "plan.json").read_text())
    assert plan["timezone"] == plan["profile"]["timezone"] == "Asia/Kolkata"
    assert all(s["start"][11:16] in {"06:00", "07:00"} for s in plan["sessions"])
    assert "Profile changed" not in out


def test_replan_with_another_profile_says_what_changed(folder: Path) -> None:
    (folder / "later.yaml").write_text(EVERY_MORNING.replace("06:00-08:00", "07:00-09:00", 1))
    code, out, err = run("replan", *TINY, "--profile", "later.yaml", "--now", TUESDAY)
    assert code == 0, err
    assert "Profile changed since the plan was made:" in out
    assert "weekly.mon: 06:00-08:00 → 07:00-09:00" in out


def test_replan_with_a_reworded_roadmap_upgrades_the_plan(folder: Path) -> None:
    """A title changed in the roadmap file: the plan is upgraded (it keeps the roadmap
    it was made from), the summary says nothing but the wording changed, and the
    calendar shows the new title."""
    changed = folder / "roadmap.yaml"
    changed.write_text((FIXTURES / "tiny-roadmap.yaml").read_text().replace("Practice", "Drill"))
    code, out, err = run(
        "replan", "--roadmap", str(changed),
        "--prerequisites", str(FIXTURES / "tiny-prerequisites.yaml"), "--now", TUESDAY,
    )  # fmt: skip
    assert code == 0, err
    assert "Roadmap changed: wording only, no hours or ids" in out
    plan = json.loads((folder / "plan.json").read_text())
    assert "Drill" in json.dumps(plan["made_from"]["roadmap"])
    assert "Drill" in (folder / "plan.ics").read_text()


def test_a_progress_file_of_comments_keeps_them(folder: Path) -> None:
    """Regression: a file of comments only lost them on the first `done`, and `replan`
    refused it ("expected a mapping of keys")."""
    progress = folder / "progress.yaml"
    progress.write_text("# my notes\n# more notes\n")
    code, _, err = run("replan", *TINY, "--now", START)
    assert code == 0, err
    code, _, err = run("done", "--now", f"{START}T08:00")
    assert code == 0, err
    assert progress.read_text().startswith("# my notes\n# more notes\nsessions:\n  - tiny-1.1-1.")


def test_study_outside_the_plan_is_recorded_each_time(folder: Path) -> None:
    """Two stretches alike on one day are two, not one; without --at, today's ended now."""
    for _ in range(2):
        code, out, err = run("done", "1.2", "--minutes", "30", "--now", f"{TUESDAY}T21:10")
        assert code == 0, err
    assert "Tue 2027-03-09 from 20:40: 1.2, 30 minutes outside the plan" in out
    code, _, err = run("done", "1.2", "--minutes", "45", "--on", START, "--now", TUESDAY)
    assert code == 0, err
    text = (folder / "progress.yaml").read_text()
    assert text.count("{topic: '1.2', day: 2027-03-09, minutes: 30, at: \"20:40\"}") == 2
    assert "{topic: '1.2', day: 2027-03-08, minutes: 45}" in text  # no time: none written
    code, _, err = run(
        "done", "1.2", "--minutes", "30", "--at", "22:00", "--now", f"{TUESDAY}T21:10"
    )
    assert code == 1 and "after now: record study once you have done it" in err


def test_what_has_not_begun_or_is_history_already_cannot_be_recorded(folder: Path) -> None:
    code, _, err = run("done", "--now", f"{TUESDAY}T05:00")
    assert code == 1
    assert "no session of Tue 2027-03-09 has begun yet (the next begins 06:00)" in err
    code, _, err = run("done", "--now", TUESDAY)  # a day alone: all of it may be over
    assert code == 0, err
    code, _, err = run("replan", *TINY, "--now", f"{TUESDAY}T09:00")
    assert code == 0, err
    code, _, err = run("done", "--session", "1.2-1", "--minutes", "30", "--now", f"{TUESDAY}T09:00")
    assert code == 1
    assert "--session 1.2-1 is history since the last re-plan, which took it as it was" in err


def test_a_missed_day_says_nothing_of_its_sessions_still_ahead(folder: Path) -> None:
    code, out, err = run("missed", "--now", f"{TUESDAY}T05:00")
    assert code == 0, err
    assert "missed Tue 2027-03-09 (1 day, 1 planned session); 1 session still ahead" in out
    assert "On plan: nothing to re-plan." in out
    code, out, _ = run("next", "--now", f"{TUESDAY}T05:00")
    assert "  06:00-08:00  1.2 Next Steps" in out  # no ✗: it may still happen
    assert "Next: Tue 2027-03-09 06:00-08:00  1.2 Next Steps" in out
    code, out, _ = run("next", "--now", f"{TUESDAY}T09:00")
    assert "  06:00-08:00  ✗ missed: 1.2 Next Steps" in out


def test_a_day_alone_is_all_of_that_day_for_what_happened(folder: Path) -> None:
    """With `--now DAY` the day's sessions may all be over: what is recorded of them
    counts (not "on plan"), and none recorded is next."""
    code, out, err = run("missed", "--session", "1.2-1", "--now", TUESDAY)
    assert code == 0, err
    assert "`planner replan` plans the rest from where you are." in out
    (folder / "progress.yaml").unlink()
    code, out, err = run("done", "--now", TUESDAY)
    assert code == 0 and "On plan: nothing to re-plan." in out, err
    code, out, _ = run("next", "--now", TUESDAY)
    assert "Next: Wed 2027-03-10 06:00-08:00  1.2 Next Steps" in out


def test_a_record_of_what_has_not_happened_in_the_file_is_refused_before_a_write(
    folder: Path,
) -> None:
    friday = json.loads((folder / "plan.json").read_text())["sessions"][4]["uid"]
    progress = folder / "progress.yaml"
    progress.write_text(f"sessions: [{friday}]\n")
    code, _, err = run("done", "1.1", "--now", TUESDAY)
    assert code == 1
    assert f"progress.yaml: sessions[0]: {friday} begins Fri 2027-03-12 06:00, after now" in err
    assert progress.read_text() == f"sessions: [{friday}]\n"
