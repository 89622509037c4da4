"""/plans/{id}/calendar: the plan's own CalDAV calendar, which every re-plan is pushed to
and the learner's moves are read back from (on request, and on the schedule)."""

from __future__ import annotations

from datetime import timedelta

from fastapi import APIRouter, HTTPException, Response, status

from api import calendar_store, repository
from api.busy import Replanning
from api.calendar_pull import CalendarInUseError, sync_calendar
from api.calendar_schemas import CalendarSyncPublic, CalendarTargetPublic, CalendarTargetPut
from api.calendar_target import LEASE, Account, Exchange, failed, release, succeeded
from api.capacity import solve_limits
from api.credentials import secret_box
from api.deps import BusyFetchesDep, NowDep, OwnedPlanDep, SessionDep, SettingsDep, SolveGateDep
from api.http import StrictJSONRoute
from api.routes.plans import etag_of
from api.schemas import documented
from api.tables import CalendarTargetRecord
from planner.calendar_sync.state import SyncState, state_from_json, state_to_json
from planner.errors import CalendarSyncError, PlannerError
from planner.models.calendar_target import CalendarTarget
from planner.models.plan import Plan
from planner.models.profile import Profile

router = APIRouter(prefix="/plans", tags=["own calendar"], route_class=StrictJSONRoute)
NO_TARGET = "this plan writes to no calendar of yours: PUT /plans/{id}/calendar names one"


def _target_of(session: SessionDep, plan_id: str) -> CalendarTargetRecord:
    target = calendar_store.calendar_target_of(session, plan_id=plan_id)
    if target is None:
        raise HTTPException(status_code=404, detail=NO_TARGET)
    return target


def _claimed(session: SessionDep, plan_id: str) -> CalendarTargetRecord | None:
    """The plan's target, claimed for this request (None: it has none yet).

    Raises:
        HTTPException: 409, a push or pull of it is under way.
    """
    if calendar_store.calendar_target_of(session, plan_id=plan_id) is None:
        repository.end_transaction(session)
        return None
    now = repository.now()
    if not calendar_store.claim_calendar_target(
        session, plan_id=plan_id, now=now, until=now + LEASE
    ):
        raise HTTPException(status_code=409, detail=str(CalendarInUseError()))
    return calendar_store.held_calendar_target(session, plan_id=plan_id)


def _public(target: CalendarTargetRecord) -> CalendarTargetPublic:
    events = len(state_from_json(target.state_json).events) if target.state_json else 0
    return CalendarTargetPublic.of(target, events)


@router.put(
    "/{plan_id}/calendar",
    response_model=CalendarTargetPublic,
    responses=documented(404, 409, 413, 503),
)
def set_calendar(
    body: CalendarTargetPut,
    record: OwnedPlanDep,
    session: SessionDep,
    settings: SettingsDep,
    fetches: BusyFetchesDep,
) -> CalendarTargetPublic:
    """Write the plan into a calendar of yours (CalDAV) and keep it there: the account
    is checked now (422 with the server's words if it refuses or does not answer), the
    calendar of that name found or made, and the plan pushed; every re-plan is pushed
    after. The password or token is kept encrypted and never shown again."""
    box = secret_box(settings)  # 503 when the operator keeps no key
    try:
        secret, bearer = body.secret()
    except ValueError as error:
        raise PlannerError(str(error)) from None
    target = CalendarTarget(caldav=body.caldav, username=body.username, name=body.name)
    previous = _claimed(session, record.id)
    same = previous is not None and (previous.caldav, previous.username) == (
        body.caldav, body.username)  # fmt: skip
    state = state_from_json(previous.state_json) if same and previous else SyncState()
    zone = Profile.model_validate_json(record.profile_json).zone
    exchange = Exchange(Account(target, secret, bearer), settings, state, zone)
    try:
        remote = fetches.run(exchange.connect)
    except BaseException:
        exchange.close()
        if previous is not None:  # kept as it was
            calendar_store.record_calendar_exchange(session, target=previous)
        raise
    now = repository.now()
    stored = CalendarTargetRecord(
        plan_id=record.id, caldav=body.caldav, username=body.username, name=body.name,
        bearer=bearer, secret_sealed=box.seal(secret), calendar_url=exchange.calendar_url,
        state_json=state_to_json(exchange.state), created_at=now, lease_until=now + LEASE,
        next_sync_at=now + timedelta(minutes=settings.caldav_sync_minutes),
    )  # fmt: skip
    calendar_store.save_calendar_target(session, target=stored)
    plan = Plan.model_validate_json(record.plan_json)
    try:
        fetches.run(lambda: exchange.push(plan, remote, hold_back=True))
        succeeded(stored, now)
    except CalendarSyncError as error:  # checked, kept: the next push or pull tries again
        failed(stored, error.problem, now, settings)
    finally:
        release(session, stored, exchange)
    return _public(stored)


@router.get("/{plan_id}/calendar", response_model=CalendarTargetPublic, responses=documented(404))
def read_calendar(record: OwnedPlanDep, session: SessionDep) -> CalendarTargetPublic:
    """The plan's own calendar: its masked address, user, name, and how the last push
    or pull went (never the password)."""
    return _public(_target_of(session, record.id))


@router.delete(
    "/{plan_id}/calendar", status_code=status.HTTP_204_NO_CONTENT, responses=documented(404)
)
def forget_calendar(record: OwnedPlanDep, session: SessionDep) -> Response:
    """Stop writing to the calendar and forget the account (its password with it). The
    events already there stay: delete the calendar in your calendar app if you like."""
    if not calendar_store.delete_calendar_target(session, plan_id=record.id):
        raise HTTPException(status_code=404, detail=NO_TARGET)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post(
    "/{plan_id}/calendar/sync",
    response_model=CalendarSyncPublic,
    responses=documented(404, 409, 413, 503),
)
def sync_now(
    record: OwnedPlanDep,
    session: SessionDep,
    settings: SettingsDep,
    gate: SolveGateDep,
    fetches: BusyFetchesDep,
    clock: NowDep,
    response: Response,
) -> CalendarSyncPublic:
    """Read back what you moved or deleted in your calendar (a moved session is kept
    where you put it, a deleted one's hours are planned elsewhere; both are recorded in
    the progress), re-plan if you did, and write only the events that changed. 422 with
    the server's words when the calendar cannot be read or written (kept on the target,
    and tried again)."""
    _target_of(session, record.id)
    replanning = Replanning(gate, solve_limits(settings))
    try:
        outcome = sync_calendar(session, record, settings, replanning, fetches.run,
                                learners_now=clock, now=repository.now())  # fmt: skip
    except CalendarInUseError as error:
        raise HTTPException(status_code=409, detail=str(error)) from None
    response.headers["ETag"] = etag_of(outcome.record)
    pushed, solved = outcome.pushed, outcome.solved
    assert pushed is not None  # a sync that returns has pushed
    return CalendarSyncPublic(
        taken_in=CalendarSyncPublic.edits(outcome.taken_in, outcome.titles),
        replanned=solved is not None,
        written=pushed.written,
        deleted=pushed.deleted,
        unchanged=pushed.unchanged,
        conflicts=pushed.conflicts,
        calendar=_public(outcome.target),
        warnings=solved.warnings if solved is not None else [],
    )
