"""The FastAPI app: `create_app()` builds it (nothing happens at import time)."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from sqlalchemy import Engine, make_url
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.busy import refresh_due
from api.database import make_engine, migrate
from api.repository import StaleVersionError
from api.routes import busy, feeds, health, plans, roadmaps, whatif
from api.settings import Settings, get_settings
from api.solving import SolveTimeoutError
from api.web import pages
from planner.errors import PlannerError

log = logging.getLogger("planner.api")


def create_app(settings: Settings | None = None) -> FastAPI:
    """The service: plans, progress, re-plans and the .ics feeds, on the settings'
    database (migrated to the latest schema when the app starts)."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        active = settings or get_settings()
        app.state.engine = make_engine(active)
        migrate(app.state.engine)
        log.info(json.dumps({"event": "started", "database": _redacted(active.sqlalchemy_url)}))
        refreshing = None
        if active.busy_refresh_check_seconds > 0:
            refreshing = asyncio.create_task(_refresh_busy_calendars(app.state.engine, active))
        yield
        if refreshing is not None:
            refreshing.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await refreshing
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
    routers = (plans.router, busy.router, whatif.router, roadmaps.router, feeds.router)
    for router in (*routers, health.router):
        app.include_router(router)
    pages.install(app)
    _add_error_handlers(app)
    app.add_middleware(BodyLimitAndLog, settings=settings)
    return app


async def _refresh_busy_calendars(engine: Engine, settings: Settings) -> None:
    """The schedule: every few seconds, fetch the busy calendars that are due (in a
    thread: fetching and re-planning block)."""
    while True:
        await asyncio.sleep(settings.busy_refresh_check_seconds)
        try:
            await asyncio.to_thread(refresh_due, engine, settings)
        except Exception as error:  # the schedule must outlive one bad round
            log.error(json.dumps({"event": "busy_refresh_failed", "error": type(error).__name__}))


def _add_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(PlannerError)
    async def planner_error(_request: Request, error: PlannerError) -> JSONResponse:
        # The shape FastAPI documents for every 422, so one client code reads both.
        refusal = {"loc": ["body"], "msg": str(error), "type": "planner_refused"}
        return JSONResponse(status_code=422, content={"detail": [refusal]})

    @app.exception_handler(StaleVersionError)
    async def stale(_request: Request, _error: StaleVersionError) -> JSONResponse:
        detail = "the plan changed while this request ran; read it again and retry"
        return JSONResponse(status_code=409, content={"detail": detail})

    @app.exception_handler(SolveTimeoutError)
    async def timeout(_request: Request, error: SolveTimeoutError) -> JSONResponse:
        return JSONResponse(status_code=503, content={"detail": str(error)})


class BodyLimitAndLog:
    """ASGI middleware (plain, not BaseHTTPMiddleware: it sits on every feed request):
    refuses bodies over the limit, and logs one JSON line per request with the route's
    template — never the raw path, which for feeds carries a secret token."""

    def __init__(self, app: ASGIApp, settings: Settings | None) -> None:
        self.app = app
        self.settings = settings

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = (self.settings or get_settings()).max_body_bytes
        detail = f"the request body is over the limit of {limit} bytes"
        too_large = JSONResponse(status_code=413, content={"detail": detail})
        declared = dict(scope["headers"]).get(b"content-length", b"0")
        if not declared.isdigit() or int(declared) > limit:
            await too_large(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500
        if scope["method"] in {"POST", "PUT", "PATCH"} and b"content-length" not in dict(
            scope["headers"]
        ):
            # A chunked body says nothing of its size: read it (up to the limit) first.
            buffered = await _read_body(receive, limit)
            if buffered is None:
                await too_large(scope, receive, send)
                return
            receive = _replay(buffered)

        async def send_and_remember(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_and_remember)
        finally:
            entry = {
                "event": "request",
                "method": scope["method"],
                "route": getattr(scope.get("route"), "path_format", "unmatched"),
                "status": status,
                "ms": round((time.perf_counter() - started) * 1000, 1),
            }
            log.info(json.dumps(entry))


async def _read_body(receive: Receive, limit: int) -> list[Message] | None:
    """The request's body messages, or None once they pass `limit` bytes."""
    messages, size = [], 0
    while True:
        message = await receive()
        messages.append(message)
        size += len(message.get("body", b""))
        if size > limit:
            return None
        if message["type"] != "http.request" or not message.get("more_body", False):
            return messages


def _replay(messages: list[Message]) -> Receive:
    pending = list(messages)

    async def receive() -> Message:
        # After the body, the app only hears of a disconnect, as from the server.
        return pending.pop(0) if pending else {"type": "http.disconnect"}

    return receive


def _redacted(url: str) -> str:
    return make_url(url).render_as_string(hide_password=True)
