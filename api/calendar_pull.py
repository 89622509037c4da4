"""Reading the learner's moves back from their own calendar (POST /plans/{id}/calendar/sync,
and the busy refresh's schedule): pull, then re-plan if they moved or deleted sessions
(recorded in the plan's progress, as `planner sync` records them), then push what
changed. One host at a time: a sync claims the target first (repository)."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import Engine
from sqlmodel import Session

from api import calendar_store, repository
from api.busy import Replanning, stored_busy_files
from api.calendar_target import (
    LEASE,
    Exchange,
    Runner,
    failed,
    open_exchange,
    push_plan,
    release,
    succeeded,
)
from api.capacity import ServiceBusyError
from api.credentials import NoSecretKeyError
from api.planning_process import SolveTimeoutError
from api.progress import learner_today, plan_to_replan, progress_of
from api.settings import Settings
from api.solving import Solved, replan_within
from api.tables import CalendarTargetRecord, PlanRecord
from planner.calendar_sync.exchange import CalendarEdits, PushReport, pulled_edits
from planner.errors import CalendarSyncError, PlannerError
from planner.models.plan import Plan
from planner.models.profile import Profile
from planner.models.progress import CalendarEdit, Progress

log = logging.getLogger("planner.api")


class CalendarInUseError(Exception):
    """Another push or pull of this plan's calendar is under way (409)."""

    def __init__(self) -> None:
        super().__init__(
            "this plan's calendar is being synced already (after a re-plan, or on the "
            "schedule); try again in a minute"
        )


@dataclass
class CalendarSync:
    """What a sync did: the edits taken in, the re-plan they caused, and the push."""

    record: PlanRecord
    target: CalendarTargetRecord
    taken_in: list[CalendarEdit] = field(default_factory=list)
    titles: dict[str, tuple[str, str]] = field(default_factory=dict)  # uid: topic, title
    solved: Solved | None = None
    pushed: PushReport | None = None


def sync_calendar(
    session: Session,
    record: PlanRecord,
    settings: Settings,
    replanning: Replanning,
    run: Runner,
    *,
    learners_now: datetime,
    now: datetime,
    scheduled: bool = False,
) -> CalendarSync:
    """Pull, re-plan if the learner moved or deleted sessions, push. A failure of the
    calendar is recorded on the target and raised; the plan is saved before the push.

    Raises:
        CalendarInUseError: another sync holds the target (`scheduled`: or it is not due).
        CalendarSyncError, NoSecretKeyError: the calendar could not be read or written.
        PlannerError: the learner's edits cannot be planned (two moved onto one time).
        StaleVersionError, ServiceBusyError, SolveTimeoutError: as a re-plan.
    """
    if not calendar_store.claim_calendar_target(
        session, plan_id=record.id, now=now, until=now + LEASE, due=scheduled,
        next_sync_at=now + timedelta(minutes=settings.caldav_sync_minutes),
    ):  # fmt: skip
        raise CalendarInUseError()
    # The plan as it is now: a re-plan since the caller read it found the target held.
    fresh = session.get(PlanRecord, record.id, populate_existing=True)
    target = calendar_store.held_calendar_target(session, plan_id=record.id)
    if target is None or fresh is None:  # deleted since the claim
        raise CalendarInUseError()
    record = fresh
    outcome = CalendarSync(record, target)
    exchange: Exchange | None = None
    try:
        exchange = open_exchange(target, record, settings)
        remote = run(exchange.connect)
        plan = Plan.model_validate_json(record.plan_json)
        edits = pulled_edits(plan, exchange.state, remote)
        if edits:
            _take_in(session, outcome, edits, replanning, learners_now)
            assert outcome.solved is not None
            plan = outcome.solved.plan
        pushing = exchange
        outcome.pushed = run(lambda: pushing.push(plan, remote, hold_back=False))
        succeeded(target, now)
    except (CalendarSyncError, NoSecretKeyError) as error:
        problem = error.problem if isinstance(error, CalendarSyncError) else str(error)
        failed(target, problem, now, settings)
        raise
    except PlannerError as error:  # the edits themselves: the learner moves one back
        failed(target, str(error), now, settings)
        raise
    finally:
        release(session, target, exchange)
    latest = calendar_store.plan_to_push(session, plan_id=record.id)
    if latest is not None and latest.version != outcome.record.version:
        push_plan(session, outcome.record, settings, run)  # re-planned while we held it
    return outcome


