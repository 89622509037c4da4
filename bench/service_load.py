"""The service under load, on loopback: 100,000 stored plans, their feeds polled by many
concurrent clients (wrk, each request a random plan's feed), and a burst of 50 re-plans
in the middle of it, on SQLite and PostgreSQL, with one and two worker processes.

`python -m bench.service_load` measures and replaces its section of bench/RESULTS.md
(`python -m bench` runs it too). Bounded: fixed durations, loopback only, a temporary
database (and a temporary PostgreSQL server) removed afterwards.
"""

from __future__ import annotations

import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import httpx

from api.settings import Settings
from bench.instances import Instance
from bench.measure import temporary_folder
from bench.report import write_section
from bench.service_seed import SeededPlan, seed
from bench.wrk_load import (
    CONNECTIONS,
    MODES,
    THREADS,
    WRK_SCRIPT,
    WrkResult,
    parse_wrk,
    run_wrk,
    start_wrk,
)
from tests.postgres_cluster import TemporaryPostgres, free_port

PLANS, SECONDS, BURST = 100_000, 15, 50
# Feeds during the burst: a steady 200 requests/s (each connection waits 160 ms between
# requests), 20 times what 100,000 learners' calendar apps send polling every 3 hours.
BURST_FEED_DELAY_MS = 160


@dataclass(frozen=True)
class Served:
    base_url: str
    feeds_file: Path
    script: Path
    owners: list[SeededPlan]


def service_load_section(
    instances: list[Instance], plans: int = PLANS, seconds: float = SECONDS
) -> list[str]:
    """The Markdown section: feed throughput and latency, and the burst; or why not."""
    if shutil.which("wrk") is None:
        return ["`wrk` is not installed (`apt-get install wrk`); not measured.", ""]
    profiles = [each for each in instances if not each.name.startswith("synthetic")]
    feeds, bursts, loads = [], [], []
    for backend in ("SQLite", "PostgreSQL"):
        with _database(backend) as (settings, folder):
            print(f"bench: seeding {plans} plans on {backend} ...", file=sys.stderr, flush=True)
            seeded = seed(settings, profiles, plans, date.today())
            for workers in (1, 2):
                print(f"bench: {backend}, {workers} worker(s) ...", file=sys.stderr, flush=True)
                loads.append(os.getloadavg()[0])
                with _serving(settings, folder, workers, seeded) as served:
                    for mode in MODES:
                        feeds.append(
                            (
                                backend,
                                workers,
                                mode,
                                run_wrk(
                                    served.base_url, served.script, served.feeds_file, mode, seconds
                                ),
                            )
                        )
                    bursts.append((backend, workers, _burst(served)))
    return _markdown(feeds, bursts, plans, seconds, loads)


@contextmanager
def _database(backend: str) -> Iterator[tuple[Settings, Path]]:
    folder = Path(tempfile.mkdtemp(prefix="bench-service-"))
    try:
        if backend == "SQLite":
            yield Settings(data_dir=folder / "data"), folder
            return
        server = TemporaryPostgres.start(settings=("shared_buffers=256MB",))
        try:
            yield Settings(data_dir=folder, database_url=server.new_database()), folder
        finally:
            server.stop()
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@contextmanager
def _serving(
    settings: Settings, folder: Path, workers: int, seeded: list[SeededPlan]
) -> Iterator[Served]:
    """`planner serve --workers N` on the seeded database, as an operator starts it."""
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    environment = {**os.environ, "PLANNER_DATA_DIR": str(settings.data_dir),
                   "PLANNER_PUBLIC_URL": base_url}  # fmt: skip
    if settings.database_url:
        environment["PLANNER_DATABASE_URL"] = settings.database_url
    feeds_file, script, log = folder / "feeds.txt", folder / "feeds.lua", folder / "serve.log"
    feeds_file.write_text("".join(f"/feeds/{p.feed_token}.ics {p.calendar_etag}\n" for p in seeded))
    script.write_text(WRK_SCRIPT)
    command = [sys.executable, "-m", "planner", "serve", "--port", str(port),
               "--workers", str(workers)]  # fmt: skip
    with log.open("w") as sink:
        server = subprocess.Popen(command, env=environment, stdout=sink, stderr=subprocess.STDOUT)
    try:
        _wait_for(log, server, "Application startup complete", workers)
        yield Served(base_url, feeds_file, script, seeded[:BURST])
    finally:
        server.send_signal(signal.SIGINT)
        server.wait(timeout=60)


