"""/plans: create a plan, read it, record progress, re-plan, rotate the feed, delete."""

from __future__ import annotations

from datetime import datetime
from functools import partial
from typing import Annotated, Any

from fastapi import APIRouter, Header, Response, status

from api import repository
from api.busy import busy_files, check_busy_sources, first_fetch, source_status
from api.busy_change import busy_for_replan
from api.calendar_target import push_plan
from api.capacity import solve_limits
from api.deps import (
    BusyFetchesDep,
    NowDep,
    OwnedPlanDep,
    SessionDep,
    SettingsDep,
    SolveGateDep,
)
from api.http import StrictJSONRoute, check_if_match, none_match
from api.limits import changed_profile, check_as_of, check_profile, check_progress
from api.own_roadmap import read_own_roadmap
from api.progress import (
    check_progress_against_plan,
    learner_today,
    merge_progress,
    plan_to_replan,
    progress_of,
    reading_fields,
)
from api.routes.roadmaps import RoadmapPublic, public_roadmap, roadmap_public
from api.schemas import (
    PlanChangesPublic,
    PlanCreate,
    PlanCreated,
    PlanPublic,
    PlanRename,
    ReplanFrom,
    ReplanPublic,
    ReplanRequest,
    documented,
)
from api.settings import Settings
from api.solving import (
    RoadmapSource,
    Solved,
    bundled_roadmaps,
    plan_within,
    record_source,
    replan_within,
)
from api.tables import PlanRecord
from planner.models.pace import LEARNED
from planner.models.plan import Plan
from planner.models.profile import Profile
from planner.models.progress import Progress

OWNED = documented(404, 413)
WRITES = documented(404, 409, 412, 413, 503, 507)  # 503 and 507: see api.errors
SOLVES = WRITES  # and 503 when every planning process is busy or the time is up
router = APIRouter(prefix="/plans", tags=["plans"], route_class=StrictJSONRoute)
IfMatch = Annotated[
    str | None,
    Header(description="The ETag you read; the write is refused (412) if the plan changed."),
]


def etag_of(record: PlanRecord) -> str:
    # Strong: If-Match compares strongly (RFC 9110), and the version names one state.
    return f'"v{record.version}"'


def _answer(
    record: PlanRecord, settings: Settings, response: Response, now: datetime, **extra: Any
) -> PlanPublic:
    response.headers["ETag"] = etag_of(record)
    return PlanPublic.from_record(
        record, settings.public_url, **reading_fields(record, now), **extra
    )


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=PlanCreated,
    responses=documented(413, 503, 507),
)
def create_plan(
    body: PlanCreate,
    session: SessionDep,
    settings: SettingsDep,
    gate: SolveGateDep,
    fetches: BusyFetchesDep,
    clock: NowDep,
    response: Response,
) -> PlanCreated:
    """Plan the roadmap for a profile. The answer holds the owner token (shown once)
    and the feed links to subscribe to."""
    limits = solve_limits(settings)
    check_profile(body.profile, settings)
    check_busy_sources(body.profile, settings)
    plan_id = repository.new_plan_id()
    sources = []
    if body.profile.busy:  # fetched by the pool's threads: a hanging server holds few
        fetch = partial(first_fetch, plan_id, body.profile, settings, repository.now())
        sources = fetches.run(fetch)
    busy = busy_files(body.profile, ((source.position, source.body) for source in sources))
    source: RoadmapSource = body.roadmap
    if body.own_roadmap is not None:
        bundled = set(bundled_roadmaps())
        source = read_own_roadmap(body.own_roadmap, bundled, settings.max_own_topics)
    with gate.turn(limits.deadline, limits.timeout_seconds):
        solved = plan_within(body.profile, source, clock, limits, plan_id=plan_id, busy=busy)
    record, secrets = repository.create_plan(
        session,
        plan_id=plan_id,
        roadmap_id=solved.plan.roadmap,
        name=body.name,
        profile_json=body.profile.model_dump_json(by_alias=True),
        plan_json=solved.plan.model_dump_json(),
        calendar_gzip=solved.calendar_gzip,
        calendar_etag=solved.calendar_etag,
        busy_sources=sources,
    )
    response.headers["Location"] = f"/plans/{record.id}"
    response.headers["ETag"] = etag_of(record)
    return PlanCreated.from_record(
        record,
        settings.public_url,
        owner_token=secrets.owner_token,
        warnings=solved.warnings,
        busy_sources=source_status(sources),
    )


