"""TaskJuggler 3 as a peer: roadmap + prerequisites + profile -> a .tjp project, and the
bookings of its `export` report -> sessions.

The model is the one a TaskJuggler user would write: one resource (the learner) whose
working hours are the weekly windows, leaves for the blackouts, one task per topic with
`effort` = its hours, `depends` for each prerequisite, every task allocating the learner.
The export report (`taskattributes booking`) lists each task's bookings as intervals,
`2027-01-04-19:00-+0100 + 2.0h`; back-to-back intervals of a task become one session.

TaskJuggler's limits: dates after 2035 are refused ("Year 2036 out of range
(1970 - 2035)"); `timingresolution` must be 5, 10, 15, 20, 30 or 60 min; everything
must fit between the project's start and end, so the end is chosen with a margin.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from collections import defaultdict
from datetime import UTC, date, datetime, time, timedelta, timezone
from pathlib import Path

from bench.instances import Instance
from bench.metrics import Session
from planner.models.fields import DateRange

EXPORT_NAME = "bookings"  # tj3 appends ".tji"
LAST_DAY_TJ3_ACCEPTS = date(2035, 12, 31)
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_BOOKING = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})-(\d{1,2}):(\d{2})(?::(\d{2}))?-([+-])(\d{2})(\d{2})"
    r"\s*\+\s*([\d.]+)\s*(min|h|d|w)"
)
_UNIT = {"min": timedelta(minutes=1), "h": timedelta(hours=1), "d": timedelta(days=1)}
_UNIT["w"] = 7 * _UNIT["d"]


def tj3_executable() -> str | None:
    return shutil.which("tj3")


def tj3_version() -> str:
    executable = tj3_executable()
    if executable is None:
        return "not installed"
    completed = subprocess.run(
        [executable, "--version"], capture_output=True, text=True, check=False
    )
    return completed.stdout.strip() or completed.stderr.strip()


def task_id(topic: str) -> str:
    return "t" + re.sub(r"\W", "_", topic)


def project_end(instance: Instance) -> date:
    """Twice the time the capacity bound needs, plus four weeks: room for a plan that
    wastes time, capped at the last day TaskJuggler accepts."""
    bound = instance.capacity_bound().astimezone(instance.inputs.profile.zone).date()
    return min(bound + (bound - instance.start) + timedelta(days=28), LAST_DAY_TJ3_ACCEPTS)


def tjp_source(instance: Instance, end: date) -> str:
    """The TaskJuggler project for `instance`, scheduled from its start to `end`."""
    profile = instance.inputs.profile
    roadmap = instance.inputs.roadmap
    requirements = instance.requirements
    lines = [
        f'project roadmap "{_quoted(roadmap.title)}" {instance.start} - {end} {{',
        f'  timezone "{profile.timezone}"',
        f"  timingresolution {profile.session.slot_minutes}min",
        f"  now {instance.start}",
        "}",
        'resource learner "Learner" {',
        *(f"  {line}" for line in _working_hours(instance)),
        *(f"  {line}" for line in _leaves(instance, end)),
        "}",
    ]
    for topic in roadmap.topics:  # roadmap order: TaskJuggler's tie-break is file order
        if topic.id not in requirements.minutes:
            continue
        lines.append(f'task {task_id(topic.id)} "{_quoted(topic.title)}" {{')
        lines.append(f"  effort {requirements.minutes[topic.id] / 60:g}h")
        lines.append("  allocate learner")
        before = requirements.prerequisites[topic.id]
        if before:
            lines.append(f"  depends {', '.join(task_id(p) for p in before)}")
        lines.append("}")
    lines += [
        f'export "{EXPORT_NAME}" {{',
        "  definitions -",
        "  taskattributes booking",
        "  hideresource 0",
        "}",
    ]
    return "\n".join(lines) + "\n"


def _quoted(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', "'")


def _working_hours(instance: Instance) -> list[str]:
    """One `workinghours` line per weekday; a past-midnight window is split into its
    evening (to 24:00) and the next morning (from 0:00)."""
    intervals: dict[str, list[tuple[time, time | None]]] = defaultdict(list)  # None = 24:00
    for day_index, day in enumerate(WEEKDAYS):
        for window in instance.inputs.profile.weekly.get(day) or ():
            if not window.crosses_midnight:
                intervals[day].append((window.start, window.end))
                continue
            intervals[day].append((window.start, None))
            if window.end != time(0, 0):
                intervals[WEEKDAYS[(day_index + 1) % 7]].append((time(0, 0), window.end))
    lines = []
    for day in WEEKDAYS:
        if not intervals[day]:
            lines.append(f"workinghours {day} off")
            continue
        ordered = sorted(intervals[day], key=lambda interval: interval[0])
        text = ", ".join(
            f"{start:%H:%M} - {end:%H:%M}" if end else f"{start:%H:%M} - 24:00"
            for start, end in ordered
        )
        lines.append(f"workinghours {day} {text}")
    return lines


def _leaves(instance: Instance, end: date) -> list[str]:
    """Blackouts as holidays, and the planner's edge rules for past-midnight windows: a
    window that starts on a blackout day (or the day before the plan's start) is dropped
    whole, so the morning part after midnight is a holiday too."""
    profile = instance.inputs.profile
    lines = []
    # Public-holiday calendars are not in the bench profiles; only date ranges are.
    for blackout in (b for b in profile.blackouts if isinstance(b, DateRange)):
        first, last = max(blackout.first, instance.start), min(blackout.last, end)
        if first > last:
            continue
        after = _morning_end(instance, last)
        lines.append(f"leaves holiday {first}-00:00 - {last + timedelta(days=1)}-{after:%H:%M}")
    morning = _morning_end(instance, instance.start - timedelta(days=1))
    if morning != time(0, 0):
        lines.append(f"leaves holiday {instance.start}-00:00 - {instance.start}-{morning:%H:%M}")
    return lines


def _morning_end(instance: Instance, day: date) -> time:
    """Where the past-midnight window that starts on `day` ends the next morning."""
    windows = instance.inputs.profile.windows_on(day)
    ends = [window.end for window in windows if window.crosses_midnight]
    return max(ends, default=time(0, 0))


def parse_bookings(text: str, instance: Instance) -> list[Session]:
    """Sessions from the export's `supplement task <id> { booking ... }` blocks, with
    back-to-back bookings of one task merged."""
    topic_of = {task_id(topic): topic for topic in instance.requirements.minutes}
    zone = instance.inputs.profile.zone
    intervals: list[tuple[str, datetime, datetime]] = []
    for block in re.finditer(r"supplement task (\S+) \{(.*?)\n\}", text, re.DOTALL):
        topic = topic_of.get(block.group(1))
        if topic is None:
            continue
        for match in _BOOKING.finditer(block.group(2)):
            year, month, day, hour, minute, second, sign, off_h, off_m, amount, unit = (
                match.groups()
            )
            offset = timedelta(hours=int(off_h), minutes=int(off_m)) * (-1 if sign == "-" else 1)
            start = datetime(
                int(year),
                int(month),
                int(day),
                int(hour),
                int(minute),
                int(second or 0),
                tzinfo=timezone(offset),
            ).astimezone(UTC)
            end = start + float(amount) * _UNIT[unit]
            intervals.append((topic, start, end))
    intervals.sort(key=lambda interval: interval[1])
    merged: list[tuple[str, datetime, datetime]] = []
    for topic, start, end in intervals:
        if merged and merged[-1][0] == topic and merged[-1][2] == start:
            merged[-1] = (topic, merged[-1][1], end)
        else:
            merged.append((topic, start, end))
    return [
        Session(topic, start.astimezone(zone), end.astimezone(zone)) for topic, start, end in merged
    ]


def tj3_command(project_file: Path) -> list[str]:
    """The command that schedules `project_file`. Run it in the file's folder: tj3 writes
    `export` reports to the working directory (its `-o` option does not apply to them)."""
    executable = tj3_executable() or "tj3"
    return [executable, "--silent", "--no-color", project_file.name]
