"""Busy calendars in the service: read by URL only, within the operator's limits (no
loopback, private, link-local or multicast address unless the operator allows its
network), kept with their last good copy and validators, fetched again on a schedule,
and a re-plan only when one of them changed.

A calendar that fails (unreachable, 404, not a calendar, too large, a rule that cannot
be expanded) keeps the last good plan and the last good copy; its error is shown with
the plan. URLs are secrets (Google's "secret address"): messages, logs and answers name
a source by `display_name` (scheme, host and a fingerprint).
"""

from __future__ import annotations

import hashlib
import ipaddress
import json
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine
from sqlmodel import Session

from api import repository
from api.capacity import ServiceBusyError, SolveGate
from api.planning_process import SolveLimits, SolveTimeoutError
from api.settings import Settings
from api.solving import Solved, replan_within
from api.tables import BusySourceRecord, PlanRecord
from planner.errors import BusySourceError, PlannerError
from planner.inputs.busy_calendar import BusyCalendarFile
from planner.inputs.busy_fetch import FetchLimits, fetch_url
from planner.models.busy import display_name
from planner.models.plan import Plan
from planner.models.profile import Profile
from planner.models.progress import Progress

log = logging.getLogger("planner.api")


def fetch_limits(settings: Settings) -> FetchLimits:
    return FetchLimits(
        max_bytes=settings.busy_max_bytes,
        timeout_seconds=settings.busy_timeout_seconds,
        max_redirects=settings.busy_max_redirects,
        allowed_networks=tuple(ipaddress.ip_network(n) for n in settings.busy_allowed_networks),
    )


def check_busy_sources(profile: Profile, settings: Settings) -> None:
    """Refuse what the service does not read: files (they would be the server's), and
    more calendars than the operator allows."""
    if len(profile.busy) > settings.busy_max_sources:
        raise PlannerError(
            f"profile.busy: {len(profile.busy)} calendars; this service reads at most "
            f"{settings.busy_max_sources}"
        )
    for index, source in enumerate(profile.busy):
        if not source.is_url:
            raise PlannerError(
                f"profile.busy[{index}].ics: this service reads busy calendars by URL "
                "(http, https or webcal), not by file name"
            )


class BusyFieldError(BusySourceError):
    """A busy calendar of a request that cannot be read, with its place in the request
    (`loc`: the 422 names that field, so a form shows the error beside it)."""

    def __init__(self, error: BusySourceError, position: int) -> None:
        super().__init__(error.source, error.problem)
        self.loc: tuple[str | int, ...] = ("profile", "busy", position, "ics")


def first_fetch(
    plan_id: str, profile: Profile, settings: Settings, now: datetime
) -> list[BusySourceRecord]:
    """Every busy calendar of a new plan, fetched now.

    Raises:
        BusyFieldError: a calendar cannot be fetched (the plan is not created).
    """
    return [
        fetch_source(plan_id, position, source.ics, settings, now)
        for position, source in enumerate(profile.busy)
    ]


def fetch_source(
    plan_id: str, position: int, url: str, settings: Settings, now: datetime
) -> BusySourceRecord:
    """The calendar at `url`, read now, as the plan's calendar at `position`.

    Raises:
        BusyFieldError: it cannot be fetched.
    """
    try:
        fetched = fetch_url(url, fetch_limits(settings))
    except BusySourceError as error:
        raise BusyFieldError(error, position) from error
    body = fetched.body or b""
    return BusySourceRecord(
        plan_id=plan_id,
        position=position,
        url=url,
        body=body,
        digest=_digest(body),
        etag=fetched.etag,
        last_modified=fetched.last_modified,
        checked_at=now,
        changed_at=now,
        next_check_at=now + timedelta(minutes=settings.busy_refresh_minutes),
    )


