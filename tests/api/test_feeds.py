"""The feed as a subscribed calendar client sees it, on both backends: validators tied to
the calendar's bytes, gzip when asked, calendar-level properties that a re-plan leaves
alone, and a per-worker cache that never serves a calendar another worker replaced."""

from __future__ import annotations

import gzip
from collections.abc import Iterator
from email.utils import parsedate_to_datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient
from icalendar import Calendar

from api.settings import Settings
from tests.api.owned_plans import create, feed_path, owner
from tests.serving import service_app

IDENTITY = {"Accept-Encoding": "identity"}
GZIP = {"Accept-Encoding": "gzip"}


def test_if_modified_since_out_of_any_calendar_is_ignored(
    api_client: Any, example_profile: dict[str, Any]
) -> None:
    """parsedate_to_datetime overflowed on a 20-digit year: 500."""
    created = create(api_client, example_profile)
    for date in ("Mon, 01 Jan 99999999999999999999 00:00:00 GMT", "yesterday", "Mon, 99"):
        response = api_client.get(feed_path(created), headers={"If-Modified-Since": date})
        assert response.status_code == 200, date


def test_last_modified_moves_with_the_calendar_bytes_only(
    api_client: Any, example_profile: dict[str, Any]
) -> None:
    """A re-plan that changes nothing and a token rotation moved Last-Modified, so a
    client polling with If-Modified-Since downloaded an unchanged calendar again."""
    created = create(api_client, example_profile)
    replan = f"/plans/{created['id']}/replan"
    assert api_client.post(replan, headers=owner(created), json={"as_of": "2027-01-18"}).is_success
    path = feed_path(created)
    first = api_client.get(path)
    same = {"as_of": "2027-01-18"}  # the same progress from the same day: the same plan
    again = api_client.post(replan, headers=owner(created), json=same)
    assert again.status_code == 200 and again.json()["version"] == 3
    rotated = api_client.post(f"/plans/{created['id']}/feed/rotate", headers=owner(created))
    assert rotated.status_code == 200
    path = feed_path(rotated.json())
    second = api_client.get(path)
    assert second.content == first.content
    assert second.headers["ETag"] == first.headers["ETag"]
    assert second.headers["Last-Modified"] == first.headers["Last-Modified"]
    unchanged = api_client.get(path, headers={"If-Modified-Since": first.headers["Last-Modified"]})
    assert unchanged.status_code == 304
    moved = api_client.post(replan, headers=owner(created), json={"as_of": "2027-01-25"})
    assert moved.status_code == 200
    third = api_client.get(path)
    assert third.headers["ETag"] != first.headers["ETag"]
    assert parsedate_to_datetime(third.headers["Last-Modified"]) > parsedate_to_datetime(
        first.headers["Last-Modified"]
    )


def test_gzip_when_the_client_asks(api_client: Any, example_profile: dict[str, Any]) -> None:
    created = create(api_client, example_profile)
    plain = api_client.get(feed_path(created), headers=IDENTITY)
    assert "Content-Encoding" not in plain.headers
    assert plain.headers["Vary"] == "Accept-Encoding"
    # TestClient (httpx) would decompress: read the raw bytes off the stream.
    with api_client.stream("GET", feed_path(created), headers=GZIP) as compressed:
        raw = b"".join(compressed.iter_raw())
    assert compressed.headers["Content-Encoding"] == "gzip"
    assert compressed.headers["Content-Length"] == str(len(raw))
    assert gzip.decompress(raw) == plain.content
    assert len(raw) * 5 < len(plain.content)
    # The compressed body is another representation of the same calendar: a weak ETag,
    # and either ETag answers 304 whatever the encoding asked for.
    assert compressed.headers["ETag"] == "W/" + plain.headers["ETag"]
    for etag in (plain.headers["ETag"], compressed.headers["ETag"]):
        for accept in (IDENTITY, GZIP):
            again = api_client.get(feed_path(created), headers={**accept, "If-None-Match": etag})
            assert again.status_code == 304
    refused = api_client.get(feed_path(created), headers={"Accept-Encoding": "gzip;q=0"})
    assert "Content-Encoding" not in refused.headers


def test_a_replan_leaves_the_calendar_level_properties_alone(
    api_client: Any, example_profile: dict[str, Any]
) -> None:
    """The calendar's DESCRIPTION counted sessions and hours and named the finish: every
    re-plan changed it, and a client that hashes whole items (vdirsyncer: each event
    with the calendar's properties and time zones) rewrote every event."""
    created = create(api_client, example_profile)
    before = Calendar.from_ical(api_client.get(feed_path(created)).content)
    missed = {"as_of": "2027-02-01", "missed": [{"from": "2027-01-11", "to": "2027-01-31"}]}
    api_client.post(f"/plans/{created['id']}/progress", headers=owner(created), json=missed)
    replanned = api_client.post(f"/plans/{created['id']}/replan", headers=owner(created))
    assert replanned.json()["changes"]["days_later"] > 0
    after = Calendar.from_ical(api_client.get(feed_path(created)).content)
    assert dict(after.items()) == dict(before.items())
    assert [tz.to_ical() for tz in after.walk("VTIMEZONE")] == [
        tz.to_ical() for tz in before.walk("VTIMEZONE")
    ]


@pytest.fixture
def two_workers(api_settings: Settings) -> Iterator[tuple[TestClient, TestClient]]:
    """Two instances of the service on one database, as `planner serve --workers 2`
    runs them: each has its own feed cache."""
    with (
        TestClient(service_app(api_settings)) as first,
        TestClient(service_app(api_settings)) as second,
    ):
        yield first, second


def test_a_worker_never_serves_a_calendar_another_worker_replaced(
    two_workers: tuple[TestClient, TestClient], example_profile: dict[str, Any]
) -> None:
    first, second = two_workers
    created = create(first, example_profile)
    path = feed_path(created)
    for worker in (first, second):  # both caches hold the calendar now
        for accept in (IDENTITY, GZIP):
            assert worker.get(path, headers=accept).status_code == 200
    cached = second.get(path, headers=IDENTITY)
    replanned = first.post(
        f"/plans/{created['id']}/replan", headers=owner(created), json={"as_of": "2027-01-25"}
    )
    assert replanned.status_code == 200
    for accept in (IDENTITY, GZIP):
        served = second.get(path, headers=accept)
        assert served.headers["ETag"].removeprefix("W/") != cached.headers["ETag"]
        assert served.content == first.get(path, headers=IDENTITY).content != cached.content
    stale = second.get(path, headers={"If-None-Match": cached.headers["ETag"]})
    assert stale.status_code == 200
