"""The HTTP API through a real uvicorn server and httpx, as a calendar app meets it: the
feed's conditional GET, HEAD, its bytes against the command line's, rotation, and logs
that never carry a secret."""

from __future__ import annotations

import json
import secrets
import subprocess
import sys
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime, parsedate_to_datetime
from pathlib import Path
from typing import Any

import httpx
import pytest

from planner.inputs.loading import load_plan
from planner.models.plan import Plan
from tests.api.owned_plans import create, feed_path, owner

NO_SUCH_FEED = {"detail": "no such feed"}


@pytest.fixture(scope="module")
def client(live_server: Any) -> Iterator[httpx.Client]:
    # Uncompressed, to compare bytes and lengths (gzip: tests/api/test_feeds.py).
    headers = {"Accept-Encoding": "identity"}
    with httpx.Client(base_url=live_server.base_url, timeout=60, headers=headers) as http:
        yield http


def feed_token(created: dict[str, Any]) -> str:
    return feed_path(created).removeprefix("/feeds/").removesuffix(".ics")


@pytest.fixture(scope="module")
def created(client: httpx.Client, example_profile: dict[str, Any]) -> dict[str, Any]:
    """One plan of the example profile, left unchanged by the tests that read it."""
    return create(client, example_profile)


@pytest.fixture(scope="module")
def feed(client: httpx.Client, created: dict[str, Any]) -> httpx.Response:
    response = client.get(feed_path(created))
    assert response.status_code == 200, response.text
    return response


def run_planner(*arguments: str, cwd: Path) -> None:
    """`planner ...` as a learner runs it: a process of its own."""
    command = [sys.executable, "-m", "planner", *arguments]
    result = subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr


def test_the_feed_is_a_calendar_with_validators(feed: httpx.Response) -> None:
    assert feed.headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert feed.headers["ETag"].startswith('"') and feed.headers["ETag"].endswith('"')
    assert parsedate_to_datetime(feed.headers["Last-Modified"]).tzinfo is not None
    assert feed.headers["Content-Length"] == str(len(feed.content))
    assert feed.content.startswith(b"BEGIN:VCALENDAR\r\n")


def test_if_none_match_with_the_etag_is_304_without_a_body(
    client: httpx.Client, created: dict[str, Any], feed: httpx.Response
) -> None:
    etag = feed.headers["ETag"]
    response = client.get(feed_path(created), headers={"If-None-Match": etag})
    assert response.status_code == 304
    assert response.content == b""
    assert response.headers["ETag"] == etag
    weak_in_a_list = client.get(feed_path(created), headers={"If-None-Match": f'"x", W/{etag}'})
    assert weak_in_a_list.status_code == 304
    other = client.get(feed_path(created), headers={"If-None-Match": '"something-else"'})
    assert other.status_code == 200 and other.content == feed.content


def test_if_modified_since(
    client: httpx.Client, created: dict[str, Any], feed: httpx.Response
) -> None:
    last_modified = feed.headers["Last-Modified"]
    same = client.get(feed_path(created), headers={"If-Modified-Since": last_modified})
    assert same.status_code == 304 and same.content == b""
    assert same.headers["ETag"] == feed.headers["ETag"]
    earlier = parsedate_to_datetime(last_modified) - timedelta(seconds=1)
    older = client.get(
        feed_path(created), headers={"If-Modified-Since": format_datetime(earlier, usegmt=True)}
    )
    assert older.status_code == 200 and older.content == feed.content


def test_if_none_match_wins_over_if_modified_since(
    client: httpx.Client, created: dict[str, Any], feed: httpx.Response
) -> None:
    # RFC 9110 13.2.2: a recipient that sees If-None-Match ignores If-Modified-Since.
    headers = {"If-None-Match": '"other"', "If-Modified-Since": feed.headers["Last-Modified"]}
    assert client.get(feed_path(created), headers=headers).status_code == 200


def test_head_gives_the_headers_of_get_without_the_body(
    client: httpx.Client, created: dict[str, Any], feed: httpx.Response
) -> None:
    response = client.head(feed_path(created))
    assert response.status_code == 200
    assert response.content == b""
    assert response.headers["Content-Length"] == feed.headers["Content-Length"]
    assert response.headers["ETag"] == feed.headers["ETag"]
    assert response.headers["Content-Type"] == feed.headers["Content-Type"]


def test_a_get_without_accept_header_is_served(
    client: httpx.Client, created: dict[str, Any], feed: httpx.Response
) -> None:
    # Google Calendar's fetcher sends no Accept header at all.
    request = client.build_request("GET", feed_path(created))
    del request.headers["Accept"]
    response = client.send(request)
    assert "accept" not in response.request.headers
    assert response.status_code == 200
    assert response.content == feed.content


