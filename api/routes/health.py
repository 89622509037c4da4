"""/health: is the service up and its database reachable."""

from __future__ import annotations

from fastapi import APIRouter

from api import repository
from api.deps import SessionDep
from api.schemas import Health

router = APIRouter(tags=["health"])


@router.get("/health", response_model=Health)
def health(session: SessionDep) -> Health:
    repository.ping(session)
    return Health(status="ok", database="ok")
