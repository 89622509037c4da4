"""HTTP helpers the routes share: entity tags and conditional requests (RFC 9110),
content coding, and a JSON body reader that refuses what JSON does not allow."""

from __future__ import annotations

import json
from collections.abc import Callable, Coroutine
from datetime import UTC, datetime
from email.utils import format_datetime, parsedate_to_datetime
from typing import Any

from fastapi import HTTPException, Request, Response, status
from fastapi.routing import APIRoute


def entity_tags(header: str) -> set[str]:
    """The entity tags of an If-Match / If-None-Match list, weak ones as strong
    (`W/"a", "b"` -> {'"a"', '"b"'}): both headers compare weakly for our purposes."""
    return {tag.strip().removeprefix("W/") for tag in header.split(",")}


def none_match(if_none_match: str, etag: str) -> bool:
    """Whether If-None-Match names the current representation (then: 304)."""
    tags = entity_tags(if_none_match)
    return "*" in tags or etag.removeprefix("W/") in tags


def check_if_match(if_match: str | None, etag: str, what: str = "the plan") -> None:
    """Refuse a write made from a version the caller no longer has (412)."""
    if if_match is None:
        return
    tags = entity_tags(if_match)
    if "*" not in tags and etag not in tags:
        raise HTTPException(
            status_code=status.HTTP_412_PRECONDITION_FAILED,
            detail=f"{what} changed: it is at {etag}, you sent {if_match}",
        )


def http_date(moment: datetime) -> str:
    return format_datetime(moment.astimezone(UTC), usegmt=True)


def parse_http_date(text: str) -> datetime | None:
    """An HTTP date, or None if it is not one (garbage, or a year no datetime holds)."""
    try:
        parsed = parsedate_to_datetime(text)
    except (TypeError, ValueError, OverflowError, IndexError):
        return None
    return parsed if parsed.tzinfo is not None else None


def not_modified(
    etag: str, modified: datetime, if_none_match: str | None, if_modified_since: str | None
) -> bool:
    """Whether a GET may answer 304. RFC 9110 13.2.2: If-None-Match, when sent, decides
    alone; If-Modified-Since compares whole seconds (the resolution of HTTP dates)."""
    if if_none_match is not None:
        return none_match(if_none_match, etag)
    if if_modified_since is None:
        return False
    since = parse_http_date(if_modified_since)
    return since is not None and modified.replace(microsecond=0) <= since


def accepts_gzip(accept_encoding: str | None) -> bool:
    """Whether Accept-Encoding allows gzip (`gzip`, `x-gzip` or `*`, with q > 0)."""
    if not accept_encoding:
        return False
    quality = {}
    for item in accept_encoding.lower().split(","):
        coding, _, parameters = item.strip().partition(";")
        weight = 1.0
        name, _, value = parameters.strip().partition("=")
        if name.strip() == "q":
            try:
                weight = float(value)
            except ValueError:
                weight = 0.0
        quality[coding.strip()] = weight
    weight = quality.get("gzip", quality.get("x-gzip", quality.get("*", 0.0)))
    return weight > 0


class _RefusingNonFiniteNumbers(Request):
    async def json(self) -> Any:
        if not hasattr(self, "_json"):
            self._json = json.loads(await self.body(), parse_constant=_refuse_constant)
        return self._json


def _refuse_constant(name: str) -> Any:
    # Python's json reads NaN and Infinity; JSON (RFC 8259) has no such numbers, and a
    # NaN pace or hour count must be a 422, not a number that breaks the arithmetic.
    raise json.JSONDecodeError(f"{name} is not a JSON number", name, 0)


class StrictJSONRoute(APIRoute):
    """A route whose JSON body may not hold NaN, Infinity or -Infinity (422 json_invalid)."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handle = super().get_route_handler()

        async def strict(request: Request) -> Response:
            return await handle(_RefusingNonFiniteNumbers(request.scope, request.receive))

        return strict
