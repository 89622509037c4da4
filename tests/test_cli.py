"""The command line, through Typer's runner, as a learner would use it."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from planner.cli.app import app

FIXTURES = Path(__file__).parent / "fixtures"
TINY = [
    "--roadmap", str(FIXTURES / "tiny-roadmap.yaml"),
    "--prerequisites", str(FIXTURES / "tiny-prerequisites.yaml"),
]  # fmt: skip
TINY_PLAN = [*TINY, "--profile", str(FIXTURES / "dst-fallback-profile.yaml")]
runner = CliRunner()


@pytest.fixture(scope="module")
def bundled_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """`planner plan --json plan.json` with every default, in an empty folder."""
    folder = tmp_path_factory.mktemp("run")
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(folder)
        result = runner.invoke(app, ["plan", "--json", "plan.json"])
    assert result.exit_code == 0, result.output
    return folder, result.stdout


def test_plan_with_defaults_writes_the_calendar_and_a_summary(
    bundled_run: tuple[Path, str],
) -> None:
    folder, output = bundled_run
    assert (folder / "plan.ics").read_bytes().startswith(b"BEGIN:VCALENDAR")
    assert "Python Backend Developer Roadmap" in output
    assert "Finish: Sat 2027-08-07 13:00, the earliest your windows allow" in output
    assert "From Mon 2027-01-04: 3.9 sessions a week" in output
    assert "Solver:" not in output  # solver details only with --verbose
    assert "Wrote plan.ics" in output


def test_verbose_adds_the_solvers_details(tmp_path: Path) -> None:
    result = runner.invoke(app, ["plan", *TINY_PLAN, "--ics", str(tmp_path / "p.ics"),
                                 "--verbose"])  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "Solver: OPTIMAL in" in result.stdout


def test_json_has_the_spec_fields(bundled_run: tuple[Path, str]) -> None:
    folder, _ = bundled_run
    plan = json.loads((folder / "plan.json").read_text())
    assert {"roadmap", "timezone", "start", "finish", "lower_bound_finish", "solver",
            "sessions"} <= set(plan)  # fmt: skip
    assert plan["roadmap"] == "python-backend"
    assert set(plan["solver"]) >= {"status", "sessions", "sessions_lower_bound"}
    assert set(plan["sessions"][0]) == {"uid", "topic", "title", "start", "end"}
    assert plan["sessions"][0]["start"] == "2027-01-04T19:00:00+01:00"
    # 234 h of the roadmap plus 6 h for Django, which the example profile sets.
    assert plan["planned_hours"] == 240


def test_same_inputs_give_the_same_bytes(tmp_path: Path) -> None:
    outputs = []
    for run in ("a", "b"):
        folder = tmp_path / run
        arguments = ["plan", *TINY, "--profile", str(FIXTURES / "dst-fallback-profile.yaml")]
        arguments += ["--json", str(folder / "p.json"), "--ics", str(folder / "p.ics")]
        assert runner.invoke(app, arguments).exit_code == 0
        outputs.append(((folder / "p.json").read_bytes(), (folder / "p.ics").read_bytes()))
    assert outputs[0] == outputs[1]


def test_check_describes_the_bundled_data() -> None:
    result = runner.invoke(app, ["check"])
    assert result.exit_code == 0, result.output
    assert "16 sections, 52 topics, 234 h" in result.stdout
    assert "67 prerequisite edges" in result.stdout
    assert "Longest prerequisite chain: 1.2 -> 2.1 -> 2.2 -> 2.3 -> 2.5 -> 6.3" in result.stdout
    assert "Topics with 0 h" in result.stdout and "5.1" in result.stdout


def test_broken_profile_is_a_clear_error_and_keeps_the_old_calendar(tmp_path: Path) -> None:
    calendar = tmp_path / "plan.ics"
    calendar.write_text("my old calendar")
    profile = tmp_path / "profile.yaml"
    profile.write_text("timezone: Europe/Berlin\nweekly:\n  mon: ['19:00-21:00'\n")
    result = runner.invoke(app, ["plan", "--profile", str(profile), "--ics", str(calendar)])
    assert result.exit_code == 1
    assert f"{profile}:4: not valid YAML" in result.stderr
    assert "Traceback" not in result.output
    assert calendar.read_text() == "my old calendar"


def test_cycle_is_named_on_the_command_line(tmp_path: Path) -> None:
    prerequisites = tmp_path / "p.yaml"
    prerequisites.write_text(
        "roadmap: tiny\nedges:\n"
        "  - {before: '1.1', after: '1.2', why: a}\n"
        "  - {before: '1.2', after: '1.1', why: b}\n"
    )
    result = runner.invoke(
        app,
        ["check", "--roadmap", str(FIXTURES / "tiny-roadmap.yaml"),
         "--prerequisites", str(prerequisites)],
    )  # fmt: skip
    assert result.exit_code == 1
    assert "prerequisites form a cycle: 1.1 -> 1.2 -> 1.1" in result.stderr


def test_unknown_topic_in_profile_names_id_and_file(tmp_path: Path) -> None:
    profile = tmp_path / "profile.yaml"
    profile.write_text("timezone: Europe/Berlin\nweekly: {mon: ['19:00-21:00']}\nskip: ['9.9']\n")
    result = runner.invoke(app, ["plan", *TINY, "--profile", str(profile), "--ics",
                                 str(tmp_path / "x.ics")])  # fmt: skip
    assert result.exit_code == 1
    assert f"{profile}: skip[0]: unknown topic or section id '9.9'" in result.stderr
    assert not (tmp_path / "x.ics").exists()


def test_output_may_not_overwrite_an_input(tmp_path: Path) -> None:
    profile = tmp_path / "profile.yaml"
    profile.write_text("timezone: Europe/Berlin\nweekly: {mon: ['19:00-21:00']}\n")
    result = runner.invoke(app, ["plan", *TINY, "--profile", str(profile), "--ics", str(profile)])
    assert result.exit_code == 1
    assert "refusing to overwrite an input file" in result.stderr
    assert profile.read_text().startswith("timezone:")


def test_help_explains_the_commands() -> None:
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    for command in ("plan", "replan", "check"):
        assert command in result.stdout
    plan_help = runner.invoke(app, ["plan", "--help"]).stdout
    assert "--profile" in plan_help and "--ics" in plan_help and "--json" in plan_help


def test_replan_prints_what_changed_and_writes_the_new_plan(
    bundled_run: tuple[Path, str], tmp_path: Path
) -> None:
    folder, _ = bundled_run
    progress = tmp_path / "progress.yaml"
    progress.write_text("as_of: 2027-02-01\nmissed:\n  - {from: 2027-01-18, to: 2027-01-31}\n")
    new_json, new_ics = tmp_path / "new.json", tmp_path / "new.ics"
    result = runner.invoke(
        app,
        ["replan", "--previous", str(folder / "plan.json"), "--progress", str(progress),
         "--json", str(new_json), "--ics", str(new_ics)],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "Finish: Sat 2027-08-07 13:00 → Sat 2027-08-21 13:00 (+14 days)" in result.stdout
    assert "Sessions: 0 kept, 112 moved, 0 added, 0 dropped; 8 done so far" in result.stdout
    assert json.loads(new_json.read_text())["as_of"] == "2027-02-01"
    assert new_ics.read_bytes().count(b"BEGIN:VEVENT") == 120


def test_replan_with_an_unknown_topic_writes_nothing(
    bundled_run: tuple[Path, str], tmp_path: Path
) -> None:
    folder, _ = bundled_run
    progress = tmp_path / "progress.yaml"
    progress.write_text("done: ['1.1', '42']\n")
    result = runner.invoke(
        app,
        ["replan", "--previous", str(folder / "plan.json"), "--progress", str(progress),
         "--ics", str(tmp_path / "new.ics")],
    )  # fmt: skip
    assert result.exit_code == 1
    assert f"{progress}: done[1]: unknown topic or section id '42'" in result.stderr
    assert not (tmp_path / "new.ics").exists()


def test_replan_without_a_plan_says_how_to_make_one(tmp_path: Path) -> None:
    """Regression: replan said only "plan.json: file not found" where next and done say
    how to make a plan."""
    missing = tmp_path / "plan.json"
    result = runner.invoke(app, ["replan", "--previous", str(missing)])
    assert result.exit_code == 1
    assert f"{missing}: no plan here: make one with `planner plan" in " ".join(
        result.stderr.split()
    )


def replan_args(folder: Path, progress: Path, *more: str) -> list[str]:
    return ["replan", "--previous", str(folder / "plan.json"), "--progress", str(progress), *more]


def test_replan_refuses_to_overwrite_the_previous_plan_with_a_calendar(
    bundled_run: tuple[Path, str], tmp_path: Path
) -> None:
    folder, _ = bundled_run
    progress = tmp_path / "progress.yaml"
    progress.write_text("as_of: 2027-02-01\n")
    before = (folder / "plan.json").read_bytes()
    result = runner.invoke(app, replan_args(folder, progress, "--ics", str(folder / "plan.json")))
    assert result.exit_code == 1
    assert "refusing to overwrite an input file" in result.stderr
    assert (folder / "plan.json").read_bytes() == before


@pytest.mark.parametrize(
    ("profile", "said"),
    [
        (None, "this plan does not record its profile (it was made by an older version)"),
        (
            {"busy": [{"ics": "https://calendar.example.org/secret.ics"}]},
            "the plan keeps your busy calendars' addresses masked (they are secrets)",
        ),
    ],
)
def test_replan_without_a_profile_needs_the_one_the_plan_recorded(
    bundled_run: tuple[Path, str], tmp_path: Path, profile: dict[str, object] | None, said: str
) -> None:
    """A plan from an older version records no profile, and one with a calendar URL keeps
    it masked: `replan` asks for --profile and writes nothing."""
    folder, _ = bundled_run
    plan = json.loads((folder / "plan.json").read_text())
    plan["profile"] = None if profile is None else {**plan["profile"], **profile}
    previous = tmp_path / "plan.json"
    previous.write_text(json.dumps(plan))
    progress = tmp_path / "progress.yaml"
    progress.write_text("as_of: 2027-02-01\n")
    result = runner.invoke(app, replan_args(tmp_path, progress, "--ics", str(tmp_path / "n.ics")))
    assert result.exit_code == 1
    assert f"{previous}: {said}: give your profile with --profile" in result.stderr
    assert not (tmp_path / "n.ics").exists()
    assert previous.read_text() == json.dumps(plan)


def test_ics_and_json_may_not_be_the_same_file(tmp_path: Path) -> None:
    same = tmp_path / "same.out"
    result = runner.invoke(app, ["plan", *TINY_PLAN, "--ics", str(same), "--json", str(same)])
    assert result.exit_code == 1
    assert "--ics and --json name the same file" in result.stderr
    assert not same.exists()


def test_a_failed_write_changes_no_file(tmp_path: Path) -> None:
    calendar = tmp_path / "plan.ics"
    calendar.write_text("my old calendar")
    (tmp_path / "blocker").write_text("a file, not a folder")
    result = runner.invoke(
        app,
        [
            "plan",
            *TINY_PLAN,
            "--ics",
            str(calendar),
            "--json",
            str(tmp_path / "blocker" / "p.json"),
        ],
    )
    assert result.exit_code == 1
    assert "cannot write" in result.stderr and "Traceback" not in result.output
    assert calendar.read_text() == "my old calendar"


def test_rewriting_a_calendar_keeps_its_permissions(tmp_path: Path) -> None:
    calendar = tmp_path / "plan.ics"
    calendar.write_text("old")
    calendar.chmod(0o644)
    assert runner.invoke(app, ["plan", *TINY_PLAN, "--ics", str(calendar)]).exit_code == 0
    assert calendar.stat().st_mode & 0o777 == 0o644


def test_ids_in_messages_are_shown_as_written(tmp_path: Path) -> None:
    profile = tmp_path / "profile.yaml"
    profile.write_text("timezone: Europe/Berlin\nweekly: {mon: ['19:00-21:00']}\nskip: ['[red]']\n")
    result = runner.invoke(app, ["plan", *TINY, "--profile", str(profile)])
    assert "unknown topic or section id '[red]'" in result.stderr


def test_replan_warns_about_a_future_as_of_and_another_time_zone(
    bundled_run: tuple[Path, str], tmp_path: Path
) -> None:
    folder, _ = bundled_run
    progress = tmp_path / "progress.yaml"
    progress.write_text("as_of: 2099-01-01\n")
    profile = tmp_path / "profile.yaml"
    profile.write_text("timezone: America/New_York\nweekly: {mon: ['19:00-21:00']}\n")
    result = runner.invoke(
        app,
        replan_args(folder, progress, "--profile", str(profile), "--ics", str(tmp_path / "x.ics")),
    )
    assert result.exit_code == 0, result.output
    assert "as_of 2099-01-01 is after today" in result.stderr
    assert "the previous plan was made for Europe/Berlin" in result.stderr
    assert "Everything is done" in result.stdout


def test_a_plan_file_for_another_roadmap_names_the_file(
    bundled_run: tuple[Path, str], tmp_path: Path
) -> None:
    folder, _ = bundled_run
    progress = tmp_path / "progress.yaml"
    progress.write_text("as_of: 2027-02-01\n")
    result = runner.invoke(app, [*replan_args(folder, progress), *TINY])
    assert result.exit_code == 1
    assert f"{folder / 'plan.json'}: this plan is for roadmap 'python-backend', not 'tiny'" in (
        result.stderr
    )


def test_every_output_is_the_same_bytes_across_processes_and_hash_seeds(tmp_path: Path) -> None:
    """Plan and re-plan (JSON, .ics, summary), a plan with reviews, what-if table and
    chart (SVG, PNG), each written by a process of its own under another PYTHONHASHSEED:
    set or dict order that leaks into an output shows here, not inside one process."""
    script = Path(__file__).parent / "write_every_output.py"
    runs = {
        seed: subprocess.Popen(
            [sys.executable, str(script), str(tmp_path / seed)],
            env={**os.environ, "PYTHONHASHSEED": seed},
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        for seed in ("1", "2")
    }
    for run in runs.values():
        output, _ = run.communicate(timeout=600)
        assert run.returncode == 0, output
    first, second = (tmp_path / seed for seed in runs)
    names = ["plan.json", "plan.ics", "plan.txt", "replan.json", "replan.ics", "replan.txt",
             "reviews.json", "reviews.ics", "reviews.txt", "whatif.txt", "whatif.svg",
             "whatif.png"]  # fmt: skip
    for name in names:
        assert (first / name).read_bytes() == (second / name).read_bytes(), name
    assert "Goal 6.3 FastAPI" in (first / "plan.txt").read_text()
    assert "Deadline 2027-09-25: by 2027-09-25: missed by" in (first / "replan.txt").read_text()
    assert "h/week reached" in (first / "whatif.txt").read_text()
    assert "CATEGORIES:Review" in (first / "reviews.ics").read_text()


def test_a_pipe_or_a_folder_as_the_calendar_is_refused_not_replaced(tmp_path: Path) -> None:
    """Regression: `--ics` at a FIFO replaced it with a regular file."""
    fifo, folder = tmp_path / "calendar.fifo", tmp_path / "folder"
    os.mkfifo(fifo)
    folder.mkdir()
    for target in (fifo, folder):
        result = runner.invoke(app, ["plan", *TINY_PLAN, "--ics", str(target)])
        assert result.exit_code == 1
        assert f"{target}: is " in result.stderr and "Traceback" not in result.output
    assert stat.S_ISFIFO(fifo.stat().st_mode) and folder.is_dir()


def test_a_symlinked_calendar_is_written_through_and_stays_a_link(tmp_path: Path) -> None:
    """A calendar linked into a synced folder: the file it points to is replaced, the link
    stays (the documented choice for symlinks)."""
    synced = tmp_path / "synced"
    synced.mkdir()
    (synced / "plan.ics").write_text("old calendar")
    link = tmp_path / "plan.ics"
    link.symlink_to(synced / "plan.ics")
    assert runner.invoke(app, ["plan", *TINY_PLAN, "--ics", str(link)]).exit_code == 0
    assert link.is_symlink()
    assert (synced / "plan.ics").read_text().startswith("BEGIN:VCALENDAR")


def test_start_moves_the_plan_to_that_day(tmp_path: Path) -> None:
    """`--start` wins over the profile's start: the first session is on or after it, and
    the plan says so."""
    json_path = tmp_path / "plan.json"
    result = runner.invoke(
        app,
        ["plan", "--start", "2027-02-01", "--json", str(json_path),
         "--ics", str(tmp_path / "plan.ics")],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    plan = json.loads(json_path.read_text())
    assert plan["start"] == "2027-02-01"
    assert plan["sessions"][0]["start"] == "2027-02-01T19:00:00+01:00"  # a Monday window
    assert "From Mon 2027-02-01" in result.stdout


@pytest.mark.parametrize("bad", ["2027-02-30", "next monday", "1850-01-01"])
def test_a_bad_start_names_the_option_and_writes_nothing(tmp_path: Path, bad: str) -> None:
    result = runner.invoke(app, ["plan", "--start", bad, "--ics", str(tmp_path / "plan.ics")])
    assert result.exit_code == 1
    assert "--start" in result.stderr and "Traceback" not in result.output
    assert not (tmp_path / "plan.ics").exists()


def test_a_plan_that_breaks_a_rule_is_reported_as_our_bug(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The guard after every solve failing is a planner bug (planted here: the validator
    reports a broken rule): the learner is told so, exit 70 (EX_SOFTWARE, not bad input),
    and the calendar that was there is kept."""
    import planner.planning.pipeline as pipeline

    monkeypatch.setattr(pipeline, "validate_plan", lambda *_: ["session 1.1-1 overlaps 1.2-1"])
    monkeypatch.chdir(tmp_path)
    (tmp_path / "plan.ics").write_text("the old calendar")
    result = runner.invoke(app, ["plan"])
    assert result.exit_code == 70
    assert "session 1.1-1 overlaps 1.2-1" in result.stderr
    assert "a bug in the planner, not in your files" in " ".join(result.stderr.split())
    assert (tmp_path / "plan.ics").read_text() == "the old calendar"
