"""The progress record (planner/models/progress.py) and the file that holds it
(planner/output/progress_file.py): every combination a learner may write, the mistakes
refused with their line, and writes that keep the file one a person edits."""

from __future__ import annotations

from datetime import date, time
from pathlib import Path

import pytest

from planner.errors import InputFileError, PlannerError
from planner.inputs.loading import load_progress
from planner.models.progress import Progress, SessionRecord
from planner.output.progress_file import (
    add_to_progress,
    finish_topic,
    read_progress_file,
    record_sessions,
)

EVERYTHING = """\
# my progress
as_of: 2027-03-15
done: ["1.1", "2"]
hours: {"1.1": 6, "1.2": 1.5}       # 1.1 took 6 h; 1.2 so far
skipped: ["3.1"]
missed:
  - {from: 2027-02-01, to: 2027-02-07}
sessions:
  - a@roadmap-planner
  - {session: b@roadmap-planner, minutes: 45}
  - {session: c@roadmap-planner, missed: true}
extra:
  - {topic: "1.2", day: 2027-03-13, minutes: 90, at: "20:00"}
  - {topic: "1.2", day: 2027-03-14, minutes: 30}
missed_mode: as_planned
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "progress.yaml"
    path.write_text(text)
    return path


def test_every_combination_is_one_record(tmp_path: Path) -> None:
    """Done with hours (how long it took), hours beside missed days, sessions beside
    both: nothing is "which is it?" any more."""
    progress = load_progress(write(tmp_path, EVERYTHING))
    assert progress.done == ("1.1", "2") and progress.hours == {"1.1": 6, "1.2": 1.5}
    assert [(r.session, r.minutes, r.missed) for r in progress.sessions] == [
        ("a@roadmap-planner", None, False),
        ("b@roadmap-planner", 45, False),
        ("c@roadmap-planner", None, True),
    ]
    assert [r.as_planned for r in progress.sessions] == [True, False, False]
    assert progress.extra[0].at == time(20, 0) and progress.extra[1].at is None
    assert progress.record_of("b@roadmap-planner") == progress.sessions[1]
    assert progress.record_of("d@roadmap-planner") is None
    assert progress.on_missed_day(date(2027, 2, 7)) and not progress.on_missed_day(date(2027, 2, 8))


def test_the_json_says_a_session_done_as_planned_by_its_uid_alone() -> None:
    progress = Progress.model_validate(
        {
            "sessions": ["a", {"session": "b", "minutes": 45}, {"session": "c", "missed": True}],
            "extra": [{"topic": "1.2", "day": "2027-03-13", "minutes": 90, "at": "20:00"}],
        }
    )
    dumped = progress.model_dump(mode="json")
    assert dumped["sessions"] == [
        "a",
        {"session": "b", "minutes": 45, "missed": False},
        {"session": "c", "minutes": None, "missed": True},
    ]
    assert dumped["extra"][0]["at"] == "20:00"
    assert Progress.model_validate_json(progress.model_dump_json()) == progress


def test_old_records_keep_working(tmp_path: Path) -> None:
    """A file (or a stored record) of UIDs only, as `planner done` wrote them before."""
    old = "sessions: [python-backend-1.1-1@roadmap-planner]\nhours: {'1.2': 2}\n"
    progress = load_progress(write(tmp_path, old))
    assert progress.sessions == (SessionRecord(session="python-backend-1.1-1@roadmap-planner"),)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("sessions:\n  - a\n  - b\n  - {session: a, missed: true}\n",
         "progress.yaml:2: sessions: session a is recorded twice (sessions[0] and sessions[2]): "
         "keep one"),
        ("sessions:\n  - {session: b, minutes: 45, missed: true}\n",
         "sessions[0]: session b: missed, or done for some minutes: which is it?"),
        ("sessions:\n  - {session: b, minutes: 0}\n",
         "progress.yaml:2: sessions[0].minutes: 0 minutes is no study (a session not studied is "
         "missed: true)"),
        ("sessions:\n  - {session: b, minutes: 1441}\n",
         "1441 minutes is more than a day (1440)"),
        ("sessions:\n  - {session: b, minutes: '45'}\n", "sessions[0].minutes"),
        ("sessions:\n  - {session: b, done: true}\n", "sessions[0].done: unknown key"),
        ("extra:\n  - {topic: '1.2', day: 2027-03-13, minutes: 90, at: 20:00}\n",
         'progress.yaml:2: extra[0].at: write the time in quotes: "20:00"'),
        ("extra:\n  - {topic: '1.2', day: 2027-03-13, minutes: 90, at: '8pm'}\n",
         "extra[0].at: '8pm' is not a time: write it as HH:MM"),
        ("extra:\n  - {topic: '1.2', day: 2027-03-13, minutes: 0}\n",
         "extra[0].minutes: 0 minutes is no study"),
        ("extra:\n  - {topic: 1.2, day: 2027-03-13, minutes: 5}\n",
         'extra[0].topic: ids must be quoted strings: write "1.2", not 1.2'),
        ("extra:\n  - {topic: '1.2', day: 2027-02-30, minutes: 5}\n",
         "extra[0].day: '2027-02-30' is not a date"),
    ],
)  # fmt: skip
def test_a_mistake_in_the_record_is_named_with_its_line(
    tmp_path: Path, text: str, message: str
) -> None:
    with pytest.raises(InputFileError) as refused:
        load_progress(write(tmp_path, text))
    assert message in str(refused.value)


# --- writing the file -------------------------------------------------------------------


def test_a_sessions_new_record_replaces_its_old_one_where_it_stands(tmp_path: Path) -> None:
    path = write(tmp_path, "# notes\nsessions:\n  - a   # Monday\n  - b\n")
    written = record_sessions(
        path,
        [SessionRecord(session="a", minutes=45), SessionRecord(session="c", missed=True)],
    )
    assert path.read_text() == (
        "# notes\nsessions:\n  - {session: a, minutes: 45} # Monday\n  - b\n"
        "  - {session: c, missed: true}\n"
    )
    assert written == read_progress_file(path)
    record_sessions(path, [SessionRecord(session="a")])  # corrected: done as planned
    assert path.read_text().startswith("# notes\nsessions:\n  - a ")  # its comment after it
    assert "# Monday\n  - b\n" in path.read_text()


def test_hours_and_extra_study_are_written_as_a_person_would(tmp_path: Path) -> None:
    from ruamel.yaml.scalarstring import DoubleQuotedScalarString

    path = tmp_path / "progress.yaml"
    finish_topic(path, "1.1", None)
    finish_topic(path, "1.1", 6.0)  # finished, and it took 6 h: one entry in done
    finish_topic(path, "1.2", 1.5)
    extra = {"topic": "1.2", "day": date(2027, 3, 13), "minutes": 90,
             "at": DoubleQuotedScalarString("20:00")}  # fmt: skip
    add_to_progress(path, "extra", [extra])
    add_to_progress(path, "extra", [extra])  # the same entry again: once
    add_to_progress(path, "missed", [{"from": date(2027, 2, 1), "to": date(2027, 2, 1)}])
    text = path.read_text()
    assert text.startswith("# What happened since the plan was made")
    assert "done:\n  - '1.1'\n  - '1.2'\nhours: {'1.1': 6, '1.2': 1.5}\n" in text
    assert "extra:\n  - {topic: '1.2', day: 2027-03-13, minutes: 90, at: \"20:00\"}\n" in text
    assert "missed:\n  - {from: 2027-02-01, to: 2027-02-01}\n" in text  # no &id001 / *id001
    progress = load_progress(path)
    assert progress.hours == {"1.1": 6, "1.2": 1.5} and len(progress.extra) == 1


def test_writes_keep_the_layout_of_block_lists_and_mappings(tmp_path: Path) -> None:
    path = write(tmp_path, "done:\n  - '1.1'\nhours:\n  '1.2': 1\n")
    finish_topic(path, "1.1", 6)
    assert path.read_text() == "done:\n  - '1.1'\nhours:\n  '1.2': 1\n  '1.1': 6\n"


def test_an_entry_that_would_make_the_record_invalid_writes_nothing(tmp_path: Path) -> None:
    from datetime import date as day

    path = write(tmp_path, "done: ['1.1']\n")
    backwards = {"from": day(2027, 1, 2), "to": day(2027, 1, 1)}
    with pytest.raises(InputFileError) as refused:
        add_to_progress(path, "missed", [backwards])
    assert str(refused.value) == (
        f"{path}: missed: not recorded: 'to' (2027-01-01) is before 'from' (2027-01-02)"
    )
    with pytest.raises(InputFileError) as refused:
        finish_topic(path, "1 1", None)
    assert str(refused.value) == (
        f"{path}: done: not recorded: String should match pattern '^\\S+$'"
    )
    with pytest.raises(InputFileError) as refused:
        finish_topic(path, "1.1", -1)
    assert str(refused.value) == (
        f"{path}: hours: not recorded: Input should be greater than or equal to 0"
    )
    assert path.read_text() == "done: ['1.1']\n"


def test_comments_alone_are_no_record_and_stay_on_top(tmp_path: Path) -> None:
    """Indented comments and blank lines are still comments only; a last line without
    its newline gets one before the first entry."""
    path = write(tmp_path, "  # indented\n\n# last, no newline")
    assert read_progress_file(path) == Progress()
    add_to_progress(path, "done", ["2"])
    assert path.read_text() == "  # indented\n\n# last, no newline\ndone:\n  - '2'\n"


def test_a_progress_file_that_cannot_be_read_is_refused_and_kept(tmp_path: Path) -> None:
    path = tmp_path / "progress.yaml"
    path.write_bytes(b"\xff\xfe# notes\n")
    with pytest.raises(InputFileError) as refused:
        add_to_progress(path, "done", ["2"])
    assert str(refused.value).startswith(f"{path}: cannot read the file ('utf-8' codec")
    assert path.read_bytes() == b"\xff\xfe# notes\n"
    with pytest.raises(InputFileError, match="file not found"):
        read_progress_file(tmp_path / "missing.yaml", missing_ok=False)
    assert read_progress_file(tmp_path / "missing.yaml") == Progress()


def test_a_check_of_the_record_as_it_would_be_runs_before_anything_is_written(
    tmp_path: Path,
) -> None:
    path = write(tmp_path, "# mine\ndone: ['1.1']\n")

    def refuse(progress: Progress) -> None:
        assert progress.done == ("1.1", "2")  # the record as it would be written
        raise PlannerError("progress.yaml: skipped[0]: unknown topic or section id '3.9'")

    for write_it in (
        lambda: add_to_progress(path, "done", ["2"], check=refuse),
        lambda: finish_topic(path, "2", None, check=refuse),
    ):
        with pytest.raises(PlannerError, match="unknown topic or section id"):
            write_it()
        assert path.read_text() == "# mine\ndone: ['1.1']\n"
