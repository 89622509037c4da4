"""The HTTP API through TestClient: the resources, the tokens, the errors."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import text

from tests.api.owned_plans import create, feed_path

JSON = {"Content-Type": "application/json"}


def auth(created: dict[str, Any]) -> dict[str, str]:
    return {"Authorization": f"Bearer {created['owner_token']}"}


def test_create_read_and_subscribe(api_client: Any, example_profile: dict[str, Any]) -> None:
    created = create(api_client, example_profile)
    assert created["plan"]["solver"]["status"] == "OPTIMAL"
    assert created["feed"]["url"].startswith("https://plans.example.org/feeds/")
    assert created["feed"]["https_url"] == created["feed"]["url"]
    assert created["feed"]["webcal_url"].startswith("webcal://plans.example.org/feeds/")
    assert "From URL" in created["feed"]["how_to_subscribe"]
    read = api_client.get(f"/plans/{created['id']}", headers=auth(created))
    assert read.status_code == 200
    assert read.headers["ETag"] == '"v1"'
    assert "owner_token" not in read.json()
    assert read.json()["plan"] == created["plan"]
    feed = api_client.get(feed_path(created))
    assert feed.headers["content-type"] == "text/calendar; charset=utf-8"
    assert feed.content.count(b"BEGIN:VEVENT") == len(created["plan"]["sessions"])


@pytest.mark.parametrize("header", [None, "Bearer wrong", "Basic abc", "Bearer "])
def test_a_wrong_token_looks_like_no_plan(
    api_client: Any, example_profile: dict[str, Any], header: str | None
) -> None:
    created = create(api_client, example_profile)
    headers = {"Authorization": header} if header else {}
    wrong = api_client.get(f"/plans/{created['id']}", headers=headers)
    missing = api_client.get("/plans/0000000000000000", headers=auth(created))
    assert wrong.status_code == missing.status_code == 404
    assert wrong.json() == missing.json() == {"detail": "no such plan, or not your token"}


@pytest.mark.parametrize("scheme", ["Basic", "Token", "bearerx", ""])
def test_the_owner_token_counts_only_as_a_bearer_token(
    api_client: Any, example_profile: dict[str, Any], scheme: str
) -> None:
    """The right token under another scheme is refused like a wrong one."""
    created = create(api_client, example_profile)
    header = f"{scheme} {created['owner_token']}".strip()
    refused = api_client.get(f"/plans/{created['id']}", headers={"Authorization": header})
    assert refused.status_code == 404
    assert api_client.get(f"/plans/{created['id']}", headers=auth(created)).status_code == 200


def test_progress_and_replan_move_the_feed(
    api_client: Any, example_profile: dict[str, Any]
) -> None:
    created = create(api_client, example_profile)
    before = api_client.get(feed_path(created))
    missed = {"as_of": "2027-02-01", "missed": [{"from": "2027-01-18", "to": "2027-01-31"}]}
    recorded = api_client.post(
        f"/plans/{created['id']}/progress", headers=auth(created), json=missed
    )
    assert recorded.status_code == 200 and recorded.headers["ETag"] == '"v2"'
    assert recorded.json()["progress"]["missed"] == missed["missed"]
    replanned = api_client.post(f"/plans/{created['id']}/replan", headers=auth(created), json={})
    assert replanned.status_code == 200, replanned.text
    changes = replanned.json()["changes"]
    assert changes["days_later"] == 14 and changes["done"] == 8
    after = api_client.get(feed_path(created))
    assert after.headers["ETag"] != before.headers["ETag"]
    assert b"SEQUENCE:1" in after.content


def test_progress_is_added_to_what_was_recorded(
    api_client: Any, example_profile: dict[str, Any]
) -> None:
    created = create(api_client, example_profile)
    url = f"/plans/{created['id']}/progress"
    api_client.post(url, headers=auth(created), json={"done": ["1.1"], "hours": {"1.2": 2}})
    second = api_client.post(url, headers=auth(created), json={"done": ["2"], "hours": {"1.2": 4}})
    progress = second.json()["progress"]
    assert progress["done"] == ["1.1", "2"] and progress["hours"] == {"1.2": 4.0}
    # Any combination: a topic's hours so far beside missed days (the topic's hours say
    # its total; the range, the other sessions on those days).
    mixed = api_client.post(
        url, headers=auth(created), json={"missed": [{"from": "2027-01-06", "to": "2027-01-07"}]}
    )
    assert mixed.status_code == 200, mixed.text
    progress = mixed.json()["progress"]
    assert progress["hours"] == {"1.2": 4.0}
    assert progress["missed"] == [{"from": "2027-01-06", "to": "2027-01-07"}]


def test_missed_mode_and_sessions_are_kept_until_given_again(
    api_client: Any, example_profile: dict[str, Any]
) -> None:
    created = create(api_client, example_profile)
    url = f"/plans/{created['id']}/progress"
    first_uid = created["plan"]["sessions"][0]["uid"]
    body = {"missed_mode": "as_planned", "sessions": [first_uid]}
    assert api_client.post(url, headers=auth(created), json=body).status_code == 200
    missed = {"missed": [{"from": "2027-01-11", "to": "2027-01-12"}]}
    kept = api_client.post(url, headers=auth(created), json=missed).json()["progress"]
    assert kept["missed_mode"] == "as_planned" and kept["sessions"] == [first_uid]
    changed = api_client.post(url, headers=auth(created), json={"missed_mode": "resume"})
    assert changed.json()["progress"]["missed_mode"] == "resume"


def test_a_stale_if_match_is_refused(api_client: Any, example_profile: dict[str, Any]) -> None:
    created = create(api_client, example_profile)
    url = f"/plans/{created['id']}/progress"
    first = api_client.post(
        url, headers={**auth(created), "If-Match": '"v1"'}, json={"done": ["1.1"]}
    )
    assert first.status_code == 200
    stale = api_client.post(
        url, headers={**auth(created), "If-Match": '"v1"'}, json={"done": ["1.2"]}
    )
    assert stale.status_code == 412
    assert stale.json()["detail"] == 'the plan changed: it is at "v2", you sent "v1"'


def test_rotating_the_feed_kills_the_old_url_at_once(
    api_client: Any, example_profile: dict[str, Any]
) -> None:
    created = create(api_client, example_profile)
    rotated = api_client.post(f"/plans/{created['id']}/feed/rotate", headers=auth(created))
    assert rotated.status_code == 200
    assert api_client.get(feed_path(created)).status_code == 404
    assert api_client.get(feed_path(rotated.json())).status_code == 200


def test_delete_removes_plan_and_feed(api_client: Any, example_profile: dict[str, Any]) -> None:
    created = create(api_client, example_profile)
    assert api_client.delete(f"/plans/{created['id']}", headers=auth(created)).status_code == 204
    assert api_client.get(f"/plans/{created['id']}", headers=auth(created)).status_code == 404
    assert api_client.get(feed_path(created)).status_code == 404


@pytest.mark.parametrize(
    ("change", "status", "detail"),
    [
        ({"timezone": "Mars/Olympus"}, 422, "unknown time zone 'Mars/Olympus'"),
        ({"hours": {"9.9": 2}}, 422, "profile: hours.9.9: unknown topic or section id '9.9'"),
        ({"weekly": {}}, 422, "the profile has no study time"),
        ({"weekly": {"mon": [f"{h:02d}:00-{h:02d}:30" for h in range(24)] * 3}}, 422, "overlaps"),
    ],
)
def test_bad_profiles_get_clear_4xx(
    api_client: Any,
    example_profile: dict[str, Any],
    change: dict[str, Any],
    status: int,
    detail: str,
) -> None:
    response = api_client.post("/plans", json={"profile": {**example_profile, **change}})
    assert response.status_code == status
    assert detail in str(response.json()["detail"])


def test_validation_errors_name_the_field(api_client: Any, example_profile: dict[str, Any]) -> None:
    response = api_client.post(
        "/plans", json={"profile": {**example_profile, "session": {"min_minutes": "x"}}}
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "profile", "session", "min_minutes"]


def test_too_many_windows_are_refused_with_the_limit(
    api_client: Any, example_profile: dict[str, Any]
) -> None:
    weekly = {
        day: [f"{h:02d}:00-{h:02d}:30" for h in range(0, 24, 2)]
        for day in ("mon", "tue", "wed", "thu", "fri")
    }
    response = api_client.post("/plans", json={"profile": {**example_profile, "weekly": weekly}})
    assert response.status_code == 422
    assert response.json()["detail"] == [
        {
            "loc": ["body"],
            "msg": "profile.weekly: 60 windows a week; at most 50: merge windows that "
            "follow each other",
            "type": "planner_refused",
        }
    ]


def test_more_windows_than_the_planner_takes_get_its_own_message(
    api_client: Any, example_profile: dict[str, Any]
) -> None:
    """The planner's limit, checked where the profile is read: the CLI says the same."""
    weekly = {"mon": [f"{m // 60:02d}:{m % 60:02d}-{m // 60:02d}:{m % 60 + 1:02d}"
                      for m in range(0, 24 * 60, 14)][:101]}  # fmt: skip
    response = api_client.post("/plans", json={"profile": {**example_profile, "weekly": weekly}})
    assert response.status_code == 422
    assert "101 windows a week; at most 100: merge windows" in str(response.json()["detail"])


