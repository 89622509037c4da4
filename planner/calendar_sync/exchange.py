"""Pull and push. A pull reads our events in the calendar and compares them with what
the last sync wrote (`state`): an event at another time was moved by the learner, one
that is gone was deleted; an edited title or description is left alone. A push writes
only what differs: PUT with If-Match for a changed event (If-None-Match: * for a new
one), DELETE with If-Match for one the plan dropped, nothing for the rest. A 412 (the
learner edited it meanwhile) re-reads the event and retries once, then is reported."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC
from typing import TYPE_CHECKING
from urllib.parse import quote
from zoneinfo import ZoneInfo

from planner.calendar_sync.events import EventBody, RemoteEvent, event_of, read_event, timed
from planner.calendar_sync.state import PushedEvent, SyncState
from planner.calendar_sync.webdav import DavError, DavResponse
from planner.models.plan import Plan, StudySession

if TYPE_CHECKING:
    from planner.calendar_sync.webdav import DavClient

PRECONDITION_FAILED = 412


@dataclass(frozen=True)
class CalendarEdits:
    """What the learner did to our events since the last sync: `moved` (the session and
    the event where they put it) and `deleted` (the session and the event as we left it)."""

    moved: list[tuple[StudySession, RemoteEvent]] = field(default_factory=list)
    deleted: list[tuple[StudySession, PushedEvent]] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.moved or self.deleted)


def read_remote(client: DavClient, calendar_url: str, zone: ZoneInfo) -> dict[str, RemoteEvent]:
    """Our events in the calendar, by UID (one REPORT)."""
    found = {}
    for item in client.events(calendar_url):
        event = read_event(item.href, item.etag, item.data, zone)
        if event is not None:
            found[event.uid] = event
    return found


def pulled_edits(plan: Plan, state: SyncState, remote: dict[str, RemoteEvent]) -> CalendarEdits:
    """The learner's moves and deletions of the plan's study sessions still ahead. Not
    read back: history (what happened), reviews (placed anew around what is studied; a
    push puts a moved one back), and an event already where the plan has it (taken in
    by a sync whose push was cut short)."""
    edits = CalendarEdits()
    for session in sorted(plan.upcoming_study, key=lambda s: s.start_utc):
        pushed = state.events.get(session.uid)
        if pushed is None:
            continue
        there = remote.get(session.uid)
        if there is None:
            edits.deleted.append((session, pushed))
        elif (there.start, there.end) not in (
            (pushed.start, pushed.end),
            (session.start_utc, session.end_utc),
        ):
            edits.moved.append((session, there))
    return edits


@dataclass
class PushReport:
    written: int = 0
    deleted: int = 0
    unchanged: int = 0
    conflicts: list[str] = field(default_factory=list)


def push(
    client: DavClient,
    calendar_url: str,
    wanted: dict[str, EventBody],
    state: SyncState,
    remote: dict[str, RemoteEvent],
) -> PushReport:
    """Make the calendar hold `wanted`, recording each write in `state` as it succeeds
    (a push cut short leaves a state that says what is really there).

    Raises:
        DavError, DavAuthError, httpcore's errors: from the first request that fails.
    """
    report = PushReport()
    for uid, body in wanted.items():
        there, pushed = remote.get(uid), state.events.get(uid)
        if (
            there is not None
            and pushed is not None
            and pushed.digest == body.digest
            and (there.start, there.end) == (pushed.start, pushed.end)
        ):
            pushed.etag, pushed.href = there.etag, there.href  # a title edit: theirs
            report.unchanged += 1
            continue
        event = event_of(body.body)
        start, end = timed(event.start).astimezone(UTC), timed(event.end).astimezone(UTC)
        if there is not None and pushed is not None and (there.start, there.end) == (start, end):
            # Where the learner moved it, as the plan now has it: their event stays as
            # they wrote it (a title edited with the move is theirs too).
            state.events[uid] = PushedEvent(there.href, there.etag, body.digest, start, end)
            report.unchanged += 1
            continue
        href = there.href if there else calendar_url.rstrip("/") + "/" + quote(uid) + ".ics"
        condition = {"If-Match": there.etag} if there and there.etag else {"If-None-Match": "*"}
        answer = _send(client, "PUT", href, condition, body.body)
        if answer.status == PRECONDITION_FAILED:
            report.conflicts.append(uid)
            continue
        _raise_unless_ok(answer)
        state.events[uid] = PushedEvent(href, answer.etag, body.digest, start, end)
        report.written += 1
    for uid in sorted(set(remote) - set(wanted)):
        there = remote[uid]
        condition = {"If-Match": there.etag} if there.etag else {}
        answer = _send(client, "DELETE", there.href, condition)
        if answer.status == PRECONDITION_FAILED:
            report.conflicts.append(uid)
            continue
        if answer.status != 404:
            _raise_unless_ok(answer)
        state.events.pop(uid, None)
        report.deleted += 1
    for uid in set(state.events) - set(wanted) - set(remote):
        del state.events[uid]  # deleted by the learner and dropped by the plan: done
    return report


def _send(
    client: DavClient,
    method: str,
    href: str,
    condition: dict[str, str],
    body: bytes = b"",
) -> DavResponse:
    """Send once; on 412, read the event's ETag again and send once more."""
    headers = {"Content-Type": "text/calendar; charset=utf-8"} if method == "PUT" else {}
    answer = client.request(method, href, body, {**headers, **condition})
    if answer.status != PRECONDITION_FAILED or "If-Match" not in condition:
        return answer
    again = client.request("HEAD", href)
    if again.status == 404:  # deleted meanwhile: a PUT creates it again
        retry = {"If-None-Match": "*"}
    else:
        retry = {"If-Match": again.etag} if again.etag else {}
    return client.request(method, href, body, {**headers, **retry})


def _raise_unless_ok(answer: DavResponse) -> None:
    if answer.status >= 300:
        raise DavError(f"the server answered {answer.status}")