@router.get("/{plan_id}/roadmap", response_model=RoadmapPublic, responses=OWNED)
def read_plan_roadmap(record: OwnedPlanDep) -> RoadmapPublic:
    """The roadmap the plan is planned with: the bundled one (as this release has it),
    or the learner's own; sections, topics and prerequisite edges, as /roadmaps/{id}."""
    source = record_source(record)
    if isinstance(source, str):
        return roadmap_public(source)
    return public_roadmap(*source)


@router.get("/{plan_id}", response_model=PlanPublic, responses={**OWNED, 304: {}})
def read_plan(
    record: OwnedPlanDep,
    session: SessionDep,
    settings: SettingsDep,
    clock: NowDep,
    response: Response,
    if_none_match: Annotated[str | None, Header()] = None,
) -> PlanPublic | Response:
    """The plan, its profile, the progress recorded so far, where a re-plan now would
    start, the feed links and how each busy calendar was last read (304 when
    If-None-Match names its current ETag)."""
    if if_none_match is not None and none_match(if_none_match, etag_of(record)):
        return Response(status_code=304, headers={"ETag": etag_of(record)})
    sources = repository.busy_sources_of(session, plan_id=record.id)
    return _answer(record, settings, response, clock, busy_sources=source_status(sources))


@router.post("/{plan_id}/progress", response_model=PlanPublic, responses=WRITES)
def record_progress(
    body: Progress,
    record: OwnedPlanDep,
    session: SessionDep,
    settings: SettingsDep,
    clock: NowDep,
    response: Response,
    if_match: IfMatch = None,
) -> PlanPublic:
    """Add to the progress recorded so far: sessions done, done for N minutes or missed
    (a session's new record replaces its old one), topics done (with the hours they
    took) or skipped, hours so far, missed days (ranges that overlap or touch are
    merged), study outside the plan. Nothing is re-planned until you ask (POST
    .../replan); `replan_from` says where that would start."""
    check_if_match(if_match, etag_of(record))
    progress = merge_progress(progress_of(record), body)
    return _save_progress(progress, record, session, settings, clock, response)


@router.put("/{plan_id}/progress", response_model=PlanPublic, responses=WRITES)
def replace_progress(
    body: Progress,
    record: OwnedPlanDep,
    session: SessionDep,
    settings: SettingsDep,
    clock: NowDep,
    response: Response,
    if_match: IfMatch = None,
) -> PlanPublic:
    """Replace the progress recorded so far (to correct it; `{}` clears it). A re-plan
    after a correction to an earlier as_of undoes a re-plan made from a later day."""
    check_if_match(if_match, etag_of(record))
    progress = merge_progress(None, body)
    return _save_progress(progress, record, session, settings, clock, response)


def _save_progress(
    progress: Progress,
    record: PlanRecord,
    session: SessionDep,
    settings: Settings,
    clock: datetime,
    response: Response,
) -> PlanPublic:
    check_progress(progress, settings, learner_today(record, clock))
    check_progress_against_plan(record, progress, clock)
    record = repository.update_plan(
        session,
        record=record,
        expected_version=record.version,
        progress_json=progress.model_dump_json(by_alias=True),
    )
    return _answer(record, settings, response, clock)


