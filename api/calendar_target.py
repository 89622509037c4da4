"""A plan's own CalDAV calendar in the service (`planner sync`'s exchange, with the
account kept in the database): connect, push what changed after a re-plan, and record
how it went on the target. A failure never fails what caused the push: it is kept on
the target (its error, since when, how many times) and the next push or pull tries again.

The account's address goes through the busy calendars' SSRF rule (public addresses,
and the networks the operator allows), on the address connected to. Its password is
decrypted only here, for the requests; messages and logs name the calendar by its masked
address and the plan by id.
"""

from __future__ import annotations

import ipaddress
import json
import logging
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Protocol, TypeVar
from zoneinfo import ZoneInfo

from sqlmodel import Session

from api import calendar_store, repository
from api.calendar_store import PlanToPush
from api.capacity import ServiceBusyError
from api.credentials import NoSecretKeyError, secret_box
from api.settings import Settings
from api.solving import roadmap_pair, source_of
from api.tables import CalendarTargetRecord, PlanRecord
from planner.calendar_sync.connection import (
    SERVER_ERRORS,
    calendar_label,
    check_address,
    describe,
)
from planner.calendar_sync.events import RemoteEvent, plan_events
from planner.calendar_sync.exchange import PushReport, push, read_remote
from planner.calendar_sync.state import PushedEvent, SyncState, state_from_json, state_to_json
from planner.calendar_sync.webdav import DavAuthError, DavClient
from planner.errors import CalendarSyncError, PlannerError
from planner.models.calendar_target import CalendarTarget
from planner.models.plan import Plan
from planner.models.profile import Profile

log = logging.getLogger("planner.api")
LEASE = timedelta(minutes=15)  # a push or pull left by a process that died is taken again
Fetched = TypeVar("Fetched")


class Runner(Protocol):
    """Runs a fetch (a request's: on the pool of busy fetches; the schedule's: there too)."""

    def __call__(self, fetch: Callable[[], Fetched]) -> Fetched: ...


def run_here(fetch: Callable[[], Fetched]) -> Fetched:
    return fetch()


class CalendarFieldError(CalendarSyncError):
    """Connecting failed, and `loc` names the field of the account at fault: `caldav`
    (the address does not resolve, is refused, nothing answers there, or it is not
    CalDAV), `password` or `token` (refused). The 422 names the field, so the web form
    shows the server's words beside it; the message is the problem alone (the request
    names the calendar)."""

    def __init__(self, calendar: str, problem: str, field: str) -> None:
        PlannerError.__init__(self, problem)
        self.calendar, self.problem = calendar, problem
        self.loc: tuple[str | int, ...] = (field,)


@dataclass(frozen=True)
class Account:
    """What connects: the address, user and calendar name, and the clear secret."""

    target: CalendarTarget
    secret: str = field(repr=False)
    bearer: bool = False


def account_of(record: CalendarTargetRecord, settings: Settings) -> Account:
    """The stored account, its secret decrypted.

    Raises:
        NoSecretKeyError: no key, or none that encrypted it.
    """
    secret = secret_box(settings).open(record.secret_sealed)
    target = CalendarTarget(caldav=record.caldav, username=record.username, name=record.name)
    return Account(target, secret, record.bearer)


class Exchange:
    """One connection to the target's calendar, and what was last pushed there."""

    def __init__(
        self, account: Account, settings: Settings, state: SyncState, zone: ZoneInfo
    ) -> None:
        self.account, self.settings, self.state, self.zone = account, settings, state, zone
        self.client: DavClient | None = None
        self.calendar_url = ""

    def connect(self) -> dict[str, RemoteEvent]:
        """Find (or make) the calendar and read our events in it.

        Raises:
            CalendarSyncError: refused address, credentials or calendar; no answer.
        """
        target = self.account.target
        networks = tuple(ipaddress.ip_network(n) for n in self.settings.busy_allowed_networks)
        try:
            check_address(target, networks)
        except CalendarSyncError as error:
            raise CalendarFieldError(error.calendar, error.problem, "caldav") from None
        self.client = DavClient(
            target.caldav, target.username, self.account.secret, bearer=self.account.bearer,
            timeout=self.settings.busy_timeout_seconds, allowed_networks=networks,
            deadline_seconds=self.settings.caldav_sync_seconds,
        )  # fmt: skip
        try:
            home = self.client.calendar_home()
            calendars = self.client.calendars(home)
            found = calendars.get(target.name) or self.client.make_calendar(home, target.name)
            self.calendar_url = found
            if self.state.calendar != found:  # another calendar: start over
                self.state = SyncState(calendar=found)
            return read_remote(self.client, found, self.zone)
        except DavAuthError as error:
            secret = "access token (it may have expired)" if self.account.bearer else "password"
            problem = f"the server refused user {target.username!r} with this {secret} ({error})"
            field = "token" if self.account.bearer else "password"
            raise CalendarFieldError(calendar_label(target), problem, field) from None
        except SERVER_ERRORS as error:  # the network's, and answers that are not CalDAV
            raise CalendarFieldError(calendar_label(target), describe(error), "caldav") from None

    def push(self, plan: Plan, remote: dict[str, RemoteEvent], *, hold_back: bool) -> PushReport:
        """Make the calendar hold `plan`. `hold_back`: leave alone the events the learner
        moved or deleted since the last push (a push after a re-plan, before a pull has
        taken them in: the next pull does).

        Raises:
            CalendarSyncError: a request failed (what was written is in `state`).
        """
        assert self.client is not None, "connect() first"
        self.client.restart_deadline()  # a sync's push may follow a re-plan's solve
        wanted = plan_events(plan, roadmap_pair(source_of(plan))[0])
        held = _edited_since_push(self.state, remote) if hold_back else {}
        for uid in held:
            del self.state.events[uid]
        try:
            return push(
                self.client,
                self.calendar_url,
                {uid: body for uid, body in wanted.items() if uid not in held},
                self.state,
                {uid: event for uid, event in remote.items() if uid not in held},
            )
        except SERVER_ERRORS as error:
            raise CalendarSyncError(calendar_label(self.account.target), describe(error)) from None
        finally:
            self.state.events.update(held)

    def close(self) -> None:
        if self.client is not None:
            self.client.close()