def test_the_feed_is_byte_for_byte_what_the_command_line_writes(
    created: dict[str, Any], feed: httpx.Response, tmp_path: Path
) -> None:
    # The same profile planned by `planner plan` (the API plans with today's date too),
    # with the service's plan id (the service's plans take their own id as identity).
    run_planner(
        "plan", "--json", "plan.json", "--ics", "plan.ics", "--plan-id", created["id"],
        cwd=tmp_path,
    )  # fmt: skip
    assert (tmp_path / "plan.ics").read_bytes() == feed.content
    assert load_plan(tmp_path / "plan.json") == Plan.model_validate(created["plan"])
    # The plan the API answered, published as a file by `planner publish`.
    (tmp_path / "api-plan.json").write_text(json.dumps(created["plan"]), encoding="utf-8")
    run_planner("publish", "--plan", "api-plan.json", "--dir", "site", cwd=tmp_path)
    [published] = (tmp_path / "site").glob("*.ics")
    assert published.read_bytes() == feed.content


def test_icaljs_reads_the_instants_of_the_plan(
    created: dict[str, Any],
    feed: httpx.Response,
    tmp_path: Path,
    read_with_icaljs: Callable[[Path], list[dict[str, Any]]],
) -> None:
    path = tmp_path / "feed.ics"
    path.write_bytes(feed.content)
    read = {
        event["uid"]: (event["start_utc"], event["end_utc"]) for event in read_with_icaljs(path)
    }

    def utc(text: str) -> str:
        return datetime.fromisoformat(text).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")

    planned = {s["uid"]: (utc(s["start"]), utc(s["end"])) for s in created["plan"]["sessions"]}
    assert len(planned) == len(created["plan"]["sessions"]) > 0
    assert read == planned


def test_rotation_kills_the_old_url_at_once(
    client: httpx.Client, example_profile: dict[str, Any]
) -> None:
    plan = create(client, example_profile)
    assert client.get(feed_path(plan)).status_code == 200
    rotated = client.post(f"/plans/{plan['id']}/feed/rotate", headers=owner(plan))
    assert rotated.status_code == 200, rotated.text
    assert feed_token(rotated.json()) != feed_token(plan)
    old = client.get(feed_path(plan))
    assert old.status_code == 404 and old.json() == NO_SUCH_FEED
    assert client.head(feed_path(plan)).status_code == 404
    new = client.get(feed_path(rotated.json()))
    assert new.status_code == 200 and new.content.startswith(b"BEGIN:VCALENDAR")
    read = client.get(f"/plans/{plan['id']}", headers=owner(plan))
    assert read.json()["feed"] == rotated.json()["feed"]


def test_a_wrong_token_looks_like_one_never_issued(
    client: httpx.Client, created: dict[str, Any]
) -> None:
    token = feed_token(created)
    one_character_off = token[:-1] + ("A" if token[-1] != "A" else "B")
    wrong = client.get(f"/feeds/{one_character_off}.ics")
    never_issued = client.get(f"/feeds/{secrets.token_urlsafe(32)}.ics")
    assert wrong.status_code == never_issued.status_code == 404
    assert wrong.content == never_issued.content
    assert wrong.json() == NO_SUCH_FEED


def test_the_log_names_the_route_never_a_token(
    client: httpx.Client,
    created: dict[str, Any],
    live_server: Any,
    example_profile: dict[str, Any],
) -> None:
    # Traffic of its own, so this test does not depend on the others having run.
    plan = create(client, example_profile)
    assert client.get(feed_path(plan)).status_code == 200
    rotated = client.post(f"/plans/{plan['id']}/feed/rotate", headers=owner(plan)).json()
    assert client.get(feed_path(plan)).status_code == 404
    assert client.get(feed_path(rotated)).status_code == 200
    assert client.get(f"/plans/{plan['id']}", headers=owner(plan)).status_code == 200

    messages = [record.getMessage() for record in live_server.log_records]
    secrets_seen = [
        secret
        for item in (created, plan, rotated)
        for secret in (item.get("owner_token"), feed_token(item))
        if secret is not None
    ]
    assert len(secrets_seen) == 5  # two owner tokens, three feed tokens
    for secret in secrets_seen:
        assert not [message for message in messages if secret in message]
    routes = [json.loads(message).get("route") for message in messages]
    assert "/feeds/{feed_token}.ics" in routes
    assert "/plans/{plan_id}/feed/rotate" in routes