@router.post("/{plan_id}/replan", response_model=ReplanPublic, responses=SOLVES)
def replan_plan(
    record: OwnedPlanDep,
    session: SessionDep,
    settings: SettingsDep,
    gate: SolveGateDep,
    fetches: BusyFetchesDep,
    clock: NowDep,
    response: Response,
    body: ReplanRequest | None = None,
    if_match: IfMatch = None,
) -> ReplanPublic:
    """Plan again with the progress recorded so far; the feed follows. From `as_of` (a
    day, from its first moment) when the body or the progress gives one, else from
    where the learner is now: after today's sessions once they are all reported, else
    from the start of today (`replan_from` in GET says where, and why). An `as_of` is
    used once: the progress is kept without it. With a `profile` (a changed week,
    goals, holidays, busy calendars...), the plan is made again with it and keeps it;
    a new busy calendar is read now."""
    limits = solve_limits(settings)
    check_if_match(if_match, etag_of(record))
    profile = Profile.model_validate_json(record.profile_json)
    if body is not None and body.profile is not None:
        profile = changed_profile(body.profile, profile, settings)
    today = learner_today(record, clock)
    recorded = progress_of(record) or Progress()
    as_of = (body.as_of if body else None) or recorded.as_of
    if as_of is not None:
        check_as_of(as_of, settings, today, "as_of")
    previous_json = plan_to_replan(record, as_of or today)
    if body is not None and body.pace is not None:  # "plan with my pace", or not
        profile = profile.model_copy(update={"pace": LEARNED if body.pace == LEARNED else 1.0})
    busy, busy_sources = busy_for_replan(session, record, profile, settings, fetches)
    repository.end_transaction(session)
    with gate.turn(limits.deadline, limits.timeout_seconds):
        solved = replan_within(
            Plan.model_validate_json(previous_json),
            profile,
            recorded.model_copy(update={"as_of": as_of}),
            clock,
            limits,
            busy=busy,
        )
    future = as_of is not None and as_of > today
    record = repository.update_plan(
        session,
        record=record,
        expected_version=record.version,
        plan_json=solved.plan.model_dump_json(),
        undo_plan_json=(record.undo_plan_json or record.plan_json) if future else None,
        progress_json=recorded.model_copy(update={"as_of": None}).model_dump_json(by_alias=True),
        profile_json=profile.model_dump_json(by_alias=True),
        calendar_gzip=solved.calendar_gzip,
        calendar_etag=solved.calendar_etag,
        busy_sources=busy_sources,
    )
    push_plan(session, record, settings, fetches.run)  # to the plan's own calendar, if any
    response.headers["ETag"] = etag_of(record)
    return ReplanPublic.from_record(
        record,
        settings.public_url,
        changes=changes_public(solved),
        warnings=solved.warnings,
        started=ReplanFrom.of(solved.start) if solved.start else None,
        roadmap_changed=solved.roadmap_changed,
        **reading_fields(record, clock),
    )


def changes_public(solved: Solved) -> PlanChangesPublic:
    assert solved.changes is not None  # a re-plan always says what it changed
    return PlanChangesPublic.of(solved.changes)


@router.patch("/{plan_id}", response_model=PlanPublic, responses=WRITES)
def rename_plan(
    body: PlanRename,
    record: OwnedPlanDep,
    session: SessionDep,
    settings: SettingsDep,
    clock: NowDep,
    response: Response,
    if_match: IfMatch = None,
) -> PlanPublic:
    """Rename the plan; nothing else changes."""
    check_if_match(if_match, etag_of(record))
    record = repository.update_plan(
        session, record=record, expected_version=record.version, name=body.name
    )
    return _answer(record, settings, response, clock)


@router.post("/{plan_id}/feed/rotate", response_model=PlanPublic, responses=WRITES)
def rotate_feed(
    record: OwnedPlanDep,
    session: SessionDep,
    settings: SettingsDep,
    clock: NowDep,
    response: Response,
    if_match: IfMatch = None,
) -> PlanPublic:
    """A new feed URL; the old one answers 404 from now on."""
    check_if_match(if_match, etag_of(record))
    record = repository.rotate_feed_token(session, record=record, expected_version=record.version)
    return _answer(record, settings, response, clock)


@router.delete("/{plan_id}", status_code=status.HTTP_204_NO_CONTENT, responses=WRITES)
def delete_plan(record: OwnedPlanDep, session: SessionDep, if_match: IfMatch = None) -> Response:
    """Delete the plan, its progress and its feed. There is no undo."""
    check_if_match(if_match, etag_of(record))
    repository.delete_plan(session, record=record, expected_version=record.version)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