def _edited_since_push(state: SyncState, remote: dict[str, RemoteEvent]) -> dict[str, PushedEvent]:
    edited = {}
    for uid, pushed in state.events.items():
        there = remote.get(uid)
        if there is None or (there.start, there.end) != (pushed.start, pushed.end):
            edited[uid] = pushed
    return edited


PUSH_ROUNDS = 3  # a plan re-planned during its push is pushed again, at most this often


def push_plan(
    session: Session, plan: PlanRecord, settings: Settings, run: Runner = run_here
) -> CalendarTargetRecord | None:
    """After a re-plan (or a new target): push the plan to its calendar target, if it
    has one, and record how it went. Never raises for the calendar's sake: a failure
    is on the target. The plan is read again once the target is claimed, and pushed
    again if it was re-planned meanwhile; a target another push or pull holds is marked
    due (its holder pushes the newer plan when it sees it, the schedule otherwise).

    Returns:
        The target as it is now (None: the plan has none).
    """
    target = None
    for _round in range(PUSH_ROUNDS):
        now = repository.now()
        if calendar_store.calendar_target_of(session, plan_id=plan.id) is None:
            return None
        if not calendar_store.claim_calendar_target(
            session, plan_id=plan.id, now=now, until=now + LEASE
        ):
            calendar_store.mark_calendar_target_due(session, plan_id=plan.id, now=now)
            return calendar_store.calendar_target_of(session, plan_id=plan.id)
        latest = calendar_store.plan_to_push(session, plan_id=plan.id)
        target = calendar_store.held_calendar_target(session, plan_id=plan.id)
        if target is None or latest is None:  # deleted since
            return None
        _push_held(session, target, latest, settings, run, now)
        current = calendar_store.plan_to_push(session, plan_id=plan.id)
        if current is None or current.version == latest.version:
            return target
    calendar_store.mark_calendar_target_due(session, plan_id=plan.id, now=repository.now())
    return target


def _push_held(
    session: Session,
    target: CalendarTargetRecord,
    plan: PlanToPush,
    settings: Settings,
    run: Runner,
    now: datetime,
) -> None:
    """Push `plan` to the target this caller holds, record how it went, let it go."""
    exchange, busy = None, False
    try:
        exchange = open_exchange(target, plan, settings)
        remote = run(exchange.connect)
        run(lambda: exchange.push(Plan.model_validate_json(plan.plan_json), remote, hold_back=True))
        succeeded(target, now)
    except (CalendarSyncError, NoSecretKeyError) as error:
        failed(target, _problem(error), now, settings)
    except ServiceBusyError:  # not the calendar's fault: the schedule pushes it soon
        busy = True
    except Exception as error:  # a bug of ours: logged, and the re-plan still stands
        error_id = secrets.token_hex(6)
        entry = {"event": "caldav_push_bug", "plan": plan.id, "error": type(error).__name__}
        log.exception(json.dumps({**entry, "error_id": error_id}))
        failed(target, f"internal error (error id {error_id}, logged)", now, settings)
    finally:
        release(session, target, exchange)
    if busy:
        calendar_store.mark_calendar_target_due(session, plan_id=plan.id, now=now)


def open_exchange(
    target: CalendarTargetRecord, plan: PlanRecord | PlanToPush, settings: Settings
) -> Exchange:
    """An exchange for the stored target (not connected yet).

    Raises:
        NoSecretKeyError: the password cannot be decrypted.
    """
    state = state_from_json(target.state_json) if target.state_json else SyncState()
    zone = Profile.model_validate_json(plan.profile_json).zone
    return Exchange(account_of(target, settings), settings, state, zone)


def _problem(error: Exception) -> str:
    return error.problem if isinstance(error, CalendarSyncError) else str(error)


def release(session: Session, target: CalendarTargetRecord, exchange: Exchange | None) -> None:
    """Keep what the exchange left (the state of what is really there) and let go; if
    the lease ran out and another push or pull took the target over, keep nothing (it
    writes its own) and say so in the operator's log."""
    if exchange is not None:
        exchange.close()
        target.state_json = state_to_json(exchange.state)
        target.calendar_url = exchange.calendar_url or target.calendar_url
    if not calendar_store.record_calendar_exchange(session, target=target):
        why = "its lease ran out and another push or pull took the target, or it was deleted"
        log.warning(json.dumps({"event": "caldav_not_recorded", "plan": target.plan_id,
                                "why": why}))  # fmt: skip


def succeeded(target: CalendarTargetRecord, now: datetime) -> None:
    target.synced_at, target.error, target.failing_since, target.failures = now, None, None, 0


def failed(target: CalendarTargetRecord, problem: str, now: datetime, settings: Settings) -> None:
    """Record the failure; the operator's log names the plan (never the address)."""
    target.error = problem
    target.failing_since = target.failing_since or now
    target.failures += 1
    since = repository.as_utc(target.failing_since)
    keeps_failing = now - since >= timedelta(hours=settings.caldav_failing_hours)
    log.warning(json.dumps({"event": "caldav_failed", "plan": target.plan_id,
                            "failures": target.failures, "failing_since": since.isoformat(),
                            "keeps_failing": keeps_failing, "problem": problem}))  # fmt: skip
