"""/health: is the service up and its database reachable."""

from __future__ import annotations

from fastapi import APIRouter
from sqlalchemy import text

from api.deps import SessionDep
from api.schemas import Health

router = APIRouter(tags=["health"])


@router.get("/health", response_model=Health)
def health(session: SessionDep) -> Health:
    session.exec(text("SELECT 1"))  # type: ignore[call-overload]
    return Health(status="ok", database="ok")
