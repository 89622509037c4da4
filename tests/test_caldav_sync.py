"""`planner sync` against a real CalDAV server (Radicale on loopback, tests/radicale_server):
push the plan, move a session a day later and delete another as a calendar app would,
sync, and find the moved one where the learner put it, the deleted time free and its
hours planned elsewhere; a second sync writes nothing. Learners in Los Angeles, Tokyo
and Chatham (+13:45)."""

from __future__ import annotations

import ipaddress
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from functools import partial
from pathlib import Path
from typing import Any

import httpcore
import icalendar
import pytest
from typer.testing import CliRunner

from planner.calendar_sync.connection import check_address, describe, password_for
from planner.calendar_sync.state import read_state
from planner.calendar_sync.webdav import DavClient, DavError, carries_credentials
from planner.cli.app import app
from planner.errors import CalendarSyncError, PlannerError
from planner.inputs.graph import build_graph
from planner.inputs.plan_inputs import PlanInputs
from planner.models.calendar_target import CalendarTarget
from planner.models.progress import Progress
from planner.planning.pipeline import make_plan
from planner.planning.replan import replan
from planner.planning.requirements import plan_requirements
from planner.planning.validation import validate_plan
from tests.radicale_server import PASSWORD, USER, CalDavServer, radicale
from tests.test_replan import TINY, TINY_EDGES, TINY_PROFILE

FIXTURES = Path(__file__).parent / "fixtures"
ROADMAP = ["--roadmap", str(FIXTURES / "tiny-roadmap.yaml"),
           "--prerequisites", str(FIXTURES / "tiny-prerequisites.yaml")]  # fmt: skip
ZONES = ["America/Los_Angeles", "Asia/Tokyo", "Pacific/Chatham"]
runner = CliRunner()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[CalDavServer]:
    with radicale(tmp_path_factory.mktemp("radicale")) as running:
        yield running


@dataclass
class Learner:
    folder: Path
    calendar_name: str
    server: CalDavServer

    def run(self, *arguments: str, password: str = PASSWORD) -> Any:
        plan, ics = str(self.folder / "plan.json"), str(self.folder / "plan.ics")
        progress = str(self.folder / "progress.yaml")
        files = {
            "plan": ["--json", plan, "--ics", ics],
            "sync": ["--plan", plan, "--ics", ics, "--progress", progress],
            "replan": ["--previous", plan, "--progress", progress, "--ics", ics],
        }[arguments[0]]
        return runner.invoke(app, [*arguments, *files, *ROADMAP], env={"STUDY_PW": password})

    def sync(self, password: str = PASSWORD) -> Any:
        return self.run("sync", "--now", "2027-01-03", password=password)

    def plan(self) -> dict[str, Any]:
        return json.loads((self.folder / "plan.json").read_text())

    def events(self) -> list[AppEvent]:
        """The events in the calendar, in time order, as a calendar app sees them."""
        client = app_client(self.server.url)
        calendar = client.calendars(client.calendar_home())[self.calendar_name]
        found = [AppEvent(client, o.href, o.etag, icalendar.Calendar.from_ical(o.data))
                 for o in client.events(calendar)]  # fmt: skip
        return sorted(found, key=start_of)


def app_client(url: str) -> DavClient:
    return DavClient(url, USER, PASSWORD, bearer=False, timeout=30)


@dataclass
class AppEvent:
    """An event as a calendar app edits it: changed in place, saved or deleted with
    the ETag it was read with."""

    client: DavClient
    href: str
    etag: str | None
    calendar: icalendar.Calendar

    @property
    def icalendar_component(self) -> icalendar.Event:
        return self.calendar.events[0]

    def save(self) -> None:
        answer = self.client.request("PUT", self.href, self.calendar.to_ical(),
                                     {"If-Match": self.etag or "*"})  # fmt: skip
        assert answer.status == 204, answer

    def delete(self) -> None:
        assert (
            self.client.request("DELETE", self.href, headers={"If-Match": self.etag or "*"}).status
            == 200
        )


def start_of(event: Any) -> datetime:
    return event.icalendar_component.start.astimezone(UTC)  # type: ignore[no-any-return]


