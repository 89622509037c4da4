"""/feeds/{token}.ics: the calendar a calendar app subscribes to (no login: the token in
the URL is the secret). Conditional GET (ETag, Last-Modified) saves the polling clients
and us the body when nothing changed."""

from __future__ import annotations

from datetime import UTC
from email.utils import format_datetime, parsedate_to_datetime
from typing import Annotated

from fastapi import APIRouter, Header, HTTPException, Path, Request, Response

from api import repository
from api.deps import SessionDep
from api.schemas import Problem

router = APIRouter(tags=["feeds"])
CALENDAR = "text/calendar; charset=utf-8"


def feed(
    request: Request,
    session: SessionDep,
    feed_token: Annotated[str, Path(max_length=100)],
    if_none_match: Annotated[str | None, Header()] = None,
    if_modified_since: Annotated[str | None, Header()] = None,
) -> Response:
    """The plan's calendar, exactly as `planner plan` would write it."""
    record = repository.find_plan_by_feed_token(session, feed_token=feed_token)
    if record is None:
        raise HTTPException(status_code=404, detail="no such feed")
    modified = record.updated_at.replace(tzinfo=UTC)
    headers = {
        "ETag": record.calendar_etag,
        "Last-Modified": format_datetime(modified, usegmt=True),
        "Cache-Control": "private, max-age=300",
    }
    if _not_modified(record.calendar_etag, modified, if_none_match, if_modified_since):
        return Response(status_code=304, headers=headers)
    body = b"" if request.method == "HEAD" else record.calendar
    headers["Content-Length"] = str(len(record.calendar))
    return Response(content=body, media_type=CALENDAR, headers=headers)


def _not_modified(
    etag: str, modified: object, if_none_match: str | None, if_modified_since: str | None
) -> bool:
    """RFC 9110: If-None-Match wins over If-Modified-Since when both are sent."""
    if if_none_match is not None:
        candidates = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
        return "*" in candidates or etag in candidates
    if if_modified_since is not None:
        try:
            since = parsedate_to_datetime(if_modified_since)
        except (TypeError, ValueError):
            return False
        return since.tzinfo is not None and modified <= since  # type: ignore[operator]
    return False


for method in ("GET", "HEAD"):  # one operation each, so the OpenAPI ids stay unique
    router.add_api_route(
        "/feeds/{feed_token}.ics",
        feed,
        methods=[method],
        operation_id=f"{method.lower()}_feed",
        response_class=Response,
        responses={
            200: {"content": {"text/calendar": {}}},
            304: {"description": "Not modified"},
            404: {"model": Problem},
        },
    )
