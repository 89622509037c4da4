"""planner.timeline.vtimezone: VTIMEZONEs that ical.js and icalendar read exactly like zoneinfo.

ical.js (Thunderbird, many web apps) runs through the ``read_with_icaljs``
fixture (tests/conftest.py), which computes each VEVENT's UTC instants from the
VTIMEZONE in the file.  icalendar's side uses ``Timezone.to_tz(lookup_tzid=False)``
(dateutil's tzical), so it too reads our rules rather than its own zoneinfo.

Local times that do not exist (spring-forward gap) or exist twice (fall-back
overlap) have no single right answer in practice: RFC 5545 and zoneinfo
(fold=0) take the offset *before* the change, ical.js takes the one *after*
it (fold=1) whatever the VTIMEZONE says.  They are checked separately.
"""

from __future__ import annotations

import functools
import os
import re
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from icalendar import Calendar, Event, Timezone

from planner.timeline.vtimezone import build_vtimezone

ReadIcs = Callable[[Path], list[dict[str, Any]]]

# (zone, first year, last year): 2026-2028 plus historic ranges with rule changes.
CASES = [
    ("Europe/Berlin", 2026, 2028),
    ("Europe/London", 2026, 2028),
    ("Europe/Dublin", 2026, 2028),  # negative DST in tzdata: both parts STANDARD
    ("America/New_York", 2026, 2028),
    ("America/Santiago", 2026, 2028),  # southern; Sun>=2 at 00:00 local
    ("America/Sao_Paulo", 2026, 2028),  # DST abolished in 2019
    ("America/Nuuk", 2026, 2028),  # changes on Saturday 23:00 local
    ("Australia/Sydney", 2026, 2028),
    ("Australia/Lord_Howe", 2026, 2028),  # 30-minute DST
    ("Pacific/Chatham", 2026, 2028),  # +12:45 / +13:45, changes at 02:45
    ("Asia/Jerusalem", 2026, 2028),  # Friday before the last Sunday of March
    ("Asia/Kolkata", 2026, 2028),
    ("Africa/Casablanca", 2026, 2028),  # Ramadan changes: no yearly rule
    ("UTC", 2026, 2028),
    ("America/Sao_Paulo", 2017, 2019),  # last DST seasons: RRULE with UNTIL
    ("America/New_York", 2006, 2008),  # 2007 US rule change
    ("Europe/Moscow", 2010, 2015),  # permanent +04 in 2011, back to +03 in 2014
]

# Wall-clock session starts on the days around each change (changes happen at
# 00:00 to 03:00 local, or 23:00 the day before, e.g. America/Nuuk).
AROUND_CHANGE = {
    -1: [time(23, 30)],
    0: [time(h, m) for h, m in ((0, 30), (1, 30), (2, 0), (2, 30), (3, 0), (3, 30), (23, 30))],
    1: [time(0, 30), time(19)],
}
SESSION = timedelta(minutes=45)


