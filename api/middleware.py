"""ASGI middleware of the service: body size limit and one JSON log line per request."""

from __future__ import annotations

import json
import logging
import os
import time

from fastapi.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.settings import Settings, get_settings

log = logging.getLogger("planner.api")


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
                "worker": os.getpid(),  # which of `planner serve --workers N`
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