def learner(server: CalDavServer, folder: Path, zone: str, name: str) -> Learner:
    """A learner in `zone` with a plan of the tiny roadmap (5 two-hour sessions) and a
    calendar target of their own on the server."""
    (folder / "profile.yaml").write_text(
        f"timezone: {zone}\nstart: 2027-01-04\n"
        'weekly: {mon: ["19:00-21:00"], wed: ["19:00-21:00"], sat: ["09:00-13:00"]}\n'
        f'calendar: {{caldav: "{server.url}", username: {USER}, password_env: STUDY_PW, '
        f'name: "{name}"}}\n'
    )
    person = Learner(folder, name, server)
    result = person.run("plan", "--profile", str(folder / "profile.yaml"))
    assert result.exit_code == 0, result.output
    return person


def name_of(request: pytest.FixtureRequest) -> str:
    return re.sub(r"[^A-Za-z0-9]+", " ", request.node.name).strip()


@pytest.mark.parametrize("zone", ZONES)
def test_moved_and_deleted_in_the_calendar_are_taken_in(
    server: CalDavServer, tmp_path: Path, zone: str, request: pytest.FixtureRequest
) -> None:
    person = learner(server, tmp_path, zone, name_of(request))
    before = server.requests["PUT"]
    first = person.sync()
    assert first.exit_code == 0, first.output
    planned = person.plan()["sessions"]
    assert server.requests["PUT"] - before == len(planned) == 5  # one event per session
    events = person.events()
    assert [str(e.icalendar_component["UID"]) for e in events] == [s["uid"] for s in planned]

    # As a calendar app would: drag the second session a day later, delete the fourth.
    moved, deleted = events[1], events[3]
    moved_uid, deleted_uid = (str(e.icalendar_component["UID"]) for e in (moved, deleted))
    component = moved.icalendar_component
    new_start, new_end = component.start + timedelta(days=1), component.end + timedelta(days=1)
    component.start, component.end = new_start, new_end
    component["SUMMARY"] = "with Ana, at the library"  # a title edited with the move
    moved.save()
    freed = (start_of(deleted), deleted.icalendar_component.end.astimezone(UTC))
    deleted.delete()

    second = person.sync()
    assert second.exit_code == 0, second.output
    assert "moved to" in second.stdout and "deleted" in second.stdout
    sessions = {s["uid"]: s for s in person.plan()["sessions"]}
    pinned = sessions[moved_uid]
    assert datetime.fromisoformat(pinned["start"]) == new_start
    assert datetime.fromisoformat(pinned["end"]) == new_end
    assert pinned["pinned"] is True
    assert deleted_uid not in sessions
    for session in sessions.values():  # the deleted time stays free
        start, end = (datetime.fromisoformat(session[k]) for k in ("start", "end"))
        assert end <= freed[0] or start >= freed[1], session
    lengths = [datetime.fromisoformat(s["end"]) - datetime.fromisoformat(s["start"])
               for s in sessions.values()]  # fmt: skip
    hours = sum(lengths, timedelta()) / timedelta(hours=1)
    assert hours == 10  # the deleted session's hours are planned elsewhere
    progress = (tmp_path / "progress.yaml").read_text()
    assert moved_uid in progress and "deleted: true" in progress
    # The calendar holds the new plan, event for event.
    there = {str(e.icalendar_component["UID"]): start_of(e) for e in person.events()}
    assert there == {uid: datetime.fromisoformat(s["start"]) for uid, s in sessions.items()}
    titles = {str(e.icalendar_component["UID"]): e.icalendar_component["SUMMARY"]
              for e in person.events()}  # fmt: skip
    assert titles[moved_uid] == "with Ana, at the library"  # the learner's event, as written

    writes = server.writes()
    third = person.sync()
    assert third.exit_code == 0, third.output
    assert server.writes() == writes  # nothing changed: no PUT, no DELETE
    assert "0 written, 0 deleted, 5 unchanged" in " ".join(third.stdout.split())


