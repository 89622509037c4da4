"""/health: is the service up, its database reachable, and would it store a write."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from functools import partial

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from api import calendar_store, repository
from api.schemas import Health

router = APIRouter(tags=["health"])


@router.get(
    "/health",
    response_model=Health,
    response_model_exclude_none=True,
    responses={503: {"model": Health}},
)
async def health(request: Request) -> Health | JSONResponse:
    """200 when the database takes writes; 503 with the reason when it does not (full
    disk, read-only, deleted under the service, unreachable). Runs on threads of its own,
    so it answers while every planning process is busy. `calendars_failing` counts the
    plans' own calendars failing for longer than PLANNER_CALDAV_FAILING_HOURS (the log's
    `caldav_failed` lines name the plans)."""
    settings = request.app.state.settings
    loop, threads = asyncio.get_running_loop(), request.app.state.capacity.health_threads
    engine = request.app.state.engine
    problem = await loop.run_in_executor(
        threads, repository.storage_problem_now, engine, settings.min_free_disk_mb
    )
    if problem is not None:
        # Nothing more is read: a query on a SQLite file made immutable under a large
        # write-ahead log maps its index into that file, and the process dies (SIGBUS).
        answer = Health(status="unavailable", database=f"not writable: {problem}")
        return JSONResponse(status_code=503, content=answer.model_dump(exclude_none=True))
    since = repository.now() - timedelta(hours=settings.caldav_failing_hours)
    failing = await loop.run_in_executor(
        threads, partial(calendar_store.calendar_targets_failing, engine, since=since)
    )
    return Health(status="ok", database="ok", calendars_failing=failing or None)