def busy_files(
    profile: Profile, bodies: Iterable[tuple[int, bytes]]
) -> tuple[BusyCalendarFile, ...]:
    """The calendars as the planner reads them: (position in profile.busy, copy)."""
    return tuple(BusyCalendarFile(profile.busy[position], body) for position, body in bodies)


def stored_busy_files(session: Session, record: PlanRecord) -> tuple[BusyCalendarFile, ...]:
    """The plan's calendars as last read (a re-plan on progress reads no URL)."""
    profile = Profile.model_validate_json(record.profile_json)
    sources = repository.busy_sources_of(session, plan_id=record.id)
    return busy_files(profile, ((source.position, source.body) for source in sources))


def source_status(sources: list[BusySourceRecord]) -> list[dict[str, object]]:
    """What a plan's owner sees of its calendars (never the URL)."""
    return [
        {
            "source": display_name(source.url),
            "digest": source.digest,
            "checked_at": _aware(source.checked_at),
            "changed_at": _aware(source.changed_at),
            "error": source.error,
        }
        for source in sources
    ]


# A calendar's new copy by its position: body, ETag, Last-Modified.
Fresh = dict[int, tuple[bytes, str | None, str | None]]


@dataclass
class BusyRefresh:
    """What one refresh found: the calendars that changed, those that failed, and the
    re-plan (None when nothing changed or it failed)."""

    changed: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    result: Solved | None = None


@dataclass(frozen=True)
class Replanning:
    """How a refresh re-plans: within the request's limits, taking a turn at the gate."""

    gate: SolveGate
    limits: SolveLimits


def refresh_busy(
    session: Session,
    record: PlanRecord,
    settings: Settings,
    replanning: Replanning,
    *,
    now: datetime,
    learners_now: datetime,
    run_fetches: Callable[[Callable[[], Fresh]], Fresh] = lambda fetch: fetch(),
) -> tuple[PlanRecord, BusyRefresh]:
    """Fetch the plan's calendars again (conditional requests) and re-plan if one changed.
    `now` stamps the sources; a re-plan starts where the learner is at `learners_now`
    (the service's clock, which the tests fix). `run_fetches` runs the fetching (a
    request's: on the pool of busy fetches; the schedule's: in its own thread).

    Raises:
        StaleVersionError: the plan changed while the re-plan ran (nothing is saved).
        ServiceBusyError: every planning process is busy and the queue is full, or the
            pool of busy fetches is.
    """
    sources = repository.busy_sources_of(session, plan_id=record.id)
    refresh = BusyRefresh()
    repository.end_transaction(session)  # no transaction held through the fetches
    fresh = run_fetches(lambda: _fetch_again(sources, settings, refresh, now))
    if fresh:
        record = _replan_with(
            session, record, replanning, sources, fresh, refresh, now, learners_now
        )
    repository.save_busy_sources(session, sources=sources)
    return record, refresh


def _fetch_again(
    sources: list[BusySourceRecord], settings: Settings, refresh: BusyRefresh, now: datetime
) -> Fresh:
    """Each source fetched again; the sources record how it went, `refresh` what changed
    and failed; returns the calendars that changed."""
    fresh: Fresh = {}
    for source in sources:
        source.checked_at = now
        source.next_check_at = now + timedelta(minutes=settings.busy_refresh_minutes)
        try:
            fetched = fetch_url(
                source.url,
                fetch_limits(settings),
                etag=source.etag,
                last_modified=source.last_modified,
            )
        except BusySourceError as error:
            source.error = error.problem
            refresh.failed.append(error.source)
            continue
        source.error = None
        if fetched.body is not None and _digest(fetched.body) != source.digest:
            fresh[source.position] = (fetched.body, fetched.etag, fetched.last_modified)
            refresh.changed.append(display_name(source.url))
    return fresh