def test_a_later_replan_keeps_the_learners_move(
    server: CalDavServer, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    person = learner(server, tmp_path, "Asia/Tokyo", name_of(request))
    assert person.sync().exit_code == 0
    events = person.events()
    moved = events[0]
    component = moved.icalendar_component
    component.start, component.end = (component.start + timedelta(hours=36),
                                      component.end + timedelta(hours=36))  # fmt: skip
    moved.save()  # Wednesday 07:00 in Tokyo: outside every weekly window
    uid = str(component["UID"])
    assert person.sync().exit_code == 0
    pinned_at = next(s["start"] for s in person.plan()["sessions"] if s["uid"] == uid)
    assert datetime.fromisoformat(pinned_at) == component.start
    replanned = person.run("replan", "--now", "2027-01-03")
    assert replanned.exit_code == 0, replanned.output
    assert next(s for s in person.plan()["sessions"] if s["uid"] == uid)["start"] == pinned_at


def test_a_title_edit_is_left_alone(
    server: CalDavServer, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    person = learner(server, tmp_path, "America/Los_Angeles", name_of(request))
    assert person.sync().exit_code == 0
    event = person.events()[2]
    event.icalendar_component["SUMMARY"] = "my own words"
    event.save()
    plan_before, writes = person.plan(), server.writes()
    result = person.sync()
    assert result.exit_code == 0, result.output
    assert person.plan() == plan_before and server.writes() == writes
    assert str(person.events()[2].icalendar_component["SUMMARY"]) == "my own words"


def test_a_wrong_password_is_said_plainly(
    server: CalDavServer, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    person = learner(server, tmp_path, "Pacific/Chatham", name_of(request))
    plan_before = (tmp_path / "plan.json").read_bytes()
    result = person.sync(password="wrong")
    assert result.exit_code == 1
    assert f"refused user '{USER}' with this password (check STUDY_PW)" in result.stderr
    assert "Traceback" not in result.output
    assert (tmp_path / "plan.json").read_bytes() == plan_before


def test_an_oauth_token_is_sent_as_a_bearer_token(
    server: CalDavServer, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    """Google signs in with OAuth: `token_env` sends its access token as a bearer token.
    Radicale takes passwords only, so here it refuses the token, as a server does with
    one that expired."""
    person = learner(server, tmp_path, "Asia/Tokyo", name_of(request))
    profile = tmp_path / "profile.yaml"
    profile.write_text(profile.read_text().replace("password_env: STUDY_PW", "token_env: STUDY_PW"))
    server.auth_schemes.clear()
    result = person.run("sync", "--profile", str(profile), "--now", "2027-01-03")
    assert result.exit_code == 1
    assert "Bearer" in server.auth_schemes and "Basic" not in server.auth_schemes
    said = " ".join(result.stderr.split())
    assert f"refused user '{USER}' with the token in STUDY_PW (it may have expired)" in said


def test_a_server_gone_mid_push_leaves_whole_files_and_the_next_sync_repairs(
    server: CalDavServer, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    person = learner(server, tmp_path, "America/Los_Angeles", name_of(request))
    assert person.sync().exit_code == 0
    events = person.events()
    component = events[1].icalendar_component
    component.start, component.end = (component.start + timedelta(days=1),
                                      component.end + timedelta(days=1))  # fmt: skip
    events[1].save()
    # Connecting takes 3 requests and the pull one: the push gets one PUT, then nothing.
    server.requests.clear()
    server.fail_after = 5
    try:
        cut = person.sync()
    finally:
        server.fail_after = None
    assert server.requests["PUT"] == 1
    assert cut.exit_code == 1
    assert "the next `planner sync` finishes writing the calendar" in cut.stderr
    assert "Traceback" not in cut.output
    plan = person.plan()  # whole files: they parse, and say the same thing
    assert "calendar:" in (tmp_path / "progress.yaml").read_text()
    repaired = person.sync()
    assert repaired.exit_code == 0, repaired.output
    assert person.plan() == plan  # nothing new was taken in: the cut push was ours
    assert (tmp_path / "progress.yaml").read_text().count("session:") == 1
    assert "Taken in" not in repaired.stdout
    there = {str(e.icalendar_component["UID"]): start_of(e) for e in person.events()}
    assert there == {s["uid"]: datetime.fromisoformat(s["start"]) for s in plan["sessions"]}
    writes = server.writes()
    assert person.sync().exit_code == 0 and server.writes() == writes


def test_a_conflict_is_read_again_and_retried_once_then_reported(
    server: CalDavServer, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    person = learner(server, tmp_path, "Asia/Tokyo", name_of(request))
    assert person.sync().exit_code == 0
    events = person.events()
    component = events[0].icalendar_component
    component.start, component.end = (component.start + timedelta(days=1),
                                      component.end + timedelta(days=1))  # fmt: skip
    events[0].save()
    edits: list[str] = []

    def learner_edits(path: str) -> None:  # the app saves the event again meanwhile
        edits.append(path)
        client = app_client(server.backend)
        body = client.request("GET", server.backend + path).body.decode()
        edited = re.sub(r"SUMMARY:[^\r\n]*", f"SUMMARY:edit {len(edits)}", body)
        assert client.request("PUT", server.backend + path, edited.encode()).status == 204

    server.before_put = lambda path: learner_edits(path) if len(edits) < 1 else None
    try:
        retried = person.sync()
    finally:
        server.before_put = None
    assert retried.exit_code == 0, retried.output
    assert len(edits) == 1
    # Read again and written once more: the event is ours, as the plan has it.
    summaries = [str(e.icalendar_component["SUMMARY"]) for e in person.events()]
    assert "edit 1" not in summaries

    events = person.events()
    component = events[1].icalendar_component
    component.start, component.end = (component.start + timedelta(days=1),
                                      component.end + timedelta(days=1))  # fmt: skip
    events[1].save()
    edits.clear()
    # The first event written is edited again at every attempt.
    server.before_put = lambda path: learner_edits(path) if path in (edits or [path]) else None
    try:
        refused = person.sync()
    finally:
        server.before_put = None
    assert len(edits) == 2  # the first attempt and one retry
    assert refused.exit_code == 1
    uid = edits[0].rsplit("/", 1)[1].removesuffix(".ics").replace("%40", "@")
    said = " ".join(refused.stderr.split())
    assert f"1 event(s) changed in the calendar while we wrote them, twice: {uid}" in said


# --- without a server -----------------------------------------------------------------------


def target(**fields: Any) -> CalendarTarget:
    return CalendarTarget.model_validate(
        {"caldav": "https://caldav.example.org/dav/", "username": "me", **fields}
    )


def test_a_password_in_the_profile_is_refused_naming_the_file(tmp_path: Path) -> None:
    profile = tmp_path / "me.yaml"
    profile.write_text(
        "timezone: Asia/Tokyo\nweekly: {mon: ['19:00-21:00']}\n"
        "calendar: {caldav: 'https://caldav.example.org/', username: me, password: hunter2}\n"
    )
    result = runner.invoke(app, ["plan", "--profile", str(profile), *ROADMAP])
    assert result.exit_code == 1
    said = " ".join(result.stderr.split())
    assert f"{profile}:3: calendar:" in said
    assert "a password is never kept in the profile" in said and "password_env" in said


def test_the_password_comes_from_the_variable_the_profile_names() -> None:
    assert password_for(target(password_env="MY_PW"), {"MY_PW": "s3cret"}) == "s3cret"
    with pytest.raises(CalendarSyncError, match="the environment variable MY_PW is not set"):
        password_for(target(password_env="MY_PW"), {})
    assert password_for(target(token_env="TOKEN"), {"TOKEN": "ya29.x"}) == "ya29.x"
    with pytest.raises(CalendarSyncError, match="no access token: the environment variable TOKEN"):
        password_for(target(token_env="TOKEN"), {"MY_PW": "s3cret"})
    with pytest.raises(ValueError, match="password_env or token_env: an account signs in with one"):
        target(token_env="TOKEN", password_env="MY_PW")


def test_an_address_that_resolves_to_loopback_is_refused_unless_allowed() -> None:
    loopback = target(caldav="http://127.0.0.1:5232/")
    with pytest.raises(CalendarSyncError, match=r"refused: 127\.0\.0\.1 resolves to 127\.0\.0\.1"):
        check_address(loopback, ())
    check_address(loopback, (ipaddress.ip_network("127.0.0.1/32"),))  # the CLI allows it


def test_a_pinned_session_is_exempt_from_placing_rules_but_not_from_overlaps() -> None:
    """A session the learner moved outside every window is valid when pinned; the same
    session not pinned, or pinned over another session, is not."""
    inputs = PlanInputs(TINY, TINY_EDGES, TINY_PROFILE)
    result = make_plan(inputs, today=date(2027, 3, 15))
    plan, first = result.plan, result.plan.sessions[0]
    # Monday 07:00: no window (the profile studies on Tuesday evenings and Sunday nights).
    early = first.start.replace(day=first.start.day - 1, hour=7, minute=0)
    moved = first.model_copy(update={"start": early, "end": early + (first.end - first.start),
                                     "pinned": True})  # fmt: skip
    requirements = plan_requirements(inputs, build_graph(TINY, TINY_EDGES, "prerequisites"))
    # A re-plan counts a pinned session's minutes as planned: what is left excludes them.
    left = {t: m - (first.minutes if t == first.topic else 0)
            for t, m in requirements.minutes.items()}  # fmt: skip
    requirements = replace(requirements, minutes={t: m for t, m in left.items() if m > 0})
    check = partial(validate_plan, profile=inputs.profile, requirements=requirements)
    assert check(plan.model_copy(update={"sessions": (moved, *plan.sessions[1:])})) == []
    unpinned = moved.model_copy(update={"pinned": False})
    outside = plan.model_copy(update={"sessions": (unpinned, *plan.sessions[1:])})
    assert any("not inside a study window" in v for v in check(outside))
    over = first.model_copy(update={"uid": "over@roadmap-planner", "pinned": True})
    overlapping = plan.model_copy(update={"sessions": (over, *plan.sessions)})
    assert any("overlaps" in v for v in check(overlapping))


def test_two_sessions_moved_to_the_same_time_are_refused_naming_both() -> None:
    inputs = PlanInputs(TINY, TINY_EDGES, TINY_PROFILE)
    plan = make_plan(inputs, today=date(2027, 3, 15)).plan
    first, second = plan.sessions[:2]
    at = first.start + timedelta(days=1)  # Wednesday: no window, and no session
    edits = [
        {"session": s.uid, "start": at, "end": at + timedelta(minutes=s.minutes)}
        for s in (first, second)
    ]
    with pytest.raises(PlannerError, match=rf"session {second.uid} .* overlaps {first.uid}"):
        replan(inputs, plan, Progress.model_validate({"calendar": edits}), now=date(2027, 3, 15))


def test_a_broken_sync_state_is_named_with_what_to_do(tmp_path: Path) -> None:
    broken = tmp_path / "progress.caldav.json"
    broken.write_text('{"calendar": "x", "events": {"a": {"href": "h"}}}')
    with pytest.raises(PlannerError, match=rf"{broken}: not a sync state \(KeyError: 'digest'\)"):
        read_state(broken)


def test_a_session_moved_after_what_needs_it_is_kept_with_a_warning() -> None:
    """1.1 comes before 2.1. Its session moved a month later (Wednesday 10:00, outside
    every window) stays there, and the re-plan says 2.1 now begins before it ends."""
    inputs = PlanInputs(TINY, TINY_EDGES, TINY_PROFILE)
    plan = make_plan(inputs, today=date(2027, 3, 15)).plan
    first = next(s for s in plan.sessions if s.topic == "1.1")
    at = datetime.combine(first.start.date() + timedelta(days=29), time(10), first.start.tzinfo)
    edit = {"session": first.uid, "start": at, "end": at + timedelta(minutes=first.minutes)}
    result = replan(
        inputs, plan, Progress.model_validate({"calendar": [edit]}), now=date(2027, 3, 15)
    )
    kept = next(s for s in result.plan.sessions if s.uid == first.uid)
    assert (kept.start, kept.pinned) == (at, True)
    assert any(w.startswith(f"you moved a session of 1.1 to {at:%a %Y-%m-%d %H:%M}, after 2.1")
               for w in result.warnings)  # fmt: skip


@pytest.mark.parametrize(
    ("start", "end", "problem"),
    [
        ("2027-01-05T19:00:00-08:00", "2027-01-05T18:00:00-08:00", "is not after start"),
        ("2027-01-05T19:00:00-08:00", "2027-01-07T19:00:00-08:00", "longer than a day"),
        ("9999-12-31T10:00:00+13:45", "9999-12-31T11:00:00+13:45", "outside 1970-01-01..2199"),
    ],
)
def test_a_calendar_edit_that_cannot_be_a_session_is_refused(
    start: str, end: str, problem: str
) -> None:
    with pytest.raises(ValueError, match=problem):
        Progress.model_validate({"calendar": [{"session": "s", "start": start, "end": end}]})


def test_the_client_refuses_a_loopback_connection_unless_allowed(server: CalDavServer) -> None:
    """Checked on the connection itself (as busy calendars are), not only beforehand."""
    before = sum(server.requests.values())
    refused = DavClient(server.url, USER, PASSWORD, bearer=False, timeout=5, allowed_networks=())
    with pytest.raises(Exception, match=r"127\.0\.0\.1 resolves to 127\.0\.0\.1"):
        refused.calendar_home()
    assert sum(server.requests.values()) == before  # never connected
    allowed = (ipaddress.ip_network("127.0.0.1/32"),)
    assert DavClient(server.url, USER, PASSWORD, bearer=False, timeout=5,
                     allowed_networks=allowed).calendar_home().startswith(server.url)  # fmt: skip


def _answering(host: str, body: str, seen: list[tuple[str, str]]) -> int:
    """A one-answer-per-connection WebDAV server on `host` (loopback) that records the
    Authorization header it is sent; its port."""
    import socket
    import threading

    listener = socket.socket()
    listener.bind((host, 0))
    listener.listen(5)

    def serve() -> None:
        while True:
            connection, _ = listener.accept()
            with connection:
                request = connection.recv(65536).decode(errors="replace").split("\r\n")
                sent = [line for line in request if line.lower().startswith("authorization")]
                seen.append((host, sent[0] if sent else ""))
                answer = body.encode()
                head = b"HTTP/1.1 207 Multi-Status\r\nContent-Type: application/xml\r\n"
                connection.sendall(head + b"Content-Length: %d\r\n\r\n" % len(answer) + answer)

    threading.Thread(target=serve, daemon=True).start()
    return int(listener.getsockname()[1])


def test_the_password_goes_to_the_accounts_host_only() -> None:
    """Found by review: every href a server answered was followed with the learner's
    credentials, so a server (or whoever answers for it) could name another host (or
    plain http) and be sent the password."""
    seen: list[tuple[str, str]] = []
    other = _answering("127.0.0.2", '<d:multistatus xmlns:d="DAV:"/>', seen)
    principal = (
        '<d:multistatus xmlns:d="DAV:"><d:response><d:href>/</d:href><d:propstat><d:prop>'
        f"<d:current-user-principal><d:href>http://127.0.0.2:{other}/steal/</d:href>"
        "</d:current-user-principal></d:prop><d:status>HTTP/1.1 200 OK</d:status>"
        "</d:propstat></d:response></d:multistatus>"
    )
    account = _answering("127.0.0.1", principal, seen)
    client = DavClient(f"http://127.0.0.1:{account}/dav/", "alice", "app-password",
                       bearer=False, timeout=5)  # fmt: skip
    with pytest.raises(DavError, match=rf"pointed to http://127\.0\.0\.2:{other}, not the acc"):
        client.calendar_home()
    assert [host for host, _ in seen] == ["127.0.0.1"]


@pytest.mark.parametrize(
    ("account", "target", "carries"),
    [
        ("https://caldav.icloud.com/", "https://p42-caldav.icloud.com/123/calendars/", True),
        ("https://caldav.icloud.com/", "http://p42-caldav.icloud.com/123/", False),  # no TLS
        ("https://caldav.fastmail.com/dav/", "https://fastmail.com.evil.example/", False),
        ("https://cloud.example.org/remote.php/dav/", "https://example.org/x/", True),
        ("https://dav.example/", "https://other.example/", False),
        ("http://127.0.0.1:5232/", "http://127.0.0.1:5232/learner/", True),
        ("http://127.0.0.1:5232/", "http://127.0.0.1:5233/learner/", False),  # another port
    ],
)
def test_which_hosts_may_be_sent_the_credentials(account: str, target: str, carries: bool) -> None:
    assert carries_credentials(account, target) is carries


def test_a_secret_that_cannot_be_sent_is_refused_without_quoting_it() -> None:
    """A token pasted with its line break: the HTTP library refused to send the header
    and quoted it in its message, which went into answers and logs."""
    target = CalendarTarget(caldav="https://dav.example/", username="me", token_env="TOKEN")
    with pytest.raises(CalendarSyncError) as refused:
        password_for(target, {"TOKEN": "SECRET-TOKEN\x07tail"})
    assert "SECRET" not in str(refused.value) and "control character" in str(refused.value)
    assert password_for(target, {"TOKEN": "  SECRET-TOKEN\n"}) == "SECRET-TOKEN"
    quoted = httpcore.LocalProtocolError("Illegal header value b'Bearer SECRET-TOKEN\\n'")
    assert "SECRET" not in describe(quoted)


def test_a_server_that_trickles_its_answers_is_cut_off_at_the_deadline(
    server: CalDavServer,
    tmp_path: Path,
    request: pytest.FixtureRequest,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Each byte comes well within the per-request timeout: without a deadline for the
    whole pull, `planner sync` waited as long as the server kept sending."""
    import planner.calendar_sync.connection as connection

    person = learner(server, tmp_path, "Pacific/Chatham", name_of(request))
    monkeypatch.setattr(connection, "DEADLINE_SECONDS", 0.3)
    server.trickle = True
    try:
        slow = person.sync()
    finally:
        server.trickle = False
    assert slow.exit_code != 0
    said = " ".join(slow.output.split())
    assert "did not answer in time (no complete answer within 0.3 s)" in said
    assert not (tmp_path / "progress.caldav.json").exists()  # nothing was written
    assert person.sync().exit_code == 0  # answering promptly again: the sync goes through
