"""Every error the API answers, in one place: what each exception becomes on the wire.
Routes raise HTTPException for plain refusals (404, 412); the exceptions below come from
the layers under the routes and are mapped here. Every answer is JSON with a `detail`."""

from __future__ import annotations

import json
import logging
import math
import re
import secrets
from typing import Any

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exception_handlers import http_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from sqlalchemy.exc import DBAPIError
from starlette.exceptions import HTTPException

from api.busy import BusyFieldError
from api.calendar_target import CalendarFieldError
from api.capacity import ServiceBusyError
from api.credentials import NoSecretKeyError
from api.planning_process import PlanningFailedError, SolveCrashedError, SolveTimeoutError
from api.repository import StaleVersionError
from api.storage import DatabaseFileGoneError, storage_problem
from planner.errors import PlannerError

log = logging.getLogger("planner.api")
NOT_FOUND = "no such plan, or not your token"


def add_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(RequestValidationError)
    async def invalid(_request: Request, error: RequestValidationError) -> JSONResponse:
        # FastAPI's own answer, except that what JSON cannot hold is echoed as text: a
        # number (1e400 reads as inf) or a lone surrogate ("\ud800" in a JSON string).
        # The answer would not serialise (a 500).
        return JSONResponse(
            status_code=422, content={"detail": _jsonable(jsonable_encoder(error.errors()))}
        )

    @app.exception_handler(HTTPException)
    async def http_refusal(request: Request, error: HTTPException) -> Response:
        if error.status_code == 400:
            # FastAPI's 400 for a body it cannot decode (not UTF-8, say): answered as it
            # answers a body that is not JSON, a 422 in the shape every route documents.
            unreadable = {"loc": ["body"], "msg": str(error.detail), "type": "json_invalid"}
            return JSONResponse(status_code=422, content={"detail": [unreadable]})
        if error.status_code == 405 and (documented := _documented_methods(app, request)):
            # Starlette's Allow names the methods of the first route on the path only
            # (GET /plans/{id}, not its DELETE): every operation on the path counts.
            allow = {"Allow": ", ".join(documented)}
            error = HTTPException(405, error.detail, headers={**(error.headers or {}), **allow})
        return await http_exception_handler(request, error)

    @app.exception_handler(PlannerError)
    async def planner_refused(_request: Request, error: PlannerError) -> JSONResponse:
        # The shape FastAPI documents for every 422, so one client code reads both.
        # A busy calendar that cannot be read, a calendar account refused on connecting:
        # named by their place in the request.
        fielded = error if isinstance(error, BusyFieldError | CalendarFieldError) else None
        loc = ["body", *(fielded.loc if fielded is not None else ())]
        refusal = {"loc": loc, "msg": _jsonable(str(error)), "type": "planner_refused"}
        return JSONResponse(status_code=422, content={"detail": [refusal]})

    @app.exception_handler(StaleVersionError)
    async def stale(_request: Request, _error: StaleVersionError) -> JSONResponse:
        detail = "the plan changed while this request ran; read it again and retry"
        return JSONResponse(status_code=409, content={"detail": detail})

    @app.exception_handler(SolveTimeoutError)
    async def timeout(_request: Request, error: SolveTimeoutError) -> JSONResponse:
        return JSONResponse(status_code=503, content={"detail": str(error)})

    @app.exception_handler(ServiceBusyError)
    async def busy(_request: Request, error: ServiceBusyError) -> JSONResponse:
        headers = {"Retry-After": str(error.retry_after_seconds)}
        return JSONResponse(status_code=503, content={"detail": str(error)}, headers=headers)

    @app.exception_handler(NoSecretKeyError)
    async def no_key(_request: Request, error: NoSecretKeyError) -> JSONResponse:
        return JSONResponse(status_code=503, content={"detail": str(error)})

    @app.exception_handler(SolveCrashedError)
    async def crashed(_request: Request, error: SolveCrashedError) -> JSONResponse:
        error_id = _logged({"event": "solve_crashed", "reason": str(error)})
        detail = (
            "planning stopped before it finished, most likely at this service's memory "
            f"limit for a plan ({error.memory_mb} MB; fewer windows or longer sessions need "
            f"less); nothing was stored (error id {error_id})"
        )
        return JSONResponse(status_code=500, content={"detail": detail, "error_id": error_id})

    @app.exception_handler(PlanningFailedError)
    async def planning_failed(_request: Request, error: PlanningFailedError) -> JSONResponse:
        # A bug of ours (a plan that breaks a rule, an exception): not the learner's input.
        failure = error.failure
        error_id = _logged({"event": "planning_failed", "error": failure.error_type,
                            "message": failure.message, "violations": failure.violations,
                            "traceback": failure.traceback})  # fmt: skip
        detail = (
            "the planner failed on this request: a bug on our side, not in what you sent; "
            f"nothing was stored (error id {error_id}, logged)"
        )
        return JSONResponse(status_code=500, content={"detail": detail, "error_id": error_id})

    async def storage(_request: Request, error: Exception) -> JSONResponse:
        problem = storage_problem(error)
        if problem is None:
            raise error
        entry = {"event": "storage", "status": problem.status_code, "detail": problem.detail}
        log.error(json.dumps(entry))
        return JSONResponse(status_code=problem.status_code, content={"detail": problem.detail})

    app.add_exception_handler(DBAPIError, storage)
    app.add_exception_handler(DatabaseFileGoneError, storage)

    @app.exception_handler(Exception)
    async def bug(_request: Request, error: Exception) -> JSONResponse:
        # A bug: the traceback goes to the log, the client gets JSON like every answer.
        error_id = secrets.token_hex(6)
        log.exception(json.dumps({"event": "error", "error_id": error_id,
                                  "error": type(error).__name__}))  # fmt: skip
        detail = f"internal error (error id {error_id}, logged)"
        return JSONResponse(status_code=500, content={"detail": detail, "error_id": error_id})


def _documented_methods(app: FastAPI, request: Request) -> list[str]:
    """The methods the OpenAPI schema documents for the request's path (sorted; none: not
    a path of the API)."""
    path = request.scope["path"]
    for template, operations in app.openapi()["paths"].items():
        parts = re.split(r"(\{[^}]+\})", template)
        pattern = "".join("[^/]+" if part.startswith("{") else re.escape(part) for part in parts)
        if re.fullmatch(pattern, path):
            return sorted(method.upper() for method in operations)
    return []


def _logged(entry: dict[str, Any]) -> str:
    """Log `entry` as an error under a new error id (the answer quotes it); the id."""
    error_id = secrets.token_hex(6)
    log.error(json.dumps({**entry, "error_id": error_id}))
    return error_id


def _jsonable(value: Any) -> Any:
    """`value` with every float JSON cannot hold (inf, nan) as its text, and every string
    that UTF-8 cannot encode (a lone surrogate) with the surrogate escaped."""
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    if isinstance(value, str):
        return value.encode("utf-8", "backslashreplace").decode("utf-8")
    if isinstance(value, dict):
        return {_jsonable(key): _jsonable(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(item) for item in value]
    return value
