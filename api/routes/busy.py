"""/plans/{id}/busy/refresh: read the plan's busy calendars again now, and re-plan if
one of them changed (the service also does this on its own schedule)."""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import APIRouter, Response

from api import repository
from api.busy import refresh_busy, source_status
from api.deps import OwnedPlanDep, SessionDep, SettingsDep
from api.routes.plans import SOLVES, IfMatch, changes_public, check_if_match, etag_of, public
from api.schemas import BusyRefreshPublic

router = APIRouter(prefix="/plans", tags=["busy calendars"])


@router.post("/{plan_id}/busy/refresh", response_model=BusyRefreshPublic, responses=SOLVES)
def refresh_busy_calendars(
    record: OwnedPlanDep,
    session: SessionDep,
    settings: SettingsDep,
    response: Response,
    if_match: IfMatch = None,
) -> dict[str, Any]:
    """Fetch every busy calendar of the plan again (with ETag / If-Modified-Since) and
    re-plan only if one changed. A calendar that fails keeps the last good plan; its
    error is in `busy_sources`."""
    check_if_match(record, if_match)
    record, refresh = refresh_busy(
        session, record, settings, now=repository.now(), today=date.today()
    )
    response.headers["ETag"] = etag_of(record)
    result = refresh.result
    sources = repository.busy_sources_of(session, plan_id=record.id)
    return public(
        record,
        settings,
        busy_sources=source_status(sources),
        changed=refresh.changed,
        replanned=result is not None,
        changes=changes_public(result) if result is not None else None,
        warnings=result.warnings if result is not None else [],
    )
