"""RESULTS.md: the machine, the versions, one table per instance and the ratios."""

from __future__ import annotations

import os
import platform
import re
from collections.abc import Sequence
from datetime import datetime
from importlib.metadata import version
from pathlib import Path

from bench.instances import REPOSITORY, Instance
from bench.metrics import study_order_inversions
from bench.planners import PlannerResult
from bench.tj3 import tj3_version

RERUN = "python -m bench [--runs N]"


def machine_lines() -> list[str]:
    cpu = "unknown"
    memory = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                memory = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
                break
    except OSError:
        pass
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return [
        f"- Machine: {cpus} CPUs (nproc), {cpu}, {memory} RAM, {platform.system()} "
        f"{platform.release()}",
        f"- Versions: Python {platform.python_version()}, ortools {version('ortools')}, "
        f"roadmap-planner {version('roadmap-planner')}, {tj3_version()}",
        f"- Date: {datetime.now().astimezone():%Y-%m-%d %H:%M %Z}",
    ]


def _number(value: float | None, digits: int = 2) -> str:
    return "—" if value is None or value != value else f"{value:.{digits}f}"


def _ratio(ours: float | None, peer: float | None) -> str:
    if ours is None or peer is None or ours != ours or peer != peer:
        return "—"
    if peer == 0:
        return "—" if ours == 0 else "∞"
    return f"{ours / peer:.2f}"


def instance_table(instance: Instance, results: Sequence[PlannerResult]) -> list[str]:
    profile = instance.inputs.profile
    bound = instance.capacity_bound().astimezone(profile.zone)
    lines = [
        f"### {instance.name} (`{instance.profile_path.relative_to(REPOSITORY)}`)",
        "",
        f"{profile.timezone}, from {instance.start}; {instance.total_minutes / 60:g} h in "
        f"{len(instance.requirements.minutes)} topics; sessions {profile.session.min_minutes}-"
        f"{profile.session.max_minutes} min in {profile.session.slot_minutes}-min slots. "
        f"Capacity bound: **{bound:%a %Y-%m-%d %H:%M}**. The study order itself has "
        f"{study_order_inversions(instance)} inversions (forced by prerequisites).",
        "",
        "| Planner | Finish | Wasted h | Sessions | Events | Shared windows | Short | "
        "Inversions | Violations | Wall s | Peak RSS MB | In-process s |",
        "|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|",
    ]
    for result in results:
        cost = (
            f"{_number(result.seconds)} | {_number(result.peak_rss_mb, 0)} | "
            f"{_number(result.in_process_seconds, 4)}"
        )
        if result.score is None:
            error = (result.error or "no result").replace("|", "\\|")
            lines.append(f"| {result.planner} | error: {error} | | | | | | | | {cost} |")
            continue
        s = result.score
        finish = f"{s.finish:%a %Y-%m-%d %H:%M}" if s.finish else "—"
        lines.append(
            f"| {result.planner} | {finish} | {s.wasted_hours:g} | {s.sessions} | {s.events} | "
            f"{s.shared_windows} | {s.short_sessions} | {s.inversions} | "
            f"{len(s.violations)} | {cost} |"
        )
    notes = [
        f"- {result.planner}: {len(result.score.violations)} violations, e.g. "
        + "; ".join(result.score.violations[:3])
        for result in results
        if result.score is not None and result.score.violations
    ]
    notes += [
        f"- {result.planner} said: {result.details['messages']}"
        for result in results
        if result.details.get("messages") and result.score is not None
    ]
    return [*lines, *(["", *notes] if notes else []), ""]


def ratio_table(rows: Sequence[tuple[Instance, dict[str, PlannerResult]]]) -> list[str]:
    lines = [
        "| Instance | Wall ours/tj3 | RSS ours/tj3 | Sessions ours/tj3 | Shared ours/tj3 | "
        "Sessions ours/greedy | Shared ours/greedy | In-process ours/greedy |",
        "|---|--:|--:|--:|--:|--:|--:|--:|",
    ]
    for instance, by_name in rows:
        ours, tj3, greedy = by_name["ours"], by_name["tj3"], by_name["greedy"]

        def metric(result: PlannerResult, name: str) -> float | None:
            return None if result.score is None else float(getattr(result.score, name))

        lines.append(
            f"| {instance.name} | {_ratio(ours.seconds, tj3.seconds)} | "
            f"{_ratio(ours.peak_rss_mb, tj3.peak_rss_mb)} | "
            f"{_ratio(metric(ours, 'sessions'), metric(tj3, 'sessions'))} | "
            f"{_ratio(metric(ours, 'shared_windows'), metric(tj3, 'shared_windows'))} | "
            f"{_ratio(metric(ours, 'sessions'), metric(greedy, 'sessions'))} | "
            f"{_ratio(metric(ours, 'shared_windows'), metric(greedy, 'shared_windows'))} | "
            f"{_ratio(ours.in_process_seconds, greedy.in_process_seconds)} |"
        )
    return lines


