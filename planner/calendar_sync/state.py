"""What the last sync left in the calendar, kept in a small JSON file beside the
progress file: per UID, where the event is, its ETag, the digest of what we wrote and
its times. A pull compares the calendar with it (a changed time: the learner moved the
event); a push writes only what differs from it."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path

from planner.errors import PlannerError
from planner.output.files import write_all_or_nothing

STATE_SUFFIX = ".caldav.json"


@dataclass
class PushedEvent:
    href: str
    etag: str | None
    digest: str
    start: datetime
    end: datetime


@dataclass
class SyncState:
    """`calendar`: the calendar's URL the events are in (another calendar: start over)."""

    calendar: str = ""
    events: dict[str, PushedEvent] = field(default_factory=dict)


def state_path(progress_path: Path) -> Path:
    """`progress.yaml` -> `progress.caldav.json`, beside it."""
    return progress_path.with_name(progress_path.stem + STATE_SUFFIX)


def read_state(path: Path) -> SyncState:
    """The state file (missing: nothing pushed yet).

    Raises:
        PlannerError: the file is not a sync state (it can be deleted).
    """
    if not path.exists():
        return SyncState()
    try:
        return state_from_json(path.read_text())
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as error:
        raise PlannerError(
            f"{path}: not a sync state ({type(error).__name__}: {error}); delete it and "
            "sync again (the calendar is then made to match the plan, without reading "
            "back what you moved there since the last sync)"
        ) from None


def state_from_json(text: str) -> SyncState:
    """A state as `state_to_json` wrote it (the service keeps it in its database).

    Raises:
        ValueError, KeyError, TypeError, AttributeError: not a sync state.
    """
    raw = json.loads(text)
    events = {
        uid: PushedEvent(
            href=str(entry["href"]),
            etag=entry.get("etag"),
            digest=str(entry["digest"]),
            start=datetime.fromisoformat(entry["start"]),
            end=datetime.fromisoformat(entry["end"]),
        )
        for uid, entry in raw["events"].items()
    }
    return SyncState(calendar=str(raw["calendar"]), events=events)


def write_state(path: Path, state: SyncState) -> None:
    write_all_or_nothing({path: state_to_json(state).encode()})


def state_to_json(state: SyncState) -> str:
    events = {
        uid: {**asdict(event), "start": event.start.isoformat(), "end": event.end.isoformat()}
        for uid, event in sorted(state.events.items())
    }
    return json.dumps({"calendar": state.calendar, "events": events}, indent=1) + "\n"
