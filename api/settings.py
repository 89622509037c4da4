"""Settings from the environment (prefix PLANNER_), read once per process through
`get_settings()`, which tests override. Every limit the service enforces is one of them,
with a default that suits one small machine."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from planner.models.fields import MAX_WINDOWS_PER_WEEK


class Settings(BaseSettings):
    """Every knob of the service; each is an environment variable PLANNER_<NAME>."""

    model_config = SettingsConfigDict(env_prefix="PLANNER_", extra="ignore")

    data_dir: Path = Field(
        default=Path("planner-data"), description="Folder of the SQLite database."
    )
    database_url: str | None = Field(
        default=None,
        description="Any SQLAlchemy URL (postgresql+psycopg://...); default: SQLite in "
        "data_dir (WAL mode).",
    )
    public_url: str = Field(
        default="http://127.0.0.1:8000",
        description="Base URL the feed links are built on (https://... behind a proxy).",
    )
    # --- what one request may cost ------------------------------------------------------
    solve_timeout_seconds: float = Field(
        default=60,
        gt=0,
        description="A plan or re-plan (waiting for its turn, solving and writing the "
        "calendar) that takes longer is stopped: 503.",
    )
    solve_memory_mb: int = Field(
        default=1024, ge=256, description="Address-space limit of one planning process."
    )
    solve_niceness: int = Field(
        default=10,
        ge=0,
        le=19,
        description="CPU priority of planning processes (nice): feeds and /health run first.",
    )
    max_sessions_per_plan: int = Field(
        default=2000, ge=1, description="A plan with more study sessions is refused: 422."
    )
    max_windows_per_week: int = Field(
        default=50,
        ge=1,
        le=MAX_WINDOWS_PER_WEEK,
        description="A stricter limit than the planner's own (profile.MAX_WINDOWS_PER_WEEK).",
    )
    max_blackouts: int = Field(default=200, ge=0)
    max_own_topics: int = Field(
        default=300, ge=1, description="Topics in a roadmap a learner brings (own_roadmap)."
    )
    max_missed_ranges: int = Field(
        default=100, ge=0, description="Missed ranges kept in a plan's progress (merged)."
    )
    max_extra_study: int = Field(
        default=1000,
        ge=0,
        description="Records of study outside the plan kept in a plan's progress.",
    )
    max_days_ahead: int = Field(
        default=31,
        ge=0,
        description="How far after today an as_of may lie (a later one is a typo: 422).",
    )
    max_body_bytes: int = Field(default=256 * 1024, ge=1024)
    # --- how much runs at once, per worker process -----------------------------------------
    max_concurrent_solves: int = Field(
        default=2, ge=1, description="Planning processes running at once (per worker)."
    )
    max_queued_solves: int = Field(
        default=8,
        ge=0,
        description="Plans and re-plans waiting for a planning process; past it: 503 "
        "with Retry-After.",
    )
    feed_threads: int = Field(
        default=8, ge=1, description="Threads that serve feeds (their own, never solves')."
    )
    feed_cache_mb: int = Field(
        default=64, ge=0, description="Feed bodies kept in memory per worker (0: none)."
    )
    min_free_disk_mb: int = Field(
        default=64,
        ge=0,
        description="SQLite: /health reports the database not writable below this.",
    )
    # Busy calendars (profile.busy): fetched by URL, checked, refreshed on a schedule.
    busy_max_sources: int = Field(default=5, ge=0, description="Busy calendars per plan.")
    busy_max_bytes: int = Field(default=20 * 1024 * 1024, ge=1024)
    busy_timeout_seconds: float = Field(default=20, gt=0, description="Per fetch, in all.")
    busy_max_redirects: int = Field(default=5, ge=0)
    busy_fetch_threads: int = Field(
        default=4,
        ge=1,
        description="Threads that fetch busy calendars for requests (per worker): a plan's "
        "first fetch and POST .../busy/refresh.",
    )
    busy_fetch_queue: int = Field(
        default=4,
        ge=0,
        description="Requests waiting for a fetch thread; past it: 503 with Retry-After.",
    )
    busy_fetches_per_client: int = Field(
        default=2,
        ge=1,
        description="Requests of one client address fetching at once (per worker); past "
        "it: 503 with Retry-After.",
    )
    busy_refresh_minutes: float = Field(
        default=360, gt=0, description="How often each busy calendar is fetched again."
    )
    busy_refresh_check_seconds: float = Field(
        default=60, ge=0, description="How often the service looks for calendars due (0: never)."
    )
    busy_allowed_networks: list[str] = Field(
        default=[],
        description="Networks (CIDR) reachable although not public, e.g. 127.0.0.1/32 for "
        "tests; loopback, private, link-local and multicast addresses are refused otherwise.",
    )
    # A plan's own CalDAV calendar (PUT /plans/{id}/calendar): pushed after every re-plan,
    # pulled on the busy refresh's schedule.
    secret_key: SecretStr | None = Field(
        default=None,
        description="Fernet key(s) that encrypt the calendar passwords the service keeps "
        "(comma-separated: the first encrypts, every one decrypts, for rotation); without "
        'it the service keeps no calendar target (503). Make one: python -c "from '
        'cryptography.fernet import Fernet; print(Fernet.generate_key().decode())"',
    )
    caldav_sync_minutes: float = Field(
        default=30,
        ge=0,
        description="How often each plan's CalDAV calendar is read back for what the learner "
        "moved or deleted (0: only on request).",
    )
    caldav_sync_seconds: float = Field(
        default=60,
        gt=0,
        le=300,
        description="How long the requests of one read or one write of a CalDAV calendar may "
        "take in all (a slow server's too); past it the push or pull fails and is kept on "
        "the target. Well under the 15-minute hold of a target, so two hosts never sync one.",
    )
    caldav_failing_hours: float = Field(
        default=24,
        ge=0,
        description="/health counts a CalDAV calendar that has failed for this long.",
    )

    @property
    def sqlalchemy_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'planner.sqlite3').resolve()}"


@lru_cache
def get_settings() -> Settings:
    return Settings()
