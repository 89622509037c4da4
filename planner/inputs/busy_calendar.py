"""The learner's busy calendars: read (a file, or a URL through `busy_fetch`), parsed
with icalendar (Google's X-WR-TIMEZONE made standard by x-wr-timezone) and expanded
with recurring-ical-events (RRULE, RDATE, EXDATE, RECURRENCE-ID overrides, VTIMEZONE)
over just the days being planned, so an endless weekly series costs what its weeks in
the plan cost.

Not busy time: transparent ("free") events, cancelled ones, invitations the learner
declined, and our own study sessions (a calendar that subscribes to our feed must not
block the plan with itself).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from planner.errors import BusySourceError
from planner.inputs.busy_rules import MAX_INSTANCES
from planner.models.busy import BusySource, BusySourceDigest, BusyTime

if TYPE_CHECKING:  # imported where used: `planner --help` need not load them
    import icalendar

    from planner.inputs.busy_fetch import FetchLimits

OUR_UID_DOMAIN = "@roadmap-planner"  # every UID we write ends so (old and new forms)


@dataclass(frozen=True)
class BusyCalendarFile:
    """One busy source as read: where from (`source`), and its bytes."""

    source: BusySource
    body: bytes

    @property
    def name(self) -> str:
        return self.source.name

    @property
    def digest(self) -> str:
        return "sha256:" + hashlib.sha256(self.body).hexdigest()


def read_busy_sources(
    sources: Sequence[BusySource], *, base_dir: Path, limits: FetchLimits
) -> tuple[BusyCalendarFile, ...]:
    """Read every source: a URL within `limits`, a path relative to `base_dir` (the
    profile's folder) unless absolute.

    Raises:
        BusySourceError: a source cannot be read, or is larger than the limit.
    """
    from planner.inputs.busy_fetch import fetch_url

    read = []
    for source in sources:
        if source.is_url:
            body = fetch_url(source.ics, limits).body or b""
        else:
            body = _read_file(base_dir / Path(source.ics).expanduser(), limits, source.name)
        read.append(BusyCalendarFile(source, body))
    return tuple(read)


def _read_file(path: Path, limits: FetchLimits, name: str) -> bytes:
    from planner.inputs.busy_fetch import too_large

    try:
        if path.stat().st_size > limits.max_bytes:
            raise BusySourceError(name, too_large(limits))
        return path.read_bytes()
    except FileNotFoundError:
        raise BusySourceError(name, "file not found") from None
    except OSError as error:
        raise BusySourceError(name, f"cannot read the file ({error.strerror})") from None


class BusyCalendar:
    """The learner's busy calendars, expanded on demand. The same days asked again, or
    more days after them (as the planner widens its horizon), expand only what is new."""

    def __init__(self, files: Sequence[BusyCalendarFile] = ()) -> None:
        self.files = tuple(files)
        self._expansions: dict[str, list[_Expansion]] = {}

    def __bool__(self) -> bool:
        return bool(self.files)

    def __getstate__(self) -> dict[str, Any]:
        # Sent to the service's planning process as bytes; expanded there.
        return {"files": self.files, "_expansions": {}}

    def digests(self) -> tuple[BusySourceDigest, ...]:
        return tuple(BusySourceDigest(source=file.name, digest=file.digest) for file in self.files)

    def busy_time(self, zone: ZoneInfo, first_day: date, last_day: date) -> BusyTime:
        """Busy time from `first_day` to `last_day` (local days of `zone`, in which
        floating times and all-day events are read).

        Raises:
            BusySourceError: a source is not a calendar, has a rule that cannot be
                expanded, or more than MAX_INSTANCES events in these days.
        """
        if not self.files:
            return BusyTime()
        if zone.key not in self._expansions:
            self._expansions[zone.key] = [_Expansion(file, zone) for file in self.files]
        intervals: list[tuple[datetime, datetime]] = []
        days: set[date] = set()
        for expansion in self._expansions[zone.key]:
            expansion.cover(first_day, last_day)
            intervals += expansion.intervals
            days |= expansion.days
        return BusyTime.merged(intervals, frozenset(d for d in days if d <= last_day))

    def warnings(self, zone: ZoneInfo, first_day: date, last_day: date) -> list[str]:
        """The events left out of busy time (`busy_events`) that fall from `first_day`
        to `last_day`, each once, with the reason.

        Raises:
            BusySourceError: as `busy_time`.
        """
        self.busy_time(zone, first_day, last_day)
        found = []
        for expansion in self._expansions.get(zone.key, []):
            for reason, days in sorted(expansion.left_out.items()):
                planned = sorted(day for day in days if first_day <= day <= last_day)
                if len(planned) > 1:
                    reason += f" ({len(planned)} times in the days planned, first {planned[0]})"
                if planned:
                    found.append(f"busy calendar {expansion.file.name}: {reason}")
        return found


@dataclass
class _Expansion:
    """One source's busy time from `since` up to `until`, grown on demand either way."""

    file: BusyCalendarFile
    zone: ZoneInfo
    since: datetime | None = None
    until: datetime | None = None
    intervals: list[tuple[datetime, datetime]] = field(default_factory=list)
    days: set[date] = field(default_factory=set)
    count: int = 0
    # Events set aside (busy_events): the days planned each falls on, by its reason.
    left_out: dict[str, set[date]] = field(default_factory=dict)
    _query: Any = None
    _left_out_query: Any = None
    _reasons: dict[str, str] = field(default_factory=dict)

    def cover(self, first_day: date, last_day: date) -> None:
        # A day's margin either side: buffers, and events that cross midnight.
        start = _midnight(first_day - timedelta(days=1), self.zone)
        end = _midnight(last_day + timedelta(days=2), self.zone)
        if self.since is None or self.until is None:
            self._expand(start, end)
            self.since, self.until = start, end
            return
        if start < self.since:
            self._expand(start, self.since)
            self.since = start
        if end > self.until:
            self._expand(self.until, end)
            self.until = end

    def _expand(self, start: datetime, end: datetime) -> None:
        if self._query is None:
            self._query, self._left_out_query, self._reasons = _query_of(self.file)
        self._note_left_out(start, end)
        for component in _between(self._query, start, end, self.file.name):
            self.count += 1
            if self.count > MAX_INSTANCES:
                raise BusySourceError(
                    self.file.name,
                    f"more than {MAX_INSTANCES:,} events in the days planned (up to "
                    f"{end.date()}): a rule that repeats too often?",
                )
            self._add(component)

    def _note_left_out(self, start: datetime, end: datetime) -> None:
        """The local days on which the events set aside fall (their times as written
        when their zone is unknown); free, cancelled or declined ones need no word."""
        for event in _between(self._left_out_query, start, end, self.file.name):
            if not is_busy(event, self.file.source.me):
                continue
            reason = self._reasons.get(str(event.get("UID", "")), "")
            moment = event.start  # a time in an unknown zone: as written
            if isinstance(moment, datetime):
                moment = _utc(moment, self.zone).astimezone(self.zone).date()
            self.left_out.setdefault(reason, set()).add(moment)

    def _add(self, component: icalendar.Event) -> None:
        source = self.file.source
        if not is_busy(component, source.me):
            return
        start, end = component.start, component.end
        if not isinstance(start, datetime):  # an all-day event: whole local days
            if source.all_day == "blackout":
                last = end if isinstance(end, date) and end > start else start + timedelta(1)
                self.days.update(start + timedelta(days=n) for n in range((last - start).days))
            return
        buffer = timedelta(minutes=source.buffer_minutes)
        begins = _utc(start, self.zone) - buffer
        ends = _utc(end if isinstance(end, datetime) else start, self.zone) + buffer
        if ends > begins:
            self.intervals.append((begins, ends))


def is_busy(component: icalendar.Component, me: Sequence[str] = ()) -> bool:
    """Whether one event instance is busy time: not transparent, not cancelled, not
    declined by one of the addresses `me`, and not one of our own study sessions."""
    if str(component.get("UID", "")).endswith(OUR_UID_DOMAIN):
        return False
    if str(component.get("TRANSP", "OPAQUE")).upper() == "TRANSPARENT":
        return False
    if str(component.get("STATUS", "")).upper() == "CANCELLED":
        return False
    return not (me and _declined_by(component, me))


def _declined_by(component: icalendar.Component, me: Sequence[str]) -> bool:
    mine = {_address(address) for address in me}
    attendees = component.get("ATTENDEE", [])
    for attendee in attendees if isinstance(attendees, list) else [attendees]:
        declined = str(attendee.params.get("PARTSTAT", "")).upper() == "DECLINED"
        if declined and _address(str(attendee)) in mine:
            return True
    return False


def _address(text: str) -> str:
    text = text.strip().lower()
    return text.removeprefix("mailto:")


def _query_of(file: BusyCalendarFile) -> tuple[Any, Any, dict[str, str]]:
    """The source parsed, its X-WR-TIMEZONE made standard, its rules checked, ready to
    expand; and the events set aside (`busy_events`), to expand only to tell the learner
    which fall in the days planned, with the reason by UID.

    Raises:
        BusySourceError: not a calendar, or a rule that cannot be read.
    """
    import icalendar
    import recurring_ical_events
    import x_wr_timezone

    from planner.inputs.busy_events import set_aside
    from planner.inputs.busy_rules import check_rules

    stripped = file.body.lstrip(b"\xef\xbb\xbf \t\r\n")
    if not stripped.upper().startswith(b"BEGIN:VCALENDAR"):
        raise BusySourceError(file.name, "not an iCalendar file (no BEGIN:VCALENDAR at its start)")
    try:
        calendar = icalendar.Calendar.from_ical(file.body)
        calendar = x_wr_timezone.to_standard(calendar)
        check_rules(calendar, file.name)
        aside = set_aside(calendar)
        left_out = icalendar.Calendar()
        for event, _reason in aside:
            calendar.subcomponents.remove(event)
            left_out.add_component(event)
        reasons = {str(event.get("UID", "")): reason for event, reason in reversed(aside)}
        return recurring_ical_events.of(calendar), recurring_ical_events.of(left_out), reasons
    except BusySourceError:
        raise
    except Exception as error:  # a third-party parser on foreign input: the file's fault
        raise BusySourceError(file.name, f"not a valid iCalendar file ({_short(error)})") from None


def _between(query: Any, start: datetime, end: datetime, name: str) -> Iterator[Any]:
    try:
        yield from query.between(start, end)
    except Exception as error:  # a broken RRULE, RDATE or EXDATE surfaces here
        raise BusySourceError(name, f"cannot expand its events ({_short(error)})") from None


def _short(error: Exception) -> str:
    text = str(error).splitlines()[0] if str(error) else type(error).__name__
    return text if len(text) <= 160 else text[:157] + "…"


def _utc(moment: datetime, zone: ZoneInfo) -> datetime:
    """A floating (naive) time is the learner's local time."""
    return (moment if moment.tzinfo is not None else moment.replace(tzinfo=zone)).astimezone(UTC)


def _midnight(day: date, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, time(0, 0), tzinfo=zone)