def _take_in(
    session: Session,
    outcome: CalendarSync,
    edits: CalendarEdits,
    replanning: Replanning,
    learners_now: datetime,
) -> None:
    """Record the edits in the plan's progress and re-plan with them; both are saved
    together (one conditional write), or neither."""
    record = outcome.record
    profile = Profile.model_validate_json(record.profile_json)
    zone = profile.zone
    outcome.taken_in = [
        *(CalendarEdit(session=s.uid, start=e.start.astimezone(zone), end=e.end.astimezone(zone))
          for s, e in edits.moved),
        *(CalendarEdit(session=s.uid, start=s.start, end=s.end, deleted=True)
          for s, _ in edits.deleted),
    ]  # fmt: skip
    outcome.titles = {s.uid: (s.topic, s.title) for s, _ in [*edits.moved, *edits.deleted]}
    recorded = progress_of(record) or Progress()
    progress = recorded.model_copy(update={"calendar": (*recorded.calendar, *outcome.taken_in)})
    previous = Plan.model_validate_json(plan_to_replan(record, learner_today(record, learners_now)))
    busy = stored_busy_files(session, record)
    limits = replanning.limits
    repository.end_transaction(session)  # no transaction held through the solve
    with replanning.gate.turn(limits.deadline, limits.timeout_seconds):
        # From where the learner is now, as the busy refresh re-plans (an as_of is theirs).
        solved = replan_within(previous, profile, progress.model_copy(update={"as_of": None}),
                               learners_now, limits, busy=busy)  # fmt: skip
    outcome.record = repository.update_plan(
        session,
        record=record,
        expected_version=record.version,
        plan_json=solved.plan.model_dump_json(),
        progress_json=progress.model_dump_json(by_alias=True),
        calendar_gzip=solved.calendar_gzip,
        calendar_etag=solved.calendar_etag,
    )
    outcome.solved = solved


def sync_due(
    engine: Engine,
    settings: Settings,
    make_replanning: Callable[[], Replanning],
    run: Runner,
    *,
    now: datetime | None = None,
) -> int:
    """Sync every plan whose calendar is due (the schedule; tests pass a `now` of their
    own, which is the learner's too); returns how many were looked at. Each is claimed
    first: of several hosts on one database, one syncs it."""
    now = now or repository.now()
    with Session(engine) as session:
        due = calendar_store.calendar_targets_due(session, now=now)
    for plan_id in due:
        with Session(engine, expire_on_commit=False) as session:
            record = session.get(PlanRecord, plan_id)
            if record is None:
                continue
            try:
                outcome = sync_calendar(session, record, settings, make_replanning(), run,
                                        learners_now=now, now=now, scheduled=True)  # fmt: skip
            except (CalendarInUseError, PlannerError, NoSecretKeyError, ServiceBusyError,
                    SolveTimeoutError, repository.StaleVersionError):  # fmt: skip
                continue  # recorded on the target when it is the calendar's; next time
            except Exception as error:  # one plan's bug must not stop the others' syncs
                log.exception(json.dumps({"event": "caldav_sync_bug", "plan": plan_id,
                                          "error": type(error).__name__}))  # fmt: skip
                continue
        pushed = outcome.pushed or PushReport()
        entry = {"event": "caldav_sync", "plan": plan_id, "taken_in": len(outcome.taken_in),
                 "written": pushed.written, "deleted": pushed.deleted}  # fmt: skip
        log.info(json.dumps(entry))
    return len(due)