def _wait_for(log: Path, server: subprocess.Popen[bytes], text: str, times: int) -> None:
    for _ in range(1200):
        if log.read_text().count(text) >= times:
            return
        if server.poll() is not None:
            break
        time.sleep(0.1)
    raise RuntimeError(f"planner serve did not start:\n{log.read_text()[-3000:]}")


@dataclass(frozen=True)
class BurstResult:
    seconds: float
    busy_answers: int
    failures: int
    replan_p50_s: float
    replan_p99_s: float
    health_ms: list[float]
    feeds: WrkResult


def _burst(served: Served) -> BurstResult:
    """50 re-plans at once (each retried after Retry-After when the service is busy)
    while wrk polls feeds (304s) at a steady rate and /health is asked every 50 ms."""
    with httpx.Client(base_url=served.base_url, timeout=120) as http:
        for plan in served.owners:  # each re-plan changes its calendar
            http.post(f"/plans/{plan.plan_id}/progress", headers=_owner(plan),
                      json={"done": ["1"]}).raise_for_status()  # fmt: skip
    feeds = start_wrk(
        served.base_url, served.script, served.feeds_file, "304", 600, BURST_FEED_DELAY_MS
    )
    time.sleep(3)
    done = threading.Event()
    health_ms: list[float] = []
    poller = threading.Thread(target=_poll_health, args=(served.base_url, done, health_ms))
    poller.start()
    started = time.perf_counter()
    with ThreadPoolExecutor(BURST) as pool:
        outcomes = list(pool.map(lambda plan: _replan(served.base_url, plan), served.owners))
    seconds = time.perf_counter() - started
    done.set()
    poller.join()
    feeds.send_signal(signal.SIGINT)
    durations = sorted(duration for duration, _, ok in outcomes if ok)
    return BurstResult(
        seconds=seconds,
        busy_answers=sum(busy for _, busy, _ in outcomes),
        failures=sum(not ok for _, _, ok in outcomes),
        replan_p50_s=statistics.median(durations) if durations else float("nan"),
        replan_p99_s=_percentile(durations, 99),
        health_ms=health_ms,
        feeds=parse_wrk(feeds.communicate()[0]),
    )


def _replan(base_url: str, plan: SeededPlan) -> tuple[float, int, bool]:
    """(seconds until it landed, 503s on the way, whether it landed)."""
    started, busy = time.perf_counter(), 0
    with httpx.Client(base_url=base_url, timeout=120) as http:
        for _ in range(100):
            response = http.post(f"/plans/{plan.plan_id}/replan", headers=_owner(plan))
            if response.status_code != 503 or "Retry-After" not in response.headers:
                return time.perf_counter() - started, busy, response.status_code == 200
            busy += 1
            time.sleep(float(response.headers["Retry-After"]))
    return time.perf_counter() - started, busy, False


def _poll_health(base_url: str, done: threading.Event, latencies: list[float]) -> None:
    with httpx.Client(base_url=base_url, timeout=60) as http:
        while not done.wait(0.05):
            started = time.perf_counter()
            http.get("/health").raise_for_status()
            latencies.append((time.perf_counter() - started) * 1000)


def _owner(plan: SeededPlan) -> dict[str, str]:
    return {"Authorization": f"Bearer {plan.owner_token}"}


def _percentile(values: list[float], percent: int) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(percent / 100 * (len(ordered) - 1)))]


