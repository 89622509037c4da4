"""The daily loop on the command line: `next`, `done`, `missed`, `replan`, in a folder of
the learner's own, as the README tells it."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
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
    "timezone: UTC\n"
    "weekly: {mon: ['06:00-08:00'], tue: ['06:00-08:00'], wed: ['06:00-08:00'],\n"
    "         thu: ['06:00-08:00'], fri: ['06:00-08:00'], sat: ['06:00-08:00'],\n"
    "         sun: ['06:00-08:00']}\n"
    "session: {min_minutes: 60, max_minutes: 120, slot_minutes: 30}\n"
)


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A learner's folder with a plan that started yesterday (UTC), every morning."""
    (tmp_path / "me.yaml").write_text(EVERY_MORNING)
    monkeypatch.chdir(tmp_path)
    yesterday = (datetime.now(UTC).date() - timedelta(days=1)).isoformat()
    result = runner.invoke(
        app, ["plan", *TINY, "--profile", "me.yaml", "--start", yesterday, "--json", "plan.json"]
    )
    assert result.exit_code == 0, result.output
    return tmp_path


def run(*arguments: str) -> tuple[int, str, str]:
    result = runner.invoke(app, [*arguments])
    return result.exit_code, result.stdout, result.stderr


def test_next_shows_today_and_the_rest_of_the_week(folder: Path) -> None:
    code, out, _ = run("next")
    assert code == 0, out
    today = datetime.now(UTC).date()
    assert f"Today, {today:%a %Y-%m-%d} (UTC):" in out
    assert "06:00-08:00" in out and "(session " in out


def test_done_records_todays_sessions_and_replan_counts_them(folder: Path) -> None:
    code, out, err = run("done")
    assert code == 0, err
    progress = (folder / "progress.yaml").read_text()
    assert "sessions:\n  - tiny-" in progress
    code, out, err = run("replan", *TINY)
    assert code == 0, err
    plan = json.loads((folder / "plan.json").read_text())  # the new plan replaced it
    today = datetime.now(UTC).date()
    # Today's session is reported, so the day is over: the plan goes on tomorrow.
    assert plan["as_of"] == (today + timedelta(days=1)).isoformat()
    done = [s for s in plan["sessions"] if s.get("done")]
    # Yesterday's session was not reported (with sessions reported, only those count).
    assert [s["start"][:10] for s in done] == [today.isoformat()]
    assert "1 done so far" in out


def test_done_adds_to_the_file_and_keeps_its_comments(folder: Path) -> None:
    progress = folder / "progress.yaml"
    progress.write_text("# my notes, keep them\ndone: ['1.1']   # the basics\n")
    code, out, err = run("done", "2")
    assert code == 0, err
    assert "Recorded in progress.yaml" in out
    text = progress.read_text()
    assert text.startswith("# my notes, keep them\n") and "# the basics" in text
    assert "done: ['1.1', '2']" in text
    code, _, _ = run("done", "2")  # the same again adds nothing
    assert progress.read_text() == text


def test_a_broken_progress_file_is_refused_and_left_as_it_is(folder: Path) -> None:
    progress = folder / "progress.yaml"
    progress.write_text("done: ['1.1'\nmissed: []\n")
    code, _, err = run("missed", "2027-01-01")
    assert code == 1
    assert "progress.yaml:" in err and "not valid YAML" in err and "Traceback" not in err
    assert progress.read_text() == "done: ['1.1'\nmissed: []\n"