def _replan_with(
    session: Session,
    record: PlanRecord,
    replanning: Replanning,
    sources: list[BusySourceRecord],
    fresh: Fresh,
    refresh: BusyRefresh,
    now: datetime,
    learners_now: datetime,
) -> PlanRecord:
    """Re-plan with the new copies; keep them only if the re-plan succeeds (a broken
    calendar keeps the last good copy, so the next refresh tries it again)."""
    profile = Profile.model_validate_json(record.profile_json)
    previous = Plan.model_validate_json(record.plan_json)
    recorded = Progress.model_validate_json(record.progress_json) if record.progress_json else None
    # From where the learner is now, as a re-plan they ask for (an as_of is theirs to use).
    progress = (recorded or Progress()).model_copy(update={"as_of": None})
    candidates = [
        (source.position, fresh[source.position][0] if source.position in fresh else source.body)
        for source in sources
    ]
    limits = replanning.limits
    repository.end_transaction(session)  # no transaction held through the solve
    try:
        with replanning.gate.turn(limits.deadline, limits.timeout_seconds):
            result = replan_within(
                previous,
                profile,
                progress,
                learners_now,
                limits,
                busy=busy_files(profile, candidates),
            )
    except (PlannerError, SolveTimeoutError) as error:
        for source in sources:
            if source.position in fresh:
                source.error = _error_for(error, display_name(source.url))
                refresh.failed.append(display_name(source.url))
        return record
    record = repository.update_plan(
        session,
        record=record,
        expected_version=record.version,
        plan_json=result.plan.model_dump_json(),
        calendar_gzip=result.calendar_gzip,
        calendar_etag=result.calendar_etag,
    )
    for source in sources:
        if source.position in fresh:
            body, etag, last_modified = fresh[source.position]
            source.body, source.digest, source.changed_at = body, _digest(body), now
            source.etag, source.last_modified = etag, last_modified
    refresh.result = result
    return record


def refresh_due(
    engine: Engine,
    settings: Settings,
    make_replanning: Callable[[], Replanning],
    *,
    now: datetime | None = None,
    on_replanned: Callable[[str], None] = lambda _plan_id: None,
) -> int:
    """Refresh every plan with a calendar due; returns how many plans were looked at;
    `on_replanned(plan_id)` after each re-plan (the push to the plan's own calendar).
    Called by the service's schedule (and by tests with a `now` of their own); each
    re-plan takes its turn among the requests' (a busy service tries again next time).
    Each plan is claimed first: of several processes or hosts on one database, one
    refreshes it, the others leave it."""
    now = now or datetime.now(UTC).replace(microsecond=0)
    next_check_at = now + timedelta(minutes=settings.busy_refresh_minutes)
    with Session(engine) as session:
        due = repository.plans_with_busy_due(session, now=now)
    for plan_id in due:
        with Session(engine, expire_on_commit=False) as session:
            claimed = repository.claim_busy_refresh(
                session, plan_id=plan_id, now=now, next_check_at=next_check_at
            )
            record = session.get(PlanRecord, plan_id) if claimed else None
            if record is None:
                continue
            try:
                _, refresh = refresh_busy(
                    session,
                    record,
                    settings,
                    make_replanning(),
                    now=now,
                    learners_now=now,
                )
            except (repository.StaleVersionError, ServiceBusyError):  # next time
                continue
        entry = {"event": "busy_refresh", "plan": plan_id, "changed": refresh.changed,
                 "failed": refresh.failed, "replanned": refresh.result is not None}  # fmt: skip
        log.info(json.dumps(entry))
        if refresh.result is not None:
            on_replanned(plan_id)
    return len(due)


def _error_for(error: Exception, name: str) -> str:
    """What to show beside calendar `name` after a failed re-plan: its own problem when
    the error is about it (planner errors cross the planning process with their fields),
    else the whole message."""
    if isinstance(error, BusySourceError) and error.source == name:
        return error.problem
    return str(error)


def _digest(body: bytes) -> str:
    return "sha256:" + hashlib.sha256(body).hexdigest()


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
