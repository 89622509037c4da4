"""Adding to the learner's progress file (`planner done`, `planner missed`) without
losing anything: the file is read as it is (a broken one is refused, not replaced),
the entry is added with its comments and layout kept (ruamel.yaml round trip), the
result must still be a valid progress report, and it is written whole or not at all."""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import DoubleQuotedScalarString

from planner.errors import InputFileError
from planner.inputs.loading import load_progress
from planner.models.progress import CalendarEdit, Progress, SessionRecord
from planner.output.files import write_all_or_nothing

NEW_FILE_HEADER = (
    "# What happened since the plan was made: written by `planner done` and\n"
    "# `planner missed` (you may edit it too); `planner replan` reads it.\n"
)


def read_progress_file(path: Path, *, missing_ok: bool = True) -> Progress:
    """The progress file at `path`, or an empty report if it holds only comments, or
    if there is none yet and `missing_ok`.

    Raises:
        InputFileError: the file cannot be read (or is missing, unless `missing_ok`) or
            is not a valid report.
    """
    if (missing_ok and not path.exists()) or (path.exists() and _only_comments(path)):
        return Progress()
    return load_progress(path)


def _only_comments(path: Path) -> bool:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return False  # load_progress says what is wrong
    return all(not line.strip() or line.lstrip().startswith("#") for line in lines)


# What a caller checks of the record as it would be written (the plan's ids and sessions,
# nothing that has not happened), before anything is written.
Check = Callable[[Progress], object] | None


def add_to_progress(
    path: Path, key: str, items: list[Any], *, unique: bool = True, check: Check = None
) -> Progress:
    """Append `items` to the list `key` (`done`, `skipped`, `missed`, `extra`) of the
    progress file, skipping those already there when `unique` (an id, a day range; two
    stretches of extra study may well be alike), and return the report as written.

    Raises:
        InputFileError: the file is broken (left as it is), or the entry would make the
            report invalid (nothing written).
        PlannerError: `check` refuses the report as it would be (nothing written), or
            the file cannot be written (the old one is kept).
    """

    def append(document: CommentedMap) -> None:
        entries = _list(document, key)
        for item in items:
            if not unique or _plain(item) not in [_plain(entry) for entry in entries]:
                entries.append(_flow(item))

    return _change_progress(path, key, append, check)


def record_sessions(path: Path, records: list[SessionRecord], *, check: Check = None) -> Progress:
    """Set each session's record in `sessions` (replacing one the file has for the same
    session, where it stands) and return the report as written. Raises as
    `add_to_progress`."""

    def record(document: CommentedMap) -> None:
        entries = _list(document, "sessions")
        where = {_session_of(entry): index for index, entry in enumerate(entries)}
        for session_record in records:
            entry = _flow(session_record.model_dump(exclude_defaults=True))
            if session_record.session in where:
                entries[where[session_record.session]] = entry
            else:
                entries.append(entry)

    return _change_progress(path, "sessions", record, check)


def finish_topic(path: Path, topic: str, hours: float | None, *, check: Check = None) -> Progress:
    """Add `topic` (or a section) to `done` and, with `hours`, set how long it took
    (`hours[topic]`), in one write. Raises as `add_to_progress`."""

    def finish(document: CommentedMap) -> None:
        entries = _list(document, "done")
        if topic not in [_plain(entry) for entry in entries]:
            entries.append(topic)
        if hours is None:
            return
        hours_by_topic = document.get("hours")
        if hours_by_topic is None:
            hours_by_topic = document["hours"] = CommentedMap()
            hours_by_topic.fa.set_flow_style()
        hours_by_topic[topic] = int(hours) if float(hours).is_integer() else hours

    return _change_progress(path, "hours" if hours is not None else "done", finish, check)


def calendar_edits_added(path: Path, edits: list[CalendarEdit]) -> tuple[Progress, bytes]:
    """The progress file with `edits` added to `calendar`, and its new bytes, not
    written yet (`planner sync` writes them with the plan, both or neither). Raises as
    `add_to_progress`."""

    def add(document: CommentedMap) -> None:
        entries = _list(document, "calendar")
        for edit in edits:
            entry = edit.model_dump(mode="json", exclude_defaults=True)
            entries.append(_flow({k: DoubleQuotedScalarString(v) if k in ("start", "end")
                                  else v for k, v in entry.items()}))  # fmt: skip

    return _changed_progress(path, "calendar", add, None)


def _change_progress(
    path: Path, key: str, change: Callable[[CommentedMap], None], check: Check
) -> Progress:
    """Read the file as it is, apply `change`, check the result is a valid report (and
    passes `check`), and write it whole or not at all."""
    written, content = _changed_progress(path, key, change, check)
    write_all_or_nothing({path: content})
    return written


def _changed_progress(
    path: Path, key: str, change: Callable[[CommentedMap], None], check: Check
) -> tuple[Progress, bytes]:
    read_progress_file(path)  # a broken file is refused with its line, never overwritten
    yaml = YAML()
    yaml.preserve_quotes = True
    yaml.indent(mapping=2, sequence=4, offset=2)  # "  - item", as the README writes it
    # No anchors and aliases (`{from: &id001 2027-01-21, to: *id001}`): a person edits it.
    yaml.representer.ignore_aliases = lambda *_: True
    text = path.read_text(encoding="utf-8") if path.exists() else NEW_FILE_HEADER
    loaded = yaml.load(text)
    document = loaded if loaded is not None else CommentedMap()
    change(document)
    try:
        written = Progress.model_validate(_plain(document))
    except ValidationError as error:
        problem = str(error.errors()[0]["msg"]).removeprefix("Value error, ")
        raise InputFileError(path, f"not recorded: {problem}", key_path=key) from None
    if check is not None:
        check(written)
    out = io.StringIO()
    if loaded is None:  # a new file, or one of comments only: they stay on top
        out.write(text if text.endswith("\n") else text + "\n")
    yaml.dump(document, out)
    return written, out.getvalue().encode("utf-8")


def _list(document: CommentedMap, key: str) -> CommentedSeq:
    entries = document.get(key)
    if entries is None:
        entries = document[key] = CommentedSeq()
    assert isinstance(entries, CommentedSeq)  # Progress has only lists under these keys
    return entries


def _session_of(entry: Any) -> str:
    """The UID a `sessions` entry of a valid file is about (a UID alone, or a mapping's
    `session`)."""
    return str(entry) if isinstance(entry, str) else str(entry["session"])


def _flow(item: Any) -> Any:
    """A mapping entry (a missed range, a session's record) written on one line, as the
    README shows it."""
    if not isinstance(item, dict):
        return item
    mapping = CommentedMap(item)
    mapping.fa.set_flow_style()
    return mapping


def _plain(value: Any) -> Any:
    """ruamel's round-trip values of a valid file as plain Python ones (its floats, ints,
    strings and dates are subclasses that carry their layout)."""
    if isinstance(value, dict):
        return {str(key): _plain(inner) for key, inner in value.items()}
    if isinstance(value, list):
        return [_plain(inner) for inner in value]
    for plain_type in (bool, str, int, float):
        if isinstance(value, plain_type):
            return plain_type(value)
    if isinstance(value, date):
        return date(value.year, value.month, value.day)
    return value
