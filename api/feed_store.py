"""Feeds as the routes read them: the validators from the database on every request,
the body from a per-worker memory cache when the cache holds that very version.

Every request asks the database for the calendar's current ETag (one indexed row), so a
re-plan written by another worker process is served at once: the cache is keyed by the
ETag it holds and never answers for another. It only saves reading and decompressing
the body, and is bounded by bytes (least recently used entries leave first).
"""

from __future__ import annotations

import gzip
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import Engine

from api import repository
from api.repository import StoredFeed

_RETRIES = 3  # reads raced by a write this often in a row: give up (500)


@dataclass(frozen=True)
class CachedCalendar:
    etag: str
    gzip: bytes
    identity: bytes | None  # decompressed when a client first asks without gzip

    @property
    def size(self) -> int:
        return len(self.gzip) + len(self.identity or b"")


@dataclass(frozen=True)
class FeedRead:
    stored: StoredFeed
    body: bytes | None  # None when the caller needed no body (a 304)


class FeedStore:
    def __init__(self, engine: Engine, cache_bytes: int) -> None:
        self._engine = engine
        self._cache_bytes = cache_bytes
        self._cache: OrderedDict[str, CachedCalendar] = OrderedDict()
        self._cached_bytes = 0
        self._lock = threading.Lock()

    def read(
        self, feed_token: str, *, needs_body: Callable[[StoredFeed], bool], gzipped: bool
    ) -> FeedRead | None:
        """The feed's current validators and, if `needs_body(validators)`, its calendar
        (gzip-compressed or not); None if there is no such feed."""
        for _ in range(_RETRIES):
            with self._engine.connect() as connection:
                stored = repository.find_feed(connection, feed_token=feed_token)
            if stored is None or not needs_body(stored):
                return None if stored is None else FeedRead(stored, None)
            body = self._body(stored, gzipped=gzipped)
            if body is not None:
                return FeedRead(stored, body)
            # Re-planned between the two reads: look again, and serve the newest.
        raise RuntimeError(f"the calendar of a feed changed {_RETRIES} times while read")

    def _body(self, stored: StoredFeed, *, gzipped: bool) -> bytes | None:
        cached = self._cached(stored)
        if cached is None:
            with self._engine.connect() as connection:
                body = repository.find_feed_calendar(
                    connection, plan_id=stored.plan_id, etag=stored.etag
                )
            if body is None:
                return None
            cached = CachedCalendar(stored.etag, body, None)
        if not gzipped and cached.identity is None:
            cached = CachedCalendar(cached.etag, cached.gzip, gzip.decompress(cached.gzip))
        self._keep(stored.plan_id, cached)
        return cached.gzip if gzipped else cached.identity

    def _cached(self, stored: StoredFeed) -> CachedCalendar | None:
        with self._lock:
            cached = self._cache.get(stored.plan_id)
            if cached is None or cached.etag != stored.etag:
                return None
            self._cache.move_to_end(stored.plan_id)
            return cached

    def _keep(self, plan_id: str, cached: CachedCalendar) -> None:
        if cached.size > self._cache_bytes:
            return
        with self._lock:
            previous = self._cache.pop(plan_id, None)
            self._cached_bytes -= previous.size if previous else 0
            self._cache[plan_id] = cached
            self._cached_bytes += cached.size
            while self._cached_bytes > self._cache_bytes:
                _, oldest = self._cache.popitem(last=False)
                self._cached_bytes -= oldest.size
