"""/health: is the service up, its database reachable, and would it store a write."""

from __future__ import annotations

import asyncio

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from api import repository
from api.schemas import Health

router = APIRouter(tags=["health"])


@router.get("/health", response_model=Health, responses={503: {"model": Health}})
async def health(request: Request) -> Health | JSONResponse:
    """200 when the database takes writes; 503 with the reason when it does not (full
    disk, read-only, deleted under the service, unreachable). Runs on threads of its own,
    so it answers while every planning process is busy."""
    settings = request.app.state.settings
    problem = await asyncio.get_running_loop().run_in_executor(
        request.app.state.capacity.health_threads,
        repository.storage_problem_now,
        request.app.state.engine,
        settings.min_free_disk_mb,
    )
    if problem is None:
        return Health(status="ok", database="ok")
    answer = Health(status="unavailable", database=f"not writable: {problem}")
    return JSONResponse(status_code=503, content=answer.model_dump())