def _utc_text(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _is_gap_or_fold(wall: datetime, zone: ZoneInfo) -> bool:
    """Whether the wall-clock time is skipped or repeated in the zone."""
    return wall.replace(tzinfo=zone).utcoffset() != wall.replace(tzinfo=zone, fold=1).utcoffset()


def _window(first_year: int, last_year: int, zone: ZoneInfo) -> tuple[datetime, datetime]:
    return datetime(first_year, 1, 1, tzinfo=zone), datetime(last_year, 12, 31, 23, 59, tzinfo=zone)


def _change_days(zone: ZoneInfo, first_year: int, last_year: int) -> list[date]:
    """Days whose midnight offset differs from the next midnight's (zoneinfo)."""
    days = []
    day = date(first_year, 1, 1)
    while day.year <= last_year:
        today = datetime.combine(day, time(), zone).utcoffset()
        if today != datetime.combine(day + timedelta(days=1), time(), zone).utcoffset():
            days.append(day)
        day += timedelta(days=1)
    return days


def _walls(zone: ZoneInfo, first_year: int, last_year: int) -> list[datetime]:
    """Session starts around every change, plus ordinary evenings and early mornings."""
    walls = [
        datetime.combine(day + timedelta(days=delta), at)
        for day in _change_days(zone, first_year, last_year)
        for delta, times in AROUND_CHANGE.items()
        for at in times
    ]
    for year in range(first_year, last_year + 1):
        walls += [datetime(year, month, 15, 19) for month in range(1, 13, 2)]
        walls += [datetime(year, month, 1, 2, 30) for month in (2, 8)]
    walls += [datetime(first_year, 1, 1), datetime(last_year, 12, 31, 23)]
    return sorted({w for w in walls if first_year <= w.year <= last_year})


def _calendar(vtimezones: list[Timezone], sessions: list[tuple[str, datetime, ZoneInfo]]) -> bytes:
    """A calendar with one VEVENT per (uid, wall-clock start, zone), DTSTART;TZID=..."""
    calendar = Calendar()
    calendar.add("PRODID", "-//Roadmap Planner//tests//EN")
    calendar.add("VERSION", "2.0")
    for vtimezone in vtimezones:
        calendar.add_component(vtimezone)
    for uid, wall, zone in sessions:
        event = Event()
        event.add("UID", uid)
        event.add("SUMMARY", f"Study {uid}")
        event.add("SEQUENCE", 0)
        event.add("DTSTAMP", datetime(2026, 1, 1, tzinfo=UTC))
        event.add("DTSTART", wall.replace(tzinfo=zone))
        event.add("DTEND", (wall + SESSION).replace(tzinfo=zone))
        calendar.add_component(event)
    # icalendar writes UTC times as ...Z even when asked for TZID=UTC; the
    # planner's files do too, but here the UTC VTIMEZONE is to be read as well.
    return re.sub(
        rb"^(DTSTART|DTEND):(\d{8}T\d{6})Z\r$", rb"\1;TZID=UTC:\2\r", calendar.to_ical(), flags=re.M
    )


def _parse_vtimezone(text: str | bytes) -> Timezone:
    vtimezone = Timezone.from_ical(text)
    assert isinstance(vtimezone, Timezone)
    return vtimezone


def _write(directory: Path, name: str, data: bytes) -> Path:
    path = directory / name
    path.write_bytes(data)
    return path


def _read_with_icalendar(ics: bytes) -> Iterator[tuple[str, str, datetime, datetime]]:
    """Per VEVENT: uid, TZID, the parsed wall-clock start, and that start as
    an instant through the file's own VTIMEZONE (dateutil's tzical): icalendar's
    own TZID lookup would use zoneinfo and not test the VTIMEZONE at all."""
    calendar = Calendar.from_ical(ics)
    own_rules: dict[str, tzinfo] = {
        vtz.tz_name: vtz.to_tz(lookup_tzid=False) for vtz in calendar.timezones
    }
    for event in calendar.walk("VEVENT"):
        tzid = str(event["DTSTART"].params["TZID"])
        wall = event.decoded("DTSTART").replace(tzinfo=None)
        yield str(event["UID"]), tzid, wall, wall.replace(tzinfo=own_rules[tzid])


# --- every zone, transition days and ordinary days, through ical.js and icalendar ---


@functools.cache
def _build(tz_name: str, first_year: int, last_year: int) -> Timezone:
    return build_vtimezone(tz_name, *_window(first_year, last_year, ZoneInfo(tz_name)))


@dataclass
class _CaseResult:
    walls: dict[str, datetime]  # uid -> wall-clock start
    icaljs: dict[str, dict[str, Any]]  # uid -> what ical.js read


@pytest.fixture(scope="module")
def case_results(
    read_with_icaljs: ReadIcs, tmp_path_factory: pytest.TempPathFactory
) -> dict[tuple[str, int, int], _CaseResult]:
    """All CASES, read by ical.js in as few files (node runs) as TZIDs allow."""
    batches: list[list[tuple[str, int, int]]] = []
    for case in CASES:
        batch = next((b for b in batches if case[0] not in {c[0] for c in b}), None)
        if batch is None:
            batches.append(batch := [])
        batch.append(case)
    directory = tmp_path_factory.mktemp("cases")
    results = {}
    for number, batch in enumerate(batches):
        walls = {case: _walls(ZoneInfo(case[0]), case[1], case[2]) for case in batch}
        sessions = [
            (f"{case[0]}|{wall.isoformat()}", wall, ZoneInfo(case[0]))
            for case in batch
            for wall in walls[case]
        ]
        ics = _calendar([_build(*case) for case in batch], sessions)
        read = {e["uid"]: e for e in read_with_icaljs(_write(directory, f"{number}.ics", ics))}
        assert len(read) == len(sessions)
        for case in batch:
            uids = {f"{case[0]}|{wall.isoformat()}": wall for wall in walls[case]}
            results[case] = _CaseResult(uids, {uid: read[uid] for uid in uids})
    return results


@pytest.mark.parametrize("case", CASES, ids=[f"{z}-{a}-{b}" for z, a, b in CASES])
def test_icaljs_and_icalendar_agree_with_zoneinfo(
    case: tuple[str, int, int], case_results: dict[tuple[str, int, int], _CaseResult]
) -> None:
    tz_name = case[0]
    zone, result = ZoneInfo(tz_name), case_results[case]
    # icalendar reads the VTIMEZONE text back through dateutil, not zoneinfo.
    own_rules = _parse_vtimezone(_build(*case).to_ical()).to_tz(lookup_tzid=False)
    wrong: list[str] = []
    for uid, wall in result.walls.items():
        event = result.icaljs[uid]
        assert (event["tzid"], event["summary"], event["sequence"]) == (tz_name, f"Study {uid}", 0)
        for got, local in ((event["start_utc"], wall), (event["end_utc"], wall + SESSION)):
            fold = 1 if _is_gap_or_fold(local, zone) else 0
            want = _utc_text(local.replace(tzinfo=zone, fold=fold))
            if got != want:
                wrong.append(f"ical.js {local} -> {got}, zoneinfo(fold={fold}) {want}")
            if not fold and _utc_text(local.replace(tzinfo=own_rules)) != want:
                got = _utc_text(local.replace(tzinfo=own_rules))
                wrong.append(f"icalendar {local} -> {got}, zoneinfo {want}")
    assert not wrong, f"{len(wrong)} wrong of {2 * len(result.walls)}:\n" + "\n".join(wrong[:20])


def test_icaljs_reads_gap_and_fold_times_with_the_later_offset(
    tmp_path: Path, read_with_icaljs: ReadIcs
) -> None:
    """ical.js behaviour for skipped/repeated wall times, whatever the VTIMEZONE.

    RFC 5545 (and zoneinfo with fold=0) say: a skipped time uses the offset
    before the gap, a repeated time means its first occurrence.  ical.js 2.2.1
    uses the offset after the change for both.  Sessions should avoid them.
    """
    zone = ZoneInfo("Europe/Berlin")
    spring, autumn = datetime(2027, 3, 28, 2, 30), datetime(2027, 10, 31, 2, 30)
    vtimezone = build_vtimezone("Europe/Berlin", *_window(2027, 2027, zone))
    ics = _calendar([vtimezone], [("spring", spring, zone), ("autumn", autumn, zone)])
    got = {e["uid"]: e["start_utc"] for e in read_with_icaljs(_write(tmp_path, "g.ics", ics))}
    assert _utc_text(spring.replace(tzinfo=zone)) == "2027-03-28T01:30:00Z"  # RFC 5545
    assert _utc_text(autumn.replace(tzinfo=zone)) == "2027-10-31T00:30:00Z"  # RFC 5545
    assert got == {"spring": "2027-03-28T00:30:00Z", "autumn": "2027-10-31T01:30:00Z"}


def test_icaljs_reader_uses_the_files_vtimezone(tmp_path: Path, read_with_icaljs: ReadIcs) -> None:
    """Negative controls for the fixture: a doctored VTIMEZONE changes ical.js's
    answer, and a TZID without a VTIMEZONE in the file is an error, not a guess."""
    zone = ZoneInfo("Europe/Berlin")
    sessions = [("summer", datetime(2027, 7, 15, 19), zone)]
    ics = _calendar([_build("Europe/Berlin", 2027, 2027)], sessions)
    assert read_with_icaljs(_write(tmp_path, "ok.ics", ics))[0]["start_utc"] == (
        "2027-07-15T17:00:00Z"
    )
    doctored = ics.replace(b"TZOFFSETTO:+0200", b"TZOFFSETTO:+0300")
    assert read_with_icaljs(_write(tmp_path, "doctored.ics", doctored))[0]["start_utc"] == (
        "2027-07-15T16:00:00Z"
    )
    without = _calendar([], sessions)
    with pytest.raises(AssertionError, match="did not resolve to a VTIMEZONE of this file"):
        read_with_icaljs(_write(tmp_path, "without.ics", without))


# --- the date-list problem ---------------------------------------------------------


def _berlin_summers(read: ReadIcs, directory: Path, vtimezone: Timezone) -> dict[int, str]:
    zone = ZoneInfo("Europe/Berlin")
    sessions = [(str(y), datetime(y, 7, 15, 19), zone) for y in (2026, 2027, 2028)]
    events = read(_write(directory, "summers.ics", _calendar([vtimezone], sessions)))
    return {int(e["uid"]): e["start_utc"][11:16] for e in events}


def test_icaljs_reads_date_list_vtimezone_wrongly(
    tmp_path: Path, read_with_icaljs: ReadIcs
) -> None:
    """icalendar's own VTIMEZONE (DTSTART + comma-separated RDATE list) puts
    summer sessions 1 h off in ical.js; the RRULE form of build_vtimezone does not.

    19:00 CEST is 17:00Z.  ical.js 2.2.1 ignores a component's DTSTART once it
    has an RDATE and uses only the first value of each RDATE property.
    """
    zone = ZoneInfo("Europe/Berlin")
    calendar = Calendar()
    event = Event()
    event.add("UID", "summer")
    event.add("DTSTART", datetime(2027, 7, 15, 19, tzinfo=zone))
    calendar.add_component(event)
    calendar.add_missing_timezones()  # the default 1970-2038 date list
    generated = calendar.timezones[0]
    daylight = generated.daylight[0].to_ical().decode()
    assert "DTSTART:19800406T030000" in daylight
    assert "RDATE:19810329T030000,19820328T030000," in daylight
    path = _write(tmp_path, "date_list.ics", calendar.to_ical())
    assert read_with_icaljs(path)[0]["start_utc"] == "2027-07-15T18:00:00Z"  # zoneinfo: 17:00Z

    # The same with a short list: only the first RDATE value (2027) counts.
    short = Timezone.from_tzinfo(zone, "Europe/Berlin", date(2026, 1, 1), date(2028, 12, 31))
    assert "RDATE:20270328T030000,20280326T030000" in short.to_ical().decode()
    assert _berlin_summers(read_with_icaljs, tmp_path, short) == {
        2026: "18:00",
        2027: "17:00",
        2028: "18:00",
    }
    ours = build_vtimezone("Europe/Berlin", *_window(2026, 2028, zone))
    assert _berlin_summers(read_with_icaljs, tmp_path, ours) == {
        2026: "17:00",
        2027: "17:00",
        2028: "17:00",
    }


def test_icaljs_date_list_variants(tmp_path: Path, read_with_icaljs: ReadIcs) -> None:
    """Pins down the two ical.js faults, and that DTSTART-only components
    (our fallback for changes without a yearly rule) are read right."""
    zone = ZoneInfo("Europe/Berlin")
    listed = Timezone.from_tzinfo(zone, "Europe/Berlin", date(2026, 1, 1), date(2028, 12, 31))
    text = listed.to_ical().decode().replace("\r\n ", "")
    # One RDATE property per date: all RDATEs count, DTSTART (2026) still does not.
    split = "\r\n".join(
        "\r\n".join("RDATE:" + v for v in line[6:].split(","))
        if line.startswith("RDATE:")
        else line
        for line in text.split("\r\n")
    )
    summers = _berlin_summers(read_with_icaljs, tmp_path, _parse_vtimezone(split))
    assert summers == {2026: "18:00", 2027: "17:00", 2028: "17:00"}
    # One component per change, DTSTART only: read right.
    per_change = _parse_vtimezone(
        "BEGIN:VTIMEZONE\r\nTZID:Europe/Berlin\r\n"
        + "".join(
            f"BEGIN:{kind}\r\nDTSTART:{y}{md}\r\nTZNAME:{name}\r\n"
            f"TZOFFSETFROM:{frm}\r\nTZOFFSETTO:{to}\r\nEND:{kind}\r\n"
            for y, md, kind, name, frm, to in [
                (2025, "1026T030000", "STANDARD", "CET", "+0200", "+0100"),
                (2026, "0329T020000", "DAYLIGHT", "CEST", "+0100", "+0200"),
                (2026, "1025T030000", "STANDARD", "CET", "+0200", "+0100"),
                (2027, "0328T020000", "DAYLIGHT", "CEST", "+0100", "+0200"),
                (2027, "1031T030000", "STANDARD", "CET", "+0200", "+0100"),
                (2028, "0326T020000", "DAYLIGHT", "CEST", "+0100", "+0200"),
                (2028, "1029T030000", "STANDARD", "CET", "+0200", "+0100"),
            ]
        )
        + "END:VTIMEZONE\r\n"
    )
    summers = _berlin_summers(read_with_icaljs, tmp_path, per_change)
    assert summers == {2026: "17:00", 2027: "17:00", 2028: "17:00"}


# --- shape of the output ---------------------------------------------------------------


def _rrules(vtimezone: Timezone) -> list[str]:
    """The RRULE lines' values, via the text icalendar writes."""
    lines = vtimezone.to_ical().decode().replace("\r\n ", "").split("\r\n")
    return [line.removeprefix("RRULE:") for line in lines if line.startswith("RRULE:")]


def test_representation_per_zone() -> None:
    assert _rrules(_build("Europe/Berlin", 2026, 2028)) == [
        "FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3",
        "FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10",
    ]
    assert _rrules(_build("America/New_York", 2026, 2028)) == [
        "FREQ=YEARLY;BYDAY=2SU;BYMONTH=3",
        "FREQ=YEARLY;BYDAY=1SU;BYMONTH=11",
    ]
    assert _rrules(_build("Asia/Jerusalem", 2026, 2028))[0] == (
        "FREQ=YEARLY;BYDAY=FR;BYMONTHDAY=23,24,25,26,27,28,29;BYMONTH=3"
    )
    assert _rrules(_build("America/Santiago", 2026, 2028)) == [
        "FREQ=YEARLY;BYDAY=SU;BYMONTHDAY=2,3,4,5,6,7,8;BYMONTH=4",
        "FREQ=YEARLY;BYDAY=SU;BYMONTHDAY=2,3,4,5,6,7,8;BYMONTH=9",
    ]
    assert _rrules(_build("America/Sao_Paulo", 2017, 2019)) == [
        "FREQ=YEARLY;UNTIL=20190217T020000Z;BYDAY=3SU;BYMONTH=2",
        "FREQ=YEARLY;UNTIL=20171015T030000Z;BYDAY=3SU;BYMONTH=10",
    ]
    for tz_name in ("Asia/Kolkata", "UTC", "America/Sao_Paulo"):
        (only,) = _build(tz_name, 2026, 2028).subcomponents
        assert only.name == "STANDARD"
        assert "RRULE" not in only
        assert only["TZOFFSETFROM"].to_ical() == only["TZOFFSETTO"].to_ical()
    casablanca = _build("Africa/Casablanca", 2026, 2028)
    assert len(casablanca.subcomponents) > 4
    assert not _rrules(casablanca)


@pytest.mark.parametrize(("tz_name", "first_year", "last_year"), CASES)
def test_components_are_complete_and_start_in_the_from_offset(
    tz_name: str, first_year: int, last_year: int
) -> None:
    zone = ZoneInfo(tz_name)
    vtimezone = _build(tz_name, first_year, last_year)
    assert str(vtimezone["TZID"]) == tz_name
    assert vtimezone.subcomponents
    for component in vtimezone.subcomponents:
        assert {"TZNAME", "TZOFFSETFROM", "TZOFFSETTO", "DTSTART"} <= set(component)
        assert "RDATE" not in component
        onset_wall = component.decoded("DTSTART")
        assert onset_wall.tzinfo is None
        offset_from = component.decoded("TZOFFSETFROM")
        offset_to = component.decoded("TZOFFSETTO")
        onset = (onset_wall - offset_from).replace(tzinfo=UTC)
        # DTSTART is in the 'from' offset: 1 s earlier zoneinfo still shows it.
        assert (onset - timedelta(seconds=1)).astimezone(zone).utcoffset() == offset_from
        assert onset.astimezone(zone).utcoffset() == offset_to
        assert onset.astimezone(zone).tzname() == str(component["TZNAME"])


def test_rejects_naive_and_reversed_ranges() -> None:
    aware = datetime(2026, 1, 1, tzinfo=UTC)
    with pytest.raises(ValueError, match="aware"):
        build_vtimezone("Europe/Berlin", datetime(2026, 1, 1), aware)
    with pytest.raises(ValueError, match="after"):
        build_vtimezone("Europe/Berlin", aware + timedelta(days=1), aware)


# --- determinism ------------------------------------------------------------------------

_DETERMINISM_SCRIPT = """
from datetime import datetime, timezone
from planner.timeline.vtimezone import build_vtimezone
first = datetime(2026, 3, 1, tzinfo=timezone.utc)
last = datetime(2028, 11, 30, tzinfo=timezone.utc)
for name in ("Europe/Berlin", "Asia/Jerusalem", "Africa/Casablanca", "Asia/Kolkata"):
    print(build_vtimezone(name, first, last).to_ical().hex())
"""


def test_same_inputs_give_the_same_bytes() -> None:
    first, last = datetime(2026, 3, 1, tzinfo=UTC), datetime(2028, 11, 30, tzinfo=UTC)
    names = ("Europe/Berlin", "Asia/Jerusalem", "Africa/Casablanca", "Asia/Kolkata")
    here = [build_vtimezone(n, first, last).to_ical() for n in names]
    assert here == [build_vtimezone(n, first, last).to_ical() for n in names]
    # The same instants given in another zone give the same bytes.
    berlin = ZoneInfo("Europe/Berlin")
    assert (
        here[0]
        == build_vtimezone(
            "Europe/Berlin", first.astimezone(berlin), last.astimezone(berlin)
        ).to_ical()
    )
    # And so does another process with another hash seed.
    root = Path(__file__).resolve().parents[1]
    env = {**os.environ, "PYTHONHASHSEED": "12345", "PYTHONPATH": str(root)}
    out = subprocess.run(
        [sys.executable, "-c", _DETERMINISM_SCRIPT],
        capture_output=True,
        text=True,
        check=True,
        env=env,
        cwd=root,
        timeout=60,
    ).stdout.split()
    assert [bytes.fromhex(h) for h in out] == here


# --- property: random instants, random zones ----------------------------------------------

PROPERTY_ZONES = [name for name, first_year, _ in CASES if first_year == 2026] + [
    "Asia/Tehran",
    "America/St_Johns",
    "Pacific/Auckland",
    "Europe/Chisinau",
    "America/Havana",
]
_START = int(datetime(2026, 1, 1, tzinfo=UTC).timestamp())
_END = int(datetime(2029, 1, 1, tzinfo=UTC).timestamp())


@settings(max_examples=5, deadline=None)
@given(
    zones=st.lists(st.sampled_from(PROPERTY_ZONES), min_size=1, max_size=4, unique=True),
    seconds=st.lists(st.integers(_START, _END), min_size=1, max_size=60),
)
def test_random_instants_round_trip(
    read_with_icaljs: ReadIcs, zones: list[str], seconds: list[int]
) -> None:
    """Sessions at random instants in random zones come back as the same instants,
    with the VTIMEZONE built for exactly [first, last] of those instants."""
    instants = [datetime.fromtimestamp(s, UTC) for s in seconds]
    first, last = min(instants), max(instants)
    sessions = []
    for index, instant in enumerate(instants):
        zone = ZoneInfo(zones[index % len(zones)])
        wall = instant.astimezone(zone).replace(tzinfo=None)
        sessions.append((f"{index}", wall, zone))
    ics = _calendar([build_vtimezone(name, first, last) for name in zones], sessions)
    expected = {}
    for uid, wall, zone in sessions:
        fold = 1 if _is_gap_or_fold(wall, zone) else 0
        expected[uid] = (_utc_text(wall.replace(tzinfo=zone, fold=fold)), zone, wall)
    with tempfile.TemporaryDirectory() as directory:
        events = read_with_icaljs(_write(Path(directory), "random.ics", ics))
    assert {e["uid"]: e["start_utc"] for e in events} == {k: v[0] for k, v in expected.items()}
    for uid, tzid, parsed_wall, start in _read_with_icalendar(ics):
        want, zone, wall = expected[uid]
        assert (tzid, parsed_wall) == (zone.key, wall)
        if not _is_gap_or_fold(wall, zone):
            assert _utc_text(start) == want
