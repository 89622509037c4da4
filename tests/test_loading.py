"""Loading YAML files: every error names the file, the key path and the line."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from planner.errors import InputFileError
from planner.inputs.loading import (
    load_plan,
    load_prerequisites,
    load_profile,
    load_roadmap,
)

ROADMAP = """\
id: tiny
title: Tiny roadmap
sections:
  - id: "1"
    title: First
    hours: 3
    topics:
      - {id: "1.1", title: One, hours: 1}
      - {id: "1.2", title: Two, hours: 2}
"""


def write(tmp_path: Path, text: str, name: str = "file.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_valid_roadmap_loads(tmp_path: Path) -> None:
    roadmap = load_roadmap(write(tmp_path, ROADMAP))
    assert [topic.id for topic in roadmap.topics] == ["1.1", "1.2"]


def test_yaml_syntax_error_names_file_and_line(tmp_path: Path) -> None:
    path = write(tmp_path, ROADMAP.replace("title: Two,", "title: [Two,"))
    with pytest.raises(InputFileError) as caught:
        load_roadmap(path)
    assert caught.value.path == str(path)
    assert caught.value.line == 9
    assert str(caught.value).startswith(f"{path}:9: not valid YAML")


def test_schema_error_names_key_path_and_line(tmp_path: Path) -> None:
    path = write(tmp_path, ROADMAP.replace("hours: 2}", "hours: -2}"))
    with pytest.raises(InputFileError) as caught:
        load_roadmap(path)
    assert caught.value.key_path == "sections[0].topics[1].hours"
    assert caught.value.line == 9
    assert "greater than or equal to 0" in str(caught.value)


def test_section_hours_must_add_up(tmp_path: Path) -> None:
    path = write(tmp_path, ROADMAP.replace("hours: 3", "hours: 4"))
    with pytest.raises(InputFileError, match=r"section 1 states 4 h but its topics add up to 3 h"):
        load_roadmap(path)


def test_unknown_key_is_reported_not_ignored(tmp_path: Path) -> None:
    path = write(tmp_path, ROADMAP.replace("title: One,", "title: One, houres: 3,"))
    with pytest.raises(InputFileError) as caught:
        load_roadmap(path)
    assert caught.value.key_path == "sections[0].topics[0].houres"
    assert "unknown key" in str(caught.value)


def test_unquoted_topic_id_is_explained(tmp_path: Path) -> None:
    path = write(tmp_path, "roadmap: tiny\nedges:\n  - {before: 1.1, after: '1.2', why: x}\n")
    with pytest.raises(
        InputFileError, match=r'edges\[0\]\.before: ids must be quoted strings: write "1.1"'
    ):
        load_prerequisites(path)


def test_missing_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(InputFileError, match=r"nope\.yaml: file not found"):
        load_profile(tmp_path / "nope.yaml")


def test_profile_errors_point_at_the_window(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "timezone: Europe/Berlin\nweekly:\n  mon: ['19:00-21:00']\n  tue: ['7pm-9pm']\n",
    )
    with pytest.raises(InputFileError) as caught:
        load_profile(path)
    assert caught.value.key_path == "weekly.tue[0]"
    assert caught.value.line == 4
    assert "is not a window like '19:00-21:00'" in str(caught.value)


@pytest.mark.parametrize(
    ("weekly", "message"),
    [
        ("{mon: ['19:00-21:00', '20:00-22:00']}", "mon 19:00-21:00 overlaps mon 20:00-22:00"),
        (
            "{sun: ['23:00-02:00'], mon: ['01:00-03:00']}",
            "sun 23:00-02:00 overlaps mon 01:00-03:00",
        ),
        ("{mon: ['19:00-19:00']}", "is empty"),
    ],
)
def test_overlapping_or_empty_windows_are_refused(
    tmp_path: Path, weekly: str, message: str
) -> None:
    path = write(tmp_path, f"timezone: Europe/Berlin\nweekly: {weekly}\n")
    with pytest.raises(InputFileError, match=message):
        load_profile(path)


def test_unknown_time_zone_is_named(tmp_path: Path) -> None:
    path = write(tmp_path, "timezone: Europe/Atlantis\nweekly: {mon: ['19:00-21:00']}\n")
    with pytest.raises(InputFileError, match="unknown time zone 'Europe/Atlantis'"):
        load_profile(path)


def test_session_rules_that_no_whole_slot_length_satisfies_are_refused(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "timezone: Europe/Berlin\nweekly: {mon: ['19:00-21:00']}\n"
        "session: {min_minutes: 90, max_minutes: 90, slot_minutes: 60}\n",
    )
    with pytest.raises(InputFileError, match="min_minutes becomes 120 and max_minutes 60"):
        load_profile(path)


@pytest.mark.parametrize(
    ("profile_text", "message"),
    [
        ("hours: {'1.1': true}", r"hours\.1\.1: Input should be a valid number"),
        ("hours: {'1.1': 1.0e+308}", r"hours\.1\.1: Input should be less than or equal to 10000"),
        ("only_goals: true", r"only_goals needs goals"),
        ("pace: 0", r"pace: Input should be greater than or equal to 0\.1"),
        ("max_hours_per_week: 0.1", r"max_hours_per_week: Input should be greater than or"),
    ],
)
def test_suspicious_profile_values_are_refused(
    tmp_path: Path, profile_text: str, message: str
) -> None:
    path = write(
        tmp_path, f"timezone: Europe/Berlin\nweekly: {{mon: ['19:00-21:00']}}\n{profile_text}\n"
    )
    with pytest.raises(InputFileError, match=message):
        load_profile(path)


def test_a_single_window_and_one_to_midnight_are_understood(tmp_path: Path) -> None:
    path = write(
        tmp_path, "timezone: Europe/Berlin\nweekly: {mon: '19:00-21:00', sat: ['20:00-24:00']}\n"
    )
    profile = load_profile(path)
    assert [str(window) for window in profile.weekly["mon"]] == ["19:00-21:00"]
    assert profile.weekly["sat"][0].crosses_midnight  # ends at midnight, Sunday 00:00
    assert profile.weekly["sat"][0].minutes == 4 * 60


@pytest.mark.parametrize(
    ("window", "message"),
    [
        (
            "22:30-20:00",
            r"weekly\.tue\[0\]: '22:30-20:00' runs past midnight, from 22:30 to 20:00 the next "
            r"day \(21\.5 h\); a window is at most 12 h\. Did you mean '20:00-22:30'\? A window "
            r"that does run past midnight is written as on a clock: '23:00-01:00'",
        ),
        ("06:00-20:00", r"weekly\.tue\[0\]: '06:00-20:00' is 14 h long; a window is at most 12 h"),
        (
            "00:00-24:00",
            r"weekly\.tue\[0\]: '00:00-24:00' is a whole day; a window is at most 12 h",
        ),
    ],
)
def test_a_window_longer_than_12_hours_is_refused_with_how_to_write_it(
    tmp_path: Path, window: str, message: str
) -> None:
    """Regression: a reversed window ("22:30-20:00") was read as 21.5 h past midnight and
    planned sessions at 02:30-05:30 without a word."""
    path = write(tmp_path, f"timezone: America/Sao_Paulo\nweekly:\n  tue: ['{window}']\n")
    with pytest.raises(InputFileError, match=rf"file\.yaml:3: {message}"):
        load_profile(path)


def test_overlapping_windows_on_a_day_are_refused(tmp_path: Path) -> None:
    path = write(tmp_path, "timezone: UTC\nweekly:\n  fri: ['18:00-21:00', '20:00-23:00']\n")
    with pytest.raises(InputFileError, match="fri 18:00-21:00 overlaps fri 20:00-23:00: merge"):
        load_profile(path)


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (
            lambda text: text.replace("+01:00", "", 1),
            r"sessions\[0\]\.start: Input should have timezone info",
        ),
        (
            lambda text: text.replace("Europe/Berlin", "Mars/Olympus", 1),
            "unknown time zone 'Mars/Olympus'",
        ),
        (
            lambda text: text.replace('"end": "2027-01-04T21', '"end": "2027-01-04T18', 1),
            "ends before it starts",
        ),
        (lambda text: text[:50], "not valid YAML"),
    ],
)
def test_a_broken_plan_file_is_a_clear_error(
    tmp_path: Path, edit: Callable[[str], str], message: str
) -> None:
    plan_json = (
        '{"roadmap": "tiny", "timezone": "Europe/Berlin", "start": "2027-01-04",\n'
        ' "finish": null, "lower_bound_finish": null, "planned_hours": 2,\n'
        ' "solver": {"status": "OPTIMAL", "finish_proven_optimal": true, "sessions": 1,\n'
        '            "sessions_lower_bound": 1, "list_schedule_sessions": 1},\n'
        ' "sessions": [{"uid": "u1", "topic": "1.1", "title": "One",\n'
        '               "start": "2027-01-04T19:00:00+01:00",\n'
        '               "end": "2027-01-04T21:00:00+01:00"}]}\n'
    )
    load_plan(write(tmp_path, plan_json, "ok.json"))
    with pytest.raises(InputFileError, match=message):
        load_plan(write(tmp_path, edit(plan_json), "plan.json"))


def test_a_file_too_large_for_its_kind_is_refused_before_it_is_read(tmp_path: Path) -> None:
    """A 50 MB profile took a minute and 3 GB to refuse (issue 27): past 1 MB it is
    refused at once, naming the file and the limit."""
    huge = tmp_path / "profile.yaml"
    huge.write_text("timezone: Europe/Berlin\n" + "# padding\n" * 120_000)
    with pytest.raises(InputFileError) as refused:
        load_profile(huge)
    assert str(refused.value) == (
        f"{huge}: 1.1 MB: a profile file is at most 1 MB (is it the right file?)"
    )


@pytest.mark.parametrize(
    ("profile_text", "message"),
    [
        ("only_goals: true", r"file\.yaml:4: only_goals needs goals"),
        ("start: 2027-01-04\ndeadline: 2027-01-01", r"file\.yaml:5: deadline 2027-01-01 is before"),
        ("review: {minutes: 240}", r"file\.yaml:4: review\.minutes \(240\) is longer than"),
        (
            "start: 2027-01-04\ngoals:\n  - {topic: '1.1', by: 2027-01-01}",
            r"file\.yaml:6: goals\[0\]\.by: goal 1\.1 by 2027-01-01 is before start",
        ),
    ],
)
def test_model_check_errors_name_the_line_of_their_key_not_line_1(
    tmp_path: Path, profile_text: str, message: str
) -> None:
    path = write(
        tmp_path, f"timezone: Europe/Berlin\nweekly: {{mon: ['19:00-21:00']}}\n\n{profile_text}\n"
    )
    with pytest.raises(InputFileError, match=message):
        load_profile(path)


def test_a_list_where_keys_belong_is_refused_without_a_python_class_name(tmp_path: Path) -> None:
    path = write(tmp_path, "timezone: UTC\nweekly: {mon: ['19:00-21:00']}\nsession: [60, 90]\n")
    with pytest.raises(InputFileError) as caught:
        load_profile(path)
    assert str(caught.value) == (
        f"{path}:3: session: expected keys and values here (key: value), not a list"
    )


@pytest.mark.parametrize(
    ("load", "text"),
    [
        (load_profile, "timezone: UTC\nweekly: {mon: ['19:00-21:00']}\n\ntimezone: UTC\n"),
        (load_roadmap, ROADMAP.replace("title: First\n", "title: First\n    hours: 3\n", 1)),
        (load_prerequisites, "edges:\n  - from: '1.1'\n    to: '1.2'\n\n    from: '1.2'\n"),
        (load_plan, '{"roadmap": "tiny",\n "sessions": [],\n\n "roadmap": "tiny"}'),
    ],
)
def test_a_key_given_twice_is_refused_with_both_lines(
    tmp_path: Path, load: Callable[[Path], object], text: str
) -> None:
    path = write(tmp_path, text)
    with pytest.raises(
        InputFileError, match=r"file\.yaml:\d+: \S+ given twice, lines \d+ and \d+$"
    ):
        load(path)


def test_a_merge_key_may_be_overridden(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "timezone: UTC\nwindows: &evening {mon: ['19:00-21:00']}\n"
        "weekly:\n  <<: *evening\n  mon: ['18:00-20:00']\n",
    )
    with pytest.raises(InputFileError, match="windows: unknown key"):  # not "given twice"
        load_profile(path)
