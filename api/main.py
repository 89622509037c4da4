"""The FastAPI app: `create_app()` builds it (nothing happens at import time)."""

from __future__ import annotations

import json
import logging
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.database import make_engine, migrate
from api.repository import StaleVersionError
from api.routes import feeds, health, plans
from api.settings import Settings, get_settings
from api.solving import SolveTimeoutError
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
        yield
        app.state.engine.dispose()

    app = FastAPI(
        title="Roadmap Planner",
        summary="Study plans from learning roadmaps, with a subscribable .ics feed.",
        version="0.1.0",
        lifespan=lifespan,
    )
    if settings is not None:
        app.dependency_overrides[get_settings] = lambda: settings
    for router in (plans.router, feeds.router, health.router):
        app.include_router(router)
    _add_error_handlers(app)
    app.add_middleware(BodyLimitAndLog, settings=settings)
    return app


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
        declared = dict(scope["headers"]).get(b"content-length", b"0")
        if not declared.isdigit() or int(declared) > limit:
            detail = f"the request body is over the limit of {limit} bytes"
            await JSONResponse(status_code=413, content={"detail": detail})(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500

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


def _redacted(url: str) -> str:
    scheme, _, rest = url.partition("://")
    return f"{scheme}://…@{rest.split('@', 1)[1]}" if "@" in rest else url