def test_a_body_over_the_limit_is_refused(api_client: Any) -> None:
    response = api_client.post(
        "/plans", content=b"x" * 300_000, headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 413


def test_health(api_client: Any) -> None:
    assert api_client.get("/health").json() == {"status": "ok", "database": "ok"}


def test_openapi_documents_the_resources(api_client: Any) -> None:
    paths = api_client.get("/openapi.json").json()["paths"]
    expected = {"/plans", "/plans/{plan_id}", "/plans/{plan_id}/progress",
                "/plans/{plan_id}/replan", "/plans/{plan_id}/feed/rotate",
                "/feeds/{feed_token}.ics", "/health"}  # fmt: skip
    assert expected <= set(paths)
    assert api_client.get("/docs").status_code == 200


def test_progress_can_be_corrected_and_unknown_ids_are_refused_at_once(
    api_client: Any, example_profile: dict[str, Any]
) -> None:
    created = create(api_client, example_profile)
    url = f"/plans/{created['id']}/progress"
    unknown = api_client.post(url, headers=auth(created), json={"done": ["1.1", "2.99"]})
    assert unknown.status_code == 422
    assert "unknown topic or section id '2.99'" in unknown.json()["detail"][0]["msg"]
    api_client.post(url, headers=auth(created), json={"hours": {"1.1": 2}})
    now_done = api_client.post(url, headers=auth(created), json={"done": ["1.1"]})
    assert now_done.status_code == 200
    # Finished, and its hours say how long it took (issue 29's evidence).
    assert now_done.json()["progress"]["done"] == ["1.1"]
    assert now_done.json()["progress"]["hours"] == {"1.1": 2.0}
    cleared = api_client.put(url, headers=auth(created), json={})
    assert cleared.json()["progress"]["done"] == []


def test_replan_needs_no_body_and_read_answers_304(
    api_client: Any, example_profile: dict[str, Any]
) -> None:
    created = create(api_client, example_profile)
    replanned = api_client.post(f"/plans/{created['id']}/replan", headers=auth(created))
    assert replanned.status_code == 200, replanned.text
    etag = replanned.headers["ETag"]
    unchanged = api_client.get(
        f"/plans/{created['id']}", headers={**auth(created), "If-None-Match": etag}
    )
    assert unchanged.status_code == 304


def test_delete_with_a_stale_if_match_is_refused(
    api_client: Any, example_profile: dict[str, Any]
) -> None:
    created = create(api_client, example_profile)
    api_client.post(
        f"/plans/{created['id']}/progress", headers=auth(created), json={"done": ["1.1"]}
    )
    stale = api_client.delete(
        f"/plans/{created['id']}", headers={**auth(created), "If-Match": '"v1"'}
    )
    assert stale.status_code == 412
    assert api_client.get(f"/plans/{created['id']}", headers=auth(created)).status_code == 200


def test_a_chunked_body_over_the_limit_is_refused(api_client: Any) -> None:
    def chunks() -> Any:
        for _ in range(40):
            yield b" " * 10_000

    response = api_client.post(
        "/plans", content=chunks(), headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 413


def test_the_profiles_new_shapes_are_accepted_and_kept(
    api_client: Any, example_profile: dict[str, Any]
) -> None:
    """Goals with dates, hours and pace per section, public holidays: the service takes
    the profile the command line takes, and replans with it."""
    profile = {
        **example_profile,
        "goals": ["7", {"topic": "6.3", "by": "2027-12-31"}],
        "hours": {"4": 30, "5.1": 6},
        "pace": {"5": 1.25, "all": 1.1},
        "blackouts": [{"from": "2027-03-22", "to": "2027-03-28"},
                      {"holidays": "DE", "subdivision": "BE"}],
    }  # fmt: skip
    created = create(api_client, profile)
    assert created["profile"]["goals"] == ["7", {"topic": "6.3", "by": "2027-12-31"}]
    assert created["profile"]["blackouts"][1] == {
        "holidays": "DE", "subdivision": "BE", "categories": [],
    }  # fmt: skip
    assert [g.get("by") for g in created["plan"]["goals"]] == [None, "2027-12-31"]
    databases = sum(1 for s in created["plan"]["sessions"] if s["topic"] in {"4.1", "4.2", "4.3"})
    assert databases > 0
    assert not any(s["start"].startswith("2027-03-29") for s in created["plan"]["sessions"])
    replanned = api_client.post(f"/plans/{created['id']}/replan", headers=auth(created),
                                json={"as_of": "2027-02-01"})  # fmt: skip
    assert replanned.status_code == 200, replanned.text
    bad = api_client.post("/plans", json={"profile": {**profile, "goals": ["FastAPI"]}})
    assert bad.status_code == 422
    assert "did you mean 6.3 FastAPI?" in bad.text


def test_public_holidays_as_days_off_through_the_service(api_client: Any) -> None:
    """Issue 28: `holidays: {country: KR}` from the API as from the YAML: Children's Day
    (Wed 5 May 2027) is studied as a Saturday; the profile comes back as written."""
    week = {day: ["20:00-21:00"] for day in ("mon", "tue", "wed", "thu", "fri")}
    profile = {"timezone": "Asia/Seoul", "start": "2027-04-19", "goals": ["6.3"],
               "only_goals": True, "weekly": week | {"sat": ["09:00-13:00"]},
               "holidays": {"country": "KR", "as": "day_off"}}  # fmt: skip
    created = create(api_client, profile)
    assert created["profile"]["holidays"] == {
        "country": "KR", "subdivision": None, "categories": [], "as": "day_off",
        "like": "sat", "windows": None,
    }  # fmt: skip
    starts = [s["start"] for s in created["plan"]["sessions"]]
    assert "2027-05-05T09:00:00+09:00" in starts
    bad = api_client.post("/plans", json={"profile": {**profile, "holidays": "XX"}})
    assert bad.status_code == 422
    assert "'XX' is not a country the holidays library knows" in bad.text


# --- regressions: ordinary input that ended in a 500 ------------------------------------


def test_a_whole_day_window_is_refused_and_nothing_is_stored(
    api_client: Any, example_profile: dict[str, Any]
) -> None:
    """ "00:00-24:00" was stored as "00:00-00:00", which the answer could not read back:
    a 500 after the plan was committed, so a plan was stored whose token nobody got."""
    profile = {**example_profile, "weekly": {"sat": ["00:00-24:00"]}}
    response = api_client.post("/plans", json={"profile": profile})
    assert response.status_code == 422
    assert "'00:00-24:00' is a whole day" in response.json()["detail"][0]["msg"]
    with api_client.app.state.engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM plans")).scalar_one() == 0


@pytest.mark.parametrize("number", ["NaN", "Infinity", "-Infinity"])
@pytest.mark.parametrize(
    "profile_json",
    [
        '"pace": {}',
        '"hours": {{"1.1": {}}}',
        '"max_hours_per_day": {}',
        '"start": {}',
        '"session": {{"min_minutes": {}}}',
    ],
)
def test_a_number_json_does_not_have_is_refused(
    api_client: Any, number: str, profile_json: str
) -> None:
    """Python's json reads NaN and Infinity; the 422 that named such an input could not
    be written as JSON (500)."""
    body = (
        '{"profile": {"timezone": "Europe/Berlin", "weekly": {"mon": ["19:00-21:00"]}, '
        + profile_json.format(number)
        + "}}"
    )
    response = api_client.post("/plans", content=body, headers=JSON)
    assert response.status_code == 422
    [problem] = response.json()["detail"]
    assert problem["type"] == "json_invalid"
    assert problem["ctx"] == {"error": f"{number} is not a JSON number"}


def test_nan_in_progress_is_refused(api_client: Any, example_profile: dict[str, Any]) -> None:
    created = create(api_client, example_profile)
    response = api_client.post(
        f"/plans/{created['id']}/progress",
        content='{"hours": {"1.1": NaN}}',
        headers={**auth(created), **JSON},
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["ctx"] == {"error": "NaN is not a JSON number"}


def test_a_window_shorter_than_a_slot_does_not_blame_caps_that_are_not_set(
    api_client: Any, example_profile: dict[str, Any]
) -> None:
    profile = {
        **example_profile,
        "weekly": {"mon": ["23:59-00:00"]},
        "session": {"slot_minutes": 5, "min_minutes": 0, "max_minutes": 60},
    }
    response = api_client.post("/plans", json={"profile": profile})
    assert response.status_code == 422
    assert response.json()["detail"][0]["msg"] == (
        "profile: every study window is shorter than one slot (5 min; the longest is 1 min): "
        "lower min_minutes or add longer windows"
    )


@pytest.mark.parametrize(
    ("timezone", "learners_date"),
    [("Asia/Tokyo", "2027-02-02"), ("America/Los_Angeles", "2027-02-01")],
)
def test_a_replan_starts_on_the_learners_today_not_the_servers(
    api_client: Any, example_profile: dict[str, Any], timezone: str, learners_date: str
) -> None:
    """At 23:30 UTC it is already tomorrow in Tokyo and still today in Los Angeles: a
    re-plan with no as_of starts on the learner's date (it used the server's)."""
    from api.deps import now as service_now

    created = create(api_client, {**example_profile, "timezone": timezone})
    late_evening_utc = datetime(2027, 2, 1, 23, 30, tzinfo=UTC)
    api_client.app.dependency_overrides[service_now] = lambda: late_evening_utc
    replanned = api_client.post(f"/plans/{created['id']}/replan", headers=auth(created))
    assert replanned.status_code == 200, replanned.text
    assert replanned.json()["plan"]["as_of"] == learners_date
    assert replanned.json()["started"]["as_of"] == learners_date
    assert replanned.json()["progress"]["as_of"] is None  # the clock's day is not kept
    first_start = min(s["start"] for s in replanned.json()["plan"]["sessions"] if not s.get("done"))
    assert first_start[:10] >= learners_date


def test_a_replan_with_a_changed_profile_keeps_it(api_client: Any) -> None:
    """Issue 28's "Change my week": the plan is made again with the changed profile (here
    Korea's holidays as days off), keeps it, and says what changed; a masked busy
    calendar the plan has not is refused in words, and nothing is stored."""
    week = {day: ["20:00-21:00"] for day in ("mon", "tue", "wed", "thu", "fri")}
    profile = {"timezone": "Asia/Seoul", "start": "2027-02-15", "goals": ["6.3"],
               "only_goals": True, "weekly": week | {"sat": ["09:00-13:00"]}}  # fmt: skip
    created = create(api_client, profile)
    starts = {s["start"] for s in created["plan"]["sessions"]}
    assert "2027-03-01T20:00:00+09:00" in starts  # Independence Movement Day, a Monday
    changed = {**created["profile"], "holidays": "KR"}
    replanned = api_client.post(
        f"/plans/{created['id']}/replan", headers=auth(created),
        json={"as_of": "2027-02-15", "profile": changed},
    )  # fmt: skip
    assert replanned.status_code == 200, replanned.text
    answer = replanned.json()
    assert answer["profile"]["holidays"]["country"] == "KR"
    day_off = {"day": "2027-03-01", "name": "Independence Movement Day", "day_off": True}
    assert day_off in answer["holidays"] and created["holidays"] == []
    starts = {s["start"] for s in answer["plan"]["sessions"]}
    assert "2027-03-01T09:00:00+09:00" in starts  # now studied as a Saturday
    assert answer["plan"]["finish"] < created["plan"]["finish"]
    kept = api_client.get(f"/plans/{created['id']}", headers=auth(created)).json()
    assert kept["profile"]["holidays"]["country"] == "KR"
    busy = {**changed, "busy": ["https://calendar.example.org/… [5ec7e7]"]}  # masked
    refused = api_client.post(
        f"/plans/{created['id']}/replan", headers=auth(created), json={"profile": busy}
    )
    assert refused.status_code == 422
    assert "profile.busy[0].ics: https://calendar.example.org/… [5ec7e7] is not one" in refused.text


def test_a_plan_keeps_the_name_its_learner_gives_it(
    api_client: Any, example_profile: dict[str, Any]
) -> None:
    made = api_client.post("/plans", json={"profile": example_profile, "name": "  FastAPI by May "})
    assert made.status_code == 201, made.text
    created = made.json()
    assert created["name"] == "FastAPI by May"
    url = f"/plans/{created['id']}"
    assert api_client.get(url, headers=auth(created)).json()["name"] == "FastAPI by May"
    renamed = api_client.patch(
        url, headers={**auth(created), "If-Match": '"v1"'}, json={"name": "Evenings"}
    )
    assert renamed.status_code == 200, renamed.text
    assert renamed.json()["name"] == "Evenings" and renamed.headers["ETag"] == '"v2"'
    assert renamed.json()["plan"] == created["plan"]
    assert api_client.get(url, headers=auth(created)).json()["name"] == "Evenings"
    too_long = api_client.patch(url, headers=auth(created), json={"name": "x" * 101})
    assert too_long.status_code == 422
    assert api_client.patch(url, json={"name": "Not mine"}).status_code == 404


def test_a_plan_made_without_a_name_is_unnamed(
    api_client: Any, example_profile: dict[str, Any]
) -> None:
    assert create(api_client, example_profile)["name"] == ""
