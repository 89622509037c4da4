"""/plans/{id}/busy/refresh: read the plan's busy calendars again now, and re-plan if
one of them changed (the service also does this on its own schedule)."""

from __future__ import annotations

from fastapi import APIRouter, Response

from api import repository
from api.busy import Replanning, refresh_busy, source_status
from api.calendar_target import push_plan
from api.capacity import solve_limits
from api.deps import (
    BusyFetchesDep,
    NowDep,
    OwnedPlanDep,
    SessionDep,
    SettingsDep,
    SolveGateDep,
)
from api.http import check_if_match
from api.routes.plans import SOLVES, IfMatch, changes_public, etag_of
from api.schemas import BusyRefreshPublic

router = APIRouter(prefix="/plans", tags=["busy calendars"])


@router.post("/{plan_id}/busy/refresh", response_model=BusyRefreshPublic, responses=SOLVES)
def refresh_busy_calendars(
    record: OwnedPlanDep,
    session: SessionDep,
    settings: SettingsDep,
    gate: SolveGateDep,
    fetches: BusyFetchesDep,
    clock: NowDep,
    response: Response,
    if_match: IfMatch = None,
) -> BusyRefreshPublic:
    """Fetch every busy calendar of the plan again (with ETag / If-Modified-Since) and
    re-plan if one changed. A calendar that fails keeps the last good plan; its error
    is in `busy_sources`."""
    check_if_match(if_match, etag_of(record))
    replanning = Replanning(gate, solve_limits(settings))
    record, refresh = refresh_busy(
        session,
        record,
        settings,
        replanning,
        now=repository.now(),
        learners_now=clock,
        run_fetches=fetches.run,
    )
    response.headers["ETag"] = etag_of(record)
    result = refresh.result
    if result is not None:
        push_plan(session, record, settings, fetches.run)
    sources = repository.busy_sources_of(session, plan_id=record.id)
    return BusyRefreshPublic.from_record(
        record,
        settings.public_url,
        busy_sources=source_status(sources),
        changed=refresh.changed,
        replanned=result is not None,
        changes=changes_public(result) if result is not None else None,
        warnings=result.warnings if result is not None else [],
    )
