"""The FastAPI app: `create_app()` builds it (nothing happens at import time).

`planner serve --workers N` (or `uvicorn --factory api.main:create_app --workers N`)
runs N of these processes; each has its own solve gate, thread pools and feed cache,
and they share nothing but the database."""

from __future__ import annotations

import asyncio
import contextlib
import faulthandler
import gc
import json
import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from functools import cache

from fastapi import FastAPI
from sqlalchemy import Engine, make_url
from sqlmodel import Session

from api.busy import Replanning, refresh_due
from api.calendar_pull import sync_due
from api.calendar_target import Fetched, push_plan
from api.capacity import WorkerCapacity, solve_limits
from api.credentials import key_problem
from api.database import make_engine, migrate
from api.errors import add_error_handlers
from api.feed_store import FeedStore
from api.middleware import BodyLimitAndLog
from api.routes import busy, busy_check, calendar, feeds, health, plans, roadmaps, whatif
from api.settings import Settings, get_settings
from api.solving import bundled_roadmaps
from api.tables import PlanRecord
from api.web import pages

log = logging.getLogger("planner.api")


def create_app(settings: Settings | None = None) -> FastAPI:
    """The service: plans, progress, re-plans and the .ics feeds, on the settings'
    database (migrated to the latest schema when the app starts)."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        active = settings or get_settings()
        # A crash in C code (SIGSEGV, SIGBUS) leaves a traceback in the log, not silence.
        faulthandler.enable()
        app.state.settings = active
        app.state.engine = make_engine(active)
        migrate(app.state.engine)
        app.state.capacity = WorkerCapacity.from_settings(active)
        app.state.feeds = FeedStore(app.state.engine, active.feed_cache_mb * 2**20)
        _settle_the_heap()
        log.info(json.dumps({"event": "started", "database": _redacted(active.sqlalchemy_url)}))
        if (warning := public_url_warning(active.public_url)) is not None:
            log.warning(json.dumps({"event": "public_url_not_https", "warning": warning}))
        if (problem := key_problem(active)) is not None:
            log.warning(json.dumps({"event": "calendar_targets_off", "warning": problem}))
        refreshing = None
        if active.busy_refresh_check_seconds > 0:
            refreshing = asyncio.create_task(
                _refresh_busy_calendars(app.state.engine, active, app.state.capacity)
            )
        yield
        if refreshing is not None:
            refreshing.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await refreshing
        app.state.capacity.shutdown()
        app.state.engine.dispose()

    app = FastAPI(
        title="Roadmap Planner",
        summary="Study plans from learning roadmaps, with a subscribable .ics feed.",
        version="0.1.0",
        lifespan=lifespan,
        docs_url=None,  # served by api.web.pages from our own files (works offline)
        redoc_url=None,
    )
    if settings is not None:
        app.dependency_overrides[get_settings] = lambda: settings
    routers = (
        plans.router,
        busy.router,
        calendar.router,
        busy_check.router,
        whatif.router,
        roadmaps.router,
        feeds.router,
    )
    for router in (*routers, health.router):
        app.include_router(router)
    pages.install(app)
    add_error_handlers(app)
    app.add_middleware(BodyLimitAndLog, settings=settings)
    return app


async def _refresh_busy_calendars(
    engine: Engine, settings: Settings, capacity: WorkerCapacity
) -> None:
    """The schedule: every few seconds, fetch the busy calendars that are due, push the
    plans that re-planned to their own CalDAV calendars, and read back the CalDAV
    calendars that are due (in a thread: fetching and re-planning block; re-plans take
    their turn at the gate)."""

    def replanning() -> Replanning:
        return Replanning(capacity.solves, solve_limits(settings))

    def on_the_pool(fetch: Callable[[], Fetched]) -> Fetched:
        # The pool of busy fetches, as one client: a hanging server holds one thread.
        return capacity.busy_fetches.run("schedule", fetch)

    def push(plan_id: str) -> None:
        with Session(engine, expire_on_commit=False) as session:
            if (record := session.get(PlanRecord, plan_id)) is not None:
                push_plan(session, record, settings, on_the_pool)

    while True:
        await asyncio.sleep(settings.busy_refresh_check_seconds)
        try:
            await asyncio.to_thread(refresh_due, engine, settings, replanning, on_replanned=push)
        except Exception as error:  # the schedule must outlive one bad round
            log.error(json.dumps({"event": "busy_refresh_failed", "error": type(error).__name__}))
        if settings.caldav_sync_minutes <= 0:
            continue
        try:
            await asyncio.to_thread(sync_due, engine, settings, replanning, on_the_pool)
        except Exception as error:
            log.error(json.dumps({"event": "caldav_sync_failed", "error": type(error).__name__}))


def public_url_warning(public_url: str) -> str | None:
    """The operator's note when feed links are not https (None when they are): it
    belongs in the log at start, not on the learner's subscribe page."""
    if public_url.startswith("https://"):
        return None
    return (
        f"feed links are built on {public_url}, which is not https: Apple Calendar and "
        "Thunderbird subscribe to them (on this network), Google Calendar and Outlook "
        "cannot (they read only public https addresses); set PLANNER_PUBLIC_URL to the "
        "https address this service is reached at (behind a TLS proxy)"
    )


@cache
def _settle_the_heap() -> None:
    """Load what every request needs, then move it all out of the garbage collector's
    sight (gc.freeze), once per process: the planner, OR-Tools, SQLAlchemy and FastAPI
    leave hundreds of thousands of objects that every full collection would walk again
    — 100-700 ms with the whole process stopped, a spike in every feed's and /health's
    latency."""
    bundled_roadmaps()
    gc.collect()
    gc.freeze()


def _redacted(url: str) -> str:
    return make_url(url).render_as_string(hide_password=True)
