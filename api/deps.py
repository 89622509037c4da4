"""Dependencies the routes declare: settings, a database session, the caller's plan,
the worker's solve gate and its pool of busy-calendar fetches."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from typing import Annotated

from fastapi import Depends, Header, HTTPException, Path, Request
from sqlmodel import Session

from api import repository
from api.capacity import ClientFetches, SolveGate
from api.errors import NOT_FOUND
from api.progress import learner_today
from api.settings import Settings, get_settings
from api.tables import PlanRecord


def _session(request: Request) -> Iterator[Session]:
    # Objects stay loaded after a commit: a route can end its read transaction before a
    # long wait (repository.end_transaction) and still use what it read.
    with Session(request.app.state.engine, expire_on_commit=False) as session:
        yield session


def now() -> datetime:
    """The clock the learner's today is read from (tests override it: no test depends
    on the calendar; rows are stamped with `repository.now()`)."""
    return repository.now()


def _solve_gate(request: Request) -> SolveGate:
    gate: SolveGate = request.app.state.capacity.solves
    return gate


def _busy_fetches(request: Request) -> ClientFetches:
    # The client's address as uvicorn gives it: behind a proxy it trusts (its
    # --forwarded-allow-ips, 127.0.0.1 by default), the one X-Forwarded-For names.
    client = request.client.host if request.client is not None else "unknown"
    return ClientFetches(request.app.state.capacity.busy_fetches, client)


SettingsDep = Annotated[Settings, Depends(get_settings)]
SessionDep = Annotated[Session, Depends(_session)]
SolveGateDep = Annotated[SolveGate, Depends(_solve_gate)]
BusyFetchesDep = Annotated[ClientFetches, Depends(_busy_fetches)]
NowDep = Annotated[datetime, Depends(now)]


def _owned_plan(
    session: SessionDep,
    plan_id: Annotated[str, Path(max_length=32)],
    authorization: Annotated[
        str | None,
        Header(description="Bearer <owner token>", max_length=200),
    ] = None,
) -> PlanRecord:
    """The plan, if the caller holds its owner token; 404 otherwise, the same answer
    whether the plan exists or not."""
    scheme, _, token = (authorization or "").partition(" ")
    record = None
    if scheme.lower() == "bearer" and token:
        record = repository.find_owned_plan(session, plan_id=plan_id, owner_token=token.strip())
    if record is None:
        raise HTTPException(status_code=404, detail=NOT_FOUND)
    return record


OwnedPlanDep = Annotated[PlanRecord, Depends(_owned_plan)]


def _learner_today(record: OwnedPlanDep, clock: NowDep) -> date:
    return learner_today(record, clock)


LearnerTodayDep = Annotated[date, Depends(_learner_today)]