def _markdown(
    feeds: list[tuple[str, int, str, WrkResult]],
    bursts: list[tuple[str, int, BurstResult]],
    plans: int,
    seconds: float,
    loads: list[float],
) -> list[str]:
    # The machine may be shared: what else ran is part of the figures.
    load = ", ".join(f"{each:.1f}" for each in loads)
    lines = [
        f"{plans:,} stored plans (the {len(MODES)} request kinds below ask for random ones); "
        f"wrk with {CONNECTIONS} connections ({THREADS} threads) for {seconds:g} s each, on "
        "the same machine over loopback; `planner serve --workers N` with default "
        "settings (2 solves at a time per worker, 8 waiting). PostgreSQL: a local "
        "throwaway cluster with fsync off. Load average (1 min) as each of the four "
        f"servers started: {load}.",
        "",
        "| Database | Workers | Request | Requests/s | p50 ms | p99 ms | Errors |",
        "|---|--:|---|--:|--:|--:|--:|",
    ]
    for backend, workers, mode, result in feeds:
        lines.append(f"| {backend} | {workers} | {MODES[mode]} | {result.rate:,.0f} | "
                     f"{result.p50_ms:.1f} | {result.p99_ms:.1f} | {result.errors} |")  # fmt: skip
    lines += [
        "",
        f"A burst of {BURST} re-plans at once (each retried after `Retry-After` while the "
        "service is busy), while wrk polls feeds (304s) at a steady "
        f"{CONNECTIONS * 1000 // BURST_FEED_DELAY_MS} requests/s and `/health` is asked every "
        "50 ms:",
        "",
        "| Database | Workers | All re-plans done, s | 503 answers | Re-plan p50 / p99 s | "
        "/health p50 / p99 / max ms | Feeds meanwhile: req/s, p99 ms |",
        "|---|--:|--:|--:|--:|--:|--:|",
    ]
    for backend, workers, burst in bursts:
        health = burst.health_ms
        lines.append(
            f"| {backend} | {workers} | {burst.seconds:.1f} | {burst.busy_answers} | "
            f"{burst.replan_p50_s:.1f} / {burst.replan_p99_s:.1f} | "
            f"{statistics.median(health):.1f} / {_percentile(health, 99):.1f} / "
            f"{max(health):.1f} | {burst.feeds.rate:,.0f}, {burst.feeds.p99_ms:.0f} |"
            + (f" ({burst.failures} re-plans failed)" if burst.failures else "")
        )
    return [*lines, "", *_against_targets(feeds, bursts), ""]


# The targets on a 2-core machine: one worker's req/s by request kind, p99 ms.
TARGET_RATES, TARGET_P99_MS = {"304": 1_000, "gzip": 500, "identity": 500}, 100


def _against_targets(
    feeds: list[tuple[str, int, str, WrkResult]], bursts: list[tuple[str, int, BurstResult]]
) -> list[str]:
    """One line per target: met or missed, and by what figure."""

    def verdict(met: bool) -> str:
        return "met" if met else "**missed**"

    lines = [f"Against the targets (one worker: ≥ 1,000 req/s for 304s, ≥ 500 for full "
             f"feeds, p99 under {TARGET_P99_MS} ms; /health p99 under {TARGET_P99_MS} ms "
             "during the burst):", ""]  # fmt: skip
    for backend, workers, mode, result in feeds:
        if workers == 1:
            met = result.rate >= TARGET_RATES[mode] and result.p99_ms < TARGET_P99_MS
            lines.append(f"- {backend}, {MODES[mode]}: {verdict(met)} ({result.rate:,.0f} "
                         f"req/s, p99 {result.p99_ms:.0f} ms)")  # fmt: skip
    for backend, workers, burst in bursts:
        p99 = _percentile(burst.health_ms, 99)
        lines.append(f"- {backend}, {workers} worker(s), /health during the burst: "
                     f"{verdict(p99 < TARGET_P99_MS)} (p99 {p99:.0f} ms)")  # fmt: skip
    return lines


SECTION = "## The service under load"
MARKER = "service"  # write_section's name for it


def main(argv: list[str] | None = None) -> int:
    """Measure, print, and replace this section of bench/RESULTS.md."""
    import argparse

    from bench.__main__ import RESULTS_PATH
    from bench.instances import load_instances

    parser = argparse.ArgumentParser(prog="python -m bench.service_load", description=__doc__)
    parser.add_argument("--plans", type=int, default=PLANS, help="plans stored")
    parser.add_argument("--seconds", type=float, default=SECONDS, help="each wrk run")
    parser.add_argument("--dry-run", action="store_true", help="print, leave RESULTS.md")
    arguments = parser.parse_args(argv)
    instances = load_instances(temporary_folder("bench-"))
    lines = service_load_section(instances, arguments.plans, arguments.seconds)
    print("\n".join(lines))
    if arguments.dry_run:
        return 0
    write_section(RESULTS_PATH, MARKER, [SECTION, "", *lines])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