def test_an_entry_that_would_make_the_report_invalid_writes_nothing(folder: Path) -> None:
    progress = folder / "progress.yaml"
    progress.write_text("hours: {'1.1': 1}\n")
    code, _, err = run("missed", "2027-01-04", "2027-01-05")
    assert code == 1
    assert "progress.yaml: missed: not recorded: hours" in err
    assert progress.read_text() == "hours: {'1.1': 1}\n"


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["missed", "2027-02-30"], "FIRST: '2027-02-30' is not a date: write it as YYYY-MM-DD"),
        (["missed", "2027-03-07", "2027-02-22"], "LAST (2027-02-22) is before FIRST"),
        (["done", "--session", "9.9-1"], "--session: the plan has no session '9.9-1'"),
        (["done", "--on", "2100-01-01"], "--on 2100-01-01 is after today"),
        (["done", "1.1", "--today"], "say one thing at a time"),
        (["next", "--plan", "nowhere.json"], "nowhere.json: no plan here: make one with"),
    ],
)
def test_daily_commands_refuse_bad_input_and_write_nothing(
    folder: Path, arguments: list[str], message: str | None
) -> None:
    code, _, err = run(*arguments)
    if message is None:  # a topic of another roadmap than the bundled one: accepted as given
        assert code == 0
        return
    assert code == 1
    assert message in err and "Traceback" not in err
    assert not (folder / "progress.yaml").exists()


def test_done_with_a_title_instead_of_an_id_suggests_the_id(tmp_path: Path) -> None:
    """Regression: `goals: ["FastAPI"]` answered "unknown topic or section id" with no
    hint; every place that takes an id now suggests the closest ones."""
    plan = tmp_path / "plan.json"
    assert runner.invoke(app, ["plan", "--json", str(plan), "--ics", str(tmp_path / "p.ics")]
                         ).exit_code == 0  # fmt: skip
    code, _, err = run("done", "FastAPi", "--plan", str(plan), "--progress",
                       str(tmp_path / "progress.yaml"))  # fmt: skip
    assert code == 1
    assert "TOPIC: unknown topic or section id 'FastAPi' (did you mean 6.3 FastAPI?)" in err
    assert not (tmp_path / "progress.yaml").exists()


def test_missed_then_replan_resumes_where_the_learner_stopped(folder: Path) -> None:
    yesterday = datetime.now(UTC).date() - timedelta(days=1)
    code, out, err = run("missed", yesterday.isoformat())
    assert code == 0, err
    assert "1 day, 1 planned session" in out
    code, out, _ = run("next")
    assert "run `planner replan` first" in out
    code, out, err = run("replan", *TINY)
    assert code == 0, err
    plan = json.loads((folder / "plan.json").read_text())
    assert plan["sessions"][0]["topic"] == "1.1"  # the missed first session comes again
    assert not any(s.get("done") for s in plan["sessions"])


def test_replan_uses_the_plans_own_profile_not_the_example(folder: Path) -> None:
    """Regression: `planner replan` without --profile silently used the Berlin example
    profile (+69 days, sessions at Berlin times)."""
    code, out, err = run("replan", *TINY)
    assert code == 0, err
    plan = json.loads((folder / "plan.json").read_text())
    assert plan["timezone"] == "UTC" and plan["profile"]["timezone"] == "UTC"
    assert all(s["start"][11:16] in {"06:00", "07:00"} for s in plan["sessions"])
    assert "Profile changed" not in out


def test_replan_with_another_profile_says_what_changed(folder: Path) -> None:
    (folder / "later.yaml").write_text(EVERY_MORNING.replace("06:00-08:00", "07:00-09:00", 1))
    code, out, err = run("replan", *TINY, "--profile", "later.yaml")
    assert code == 0, err
    assert "Profile changed since the plan was made:" in out
    assert "weekly.mon: 06:00-08:00 → 07:00-09:00" in out


def test_replan_refuses_a_plan_made_from_another_roadmap_naming_both_digests(
    folder: Path,
) -> None:
    changed = folder / "roadmap.yaml"
    changed.write_text((FIXTURES / "tiny-roadmap.yaml").read_text().replace("Practice", "Drill"))
    before = (folder / "plan.json").read_bytes()
    code, _, err = run(
        "replan", "--roadmap", str(changed),
        "--prerequisites", str(FIXTURES / "tiny-prerequisites.yaml"),
    )  # fmt: skip
    assert code == 1
    recorded = json.loads(before)["roadmap_digest"]
    assert f"(digest {recorded[:19]})" in err
    assert "plan.json: this plan was made from another version of roadmap 'tiny'" in err
    assert err.count("digest sha256:") == 2
    assert (folder / "plan.json").read_bytes() == before
