"""/feeds/{token}.ics: the calendar a calendar app subscribes to (no login: the token in
the URL is the secret). Conditional GET (ETag, Last-Modified) saves the polling clients
and us the body when nothing changed; gzip when the client asks for it.

The route is async and reads the database on the worker's feed threads, never on the
thread pool that requests waiting for a solve occupy."""

from __future__ import annotations

import asyncio
from typing import Annotated

from fastapi import APIRouter, HTTPException, Path, Request, Response

from api.feed_store import FeedStore
from api.http import accepts_gzip, http_date, not_modified
from api.repository import StoredFeed
from api.schemas import Problem

router = APIRouter(tags=["feeds"])
CALENDAR = "text/calendar; charset=utf-8"
CONDITIONAL_HEADERS = ("If-None-Match", "If-Modified-Since", "Accept-Encoding")


async def feed(request: Request, feed_token: Annotated[str, Path(max_length=100)]) -> Response:
    """The plan's calendar, exactly as `planner plan` would write it."""
    # Read from the request, not declared as parameters (they are documented below):
    # FastAPI's parameter handling costs more than the rest of a 304.
    if_none_match = request.headers.get("if-none-match")
    if_modified_since = request.headers.get("if-modified-since")
    gzipped = accepts_gzip(request.headers.get("accept-encoding"))
    store: FeedStore = request.app.state.feeds

    def needs_body(stored: StoredFeed) -> bool:
        return not not_modified(stored.etag, stored.modified_at, if_none_match, if_modified_since)

    read = await asyncio.get_running_loop().run_in_executor(
        request.app.state.capacity.feed_threads,
        lambda: store.read(feed_token, needs_body=needs_body, gzipped=gzipped),
    )
    if read is None:
        raise HTTPException(status_code=404, detail="no such feed")
    headers = {
        # The gzip body is another representation of the same calendar: a weak ETag.
        "ETag": f"W/{read.stored.etag}" if gzipped else read.stored.etag,
        "Last-Modified": http_date(read.stored.modified_at),
        "Cache-Control": "private, max-age=300",
        "Vary": "Accept-Encoding",
    }
    if read.body is None:
        return Response(status_code=304, headers=headers)
    if gzipped:
        headers["Content-Encoding"] = "gzip"
    headers["Content-Length"] = str(len(read.body))
    body = b"" if request.method == "HEAD" else read.body
    return Response(content=body, media_type=CALENDAR, headers=headers)


def _header(name: str) -> dict[str, object]:
    return {"name": name, "in": "header", "required": False, "schema": {"type": "string"}}


for method in ("GET", "HEAD"):  # one operation each, so the OpenAPI ids stay unique
    router.add_api_route(
        "/feeds/{feed_token}.ics",
        feed,
        methods=[method],
        operation_id=f"{method.lower()}_feed",
        response_class=Response,
        openapi_extra={"parameters": [_header(name) for name in CONDITIONAL_HEADERS]},
        responses={
            200: {"content": {"text/calendar": {}}},
            304: {"description": "Not modified"},
            404: {"model": Problem},
        },
    )