def _same_plan(details: dict[str, object]) -> str:
    if "in_process_error" in details:
        return f"error: {details['in_process_error']}"
    return "yes" if details.get("deterministic") else "NO"


def solver_table(rows: Sequence[tuple[Instance, dict[str, PlannerResult]]]) -> list[str]:
    lines = [
        "| Instance | Status | Solver sessions | Lower bound | Sessions / bound | "
        "List schedule | Finish = bound | Same plan in-process |",
        "|---|---|--:|--:|--:|--:|---|---|",
    ]
    for instance, by_name in rows:
        details = by_name["ours"].details
        if "status" not in details:
            lines.append(f"| {instance.name} | error | | | | | | |")
            continue
        sessions, bound = details.get("sessions"), details.get("sessions_lower_bound")
        ratio = _ratio(float(sessions), float(bound)) if sessions and bound else "—"
        reached = details.get("finish") == details.get("lower_bound_finish")
        lines.append(
            f"| {instance.name} | {details['status']} | {sessions} | {bound} | {ratio} | "
            f"{details.get('list_schedule_sessions', '—')} | {'yes' if reached else 'no'} | "
            f"{_same_plan(details)} |"
        )
    return lines


def order_table(rows: Sequence[tuple[Instance, dict[str, PlannerResult]]]) -> list[str]:
    """Our plan's order (the default mode) and what the other modes give, from the plan's
    own `order` report: sessions and inversions of the reference order ("—" where a mode
    was not solved)."""
    lines = [
        "| Instance | Mode | Inversions / pairs | Largest shift | "
        "Sessions: roadmap / balanced / free | Inversions: roadmap / balanced / free |",
        "|---|---|--:|--:|--:|--:|",
    ]
    for instance, by_name in rows:
        order = by_name["ours"].details.get("order")
        if not isinstance(order, dict) or "mode" not in order:
            lines.append(f"| {instance.name} | — | | | | |")
            continue
        sessions = {order["mode"]: by_name["ours"].details.get("sessions")}
        inverted = {order["mode"]: order["inversions"]}
        for other in order.get("alternatives", []):
            sessions[other["mode"]], inverted[other["mode"]] = (
                other["sessions"],
                other["inversions"],
            )
        for mode in order.get("unbeatable_by", []):
            # Not solved: the plan is at both bounds, and no mode's plan is worse than the
            # mode it starts from, so it has as many sessions; its inversions are unknown.
            sessions[mode] = sessions[order["mode"]]
        modes = ("roadmap", "balanced", "free")
        lines.append(
            f"| {instance.name} | {order['mode']} | {order['inversions']} / {order['pairs']} | "
            f"{order['largest_shift']} | {' / '.join(str(sessions.get(m, '—')) for m in modes)} | "
            f"{' / '.join(str(inverted.get(m, '—')) for m in modes)} |"
        )
    return lines


def marker(name: str) -> tuple[str, str]:
    """The comments around a section that its own benchmark writes (`python -m bench.X`)."""
    return f"<!-- {name}: begin -->", f"<!-- {name}: end -->"


def write_section(path: Path, name: str, lines: Sequence[str]) -> str:
    """Put `lines` between the section's markers in `path` (appended if it has none yet),
    leaving the rest of the file alone; returns the section."""
    begin, end = marker(name)
    section = "\n".join([begin, *lines, end])
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    if begin in text and end in text:
        text = text[: text.index(begin)] + section + text[text.index(end) + len(end) :]
    else:
        text = text.rstrip("\n") + "\n\n" + section + "\n"
    path.write_text(text, encoding="utf-8")
    return section


def kept_sections(path: Path) -> list[str]:
    """The marked sections of `path` (those other benchmarks write), to keep when the
    main benchmark rewrites the file."""
    if not path.exists():
        return []
    text = path.read_text(encoding="utf-8")
    sections = []
    for match in re.finditer(r"<!-- ([\w-]+): begin -->", text):
        end = marker(match[1])[1]
        if end in text[match.start() :]:
            sections.append(text[match.start() : text.index(end, match.start()) + len(end)])
    return sections
