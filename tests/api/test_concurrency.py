"""Writers racing on one plan through a real server: no write is lost, and of two
re-plans made from the same version exactly one wins."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import pytest
from sqlmodel import Session

from api import repository
from api.database import make_engine
from api.repository import StaleVersionError
from api.tables import PlanRecord
from tests.api.owned_plans import owner

TOPICS = ["1.1", "1.2", "2.4", "2.1", "2.2", "2.3", "3.1", "3.2"]
MAX_ATTEMPTS = 50


@pytest.fixture(scope="module")
def client(live_server: Any) -> Iterator[httpx.Client]:
    # One pool for all threads (httpx.Client is thread-safe), enough connections for each.
    limits = httpx.Limits(max_connections=len(TOPICS) * 2)
    with httpx.Client(base_url=live_server.base_url, timeout=60, limits=limits) as http:
        yield http


@pytest.fixture
def created(client: httpx.Client, example_profile: dict[str, Any]) -> dict[str, Any]:
    response = client.post("/plans", json={"profile": example_profile})
    assert response.status_code == 201, response.text
    return response.json()  # type: ignore[no-any-return]


@pytest.mark.parametrize("if_match", [False, True], ids=["blind", "if-match"])
def test_parallel_progress_writers_lose_nothing(
    client: httpx.Client, created: dict[str, Any], if_match: bool
) -> None:
    # Blind writers are refused only by the repository's version check (409); writers
    # that send the ETag they read (the documented way) also by If-Match (412).
    url = f"/plans/{created['id']}/progress"
    start_together = threading.Barrier(len(TOPICS))

    def report_done(topic: str) -> list[int]:
        """POST until the write lands; every status seen, in order."""
        start_together.wait(timeout=60)
        statuses = []
        for _ in range(MAX_ATTEMPTS):
            headers = owner(created)
            if if_match:
                read = client.get(f"/plans/{created['id']}", headers=headers)
                headers["If-Match"] = read.headers["ETag"]
            response = client.post(url, headers=headers, json={"done": [topic]})
            statuses.append(response.status_code)
            if response.status_code not in (409, 412):
                break
        return statuses

    with ThreadPoolExecutor(max_workers=len(TOPICS)) as pool:
        outcomes = list(pool.map(report_done, TOPICS))

    assert all(statuses[-1] == 200 for statuses in outcomes), outcomes
    refusals = {409, 412} if if_match else {409}
    assert all(set(statuses[:-1]) <= refusals for statuses in outcomes), outcomes
    read = client.get(f"/plans/{created['id']}", headers=owner(created))
    assert sorted(read.json()["progress"]["done"]) == sorted(TOPICS)
    successful_writes = sum(statuses.count(200) for statuses in outcomes)
    assert successful_writes == len(TOPICS)
    assert read.json()["version"] == created["version"] + successful_writes
    assert read.headers["ETag"] == f'"v{created["version"] + successful_writes}"'


def test_of_two_replans_from_one_version_only_the_first_lands(
    client: httpx.Client, created: dict[str, Any]
) -> None:
    url = f"/plans/{created['id']}/replan"
    etag = client.get(f"/plans/{created['id']}", headers=owner(created)).headers["ETag"]
    headers = {**owner(created), "If-Match": etag}
    first = client.post(url, headers=headers, json={"as_of": "2027-02-01"})
    second = client.post(url, headers=headers, json={"as_of": "2027-02-08"})
    assert first.status_code == 200, first.text
    assert second.status_code == 412
    assert (
        second.json()["detail"]
        == f"the plan changed: it is at {first.headers['ETag']}, you sent {etag}"
    )
    after = client.get(f"/plans/{created['id']}", headers=owner(created)).json()
    assert after["version"] == first.json()["version"] == created["version"] + 1
    assert after["plan"] == first.json()["plan"]


def test_two_replans_racing_from_one_version_one_wins(
    client: httpx.Client, created: dict[str, Any]
) -> None:
    # Whether the loser reads the plan before the winner's write (then its own write is
    # refused: 409) or after it (its If-Match is refused: 412) depends on timing; that
    # exactly one wins does not.
    url = f"/plans/{created['id']}/replan"
    headers = {**owner(created), "If-Match": f'"v{created["version"]}"'}
    start_together = threading.Barrier(2)

    def replan(as_of: str) -> httpx.Response:
        start_together.wait(timeout=60)
        return client.post(url, headers=headers, json={"as_of": as_of})

    with ThreadPoolExecutor(max_workers=2) as pool:
        responses = list(pool.map(replan, ["2027-02-01", "2027-02-08"]))

    statuses = sorted(response.status_code for response in responses)
    assert statuses in ([200, 409], [200, 412]), [r.text for r in responses]
    [winner] = [response for response in responses if response.status_code == 200]
    [loser] = [response for response in responses if response.status_code != 200]
    expected_detail = {
        409: "the plan changed while this request ran; read it again and retry",
        412: f"the plan changed: it is at {winner.headers['ETag']}, you sent {headers['If-Match']}",
    }
    assert loser.json()["detail"] == expected_detail[loser.status_code]
    after = client.get(f"/plans/{created['id']}", headers=owner(created)).json()
    assert after["version"] == created["version"] + 1
    assert after["plan"] == winner.json()["plan"]


def test_a_write_from_a_stale_version_is_refused_by_the_repository(
    client: httpx.Client, created: dict[str, Any], live_server: Any
) -> None:
    # The 409 path, without timing: the repository is asked to write from version 1
    # after the service has moved the plan to version 2.
    moved = client.post(
        f"/plans/{created['id']}/progress", headers=owner(created), json={"done": ["1.1"]}
    )
    assert moved.status_code == 200 and moved.json()["version"] == 2
    engine = make_engine(live_server.settings)
    try:
        with Session(engine) as session:
            record = session.get(PlanRecord, created["id"])
            assert record is not None
            with pytest.raises(StaleVersionError):
                repository.update_plan(
                    session, record=record, expected_version=1, progress_json=None
                )
        with Session(engine) as session:
            unchanged = session.get(PlanRecord, created["id"])
            assert unchanged is not None
            assert unchanged.version == 2 and unchanged.progress_json is not None
    finally:
        engine.dispose()
    read = client.get(f"/plans/{created['id']}", headers=owner(created)).json()
    assert read["version"] == 2 and read["progress"]["done"] == ["1.1"]
