"""The numbers a learner acts on when a deadline cannot be met: the guide's example,
word for word, and each suggested fix the smallest that works (one step less fails); then
the sentence, word for word, for each way a profile changes it (no start, a weekly cap,
skips, goals, a deadline too near for all but a later date)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from typer.testing import CliRunner

from planner.cli.app import app
from planner.inputs.plan_inputs import PlanInputs
from planner.planning.deadline import DeadlineMissedError, Shortfall, require_deadline
from planner.planning.goal_dates import GoalDateMissedError
from planner.planning.pipeline import make_plan, misses_deadline
from planner.planning.scaling import scaled_profile, weekly_minutes
from tests.scopes import shared

TODAY = date(2027, 1, 1)
DEADLINE = date(2027, 6, 30)
# The guide's example (docs/your-week.md, "Goals, deadlines and honest answers").
README_ERROR = (
    "error: the deadline 2027-06-30 cannot be met: 240 h needed, 196 h available before it: "
    "add 2 h a week (your windows scaled), or move the deadline to 2027-08-07, or drop 50 h "
    "(e.g. skip sections 13-16)"
)


@pytest.fixture(scope=shared)
def late(inputs: PlanInputs) -> PlanInputs:
    return inputs.with_profile(inputs.profile.model_copy(update={"deadline": DEADLINE}))


@pytest.fixture(scope=shared)
def missed(late: PlanInputs) -> DeadlineMissedError:
    with pytest.raises(DeadlineMissedError) as raised:
        require_deadline(late, make_plan(late, today=TODAY), today=TODAY)
    return raised.value


def meets(inputs: PlanInputs, **profile: object) -> bool:
    changed = inputs.with_profile(inputs.profile.model_copy(update=profile))
    return not misses_deadline(make_plan(changed, today=TODAY).plan)


def test_the_guides_example_is_what_the_command_says(tmp_path: Path) -> None:
    profile = Path(__file__).resolve().parent.parent / "data" / "profiles" / "example.yaml"
    late_profile = tmp_path / "late.yaml"
    late_profile.write_text(profile.read_text() + f"deadline: {DEADLINE}\n")
    calendar = tmp_path / "plan.ics"
    result = CliRunner().invoke(
        app, ["plan", "--profile", str(late_profile), "--ics", str(calendar)]
    )
    assert result.exit_code == 1
    assert " ".join(result.stderr.split()) == README_ERROR
    assert not calendar.exists()
    readme = (Path(__file__).resolve().parent.parent / "docs" / "your-week.md").read_text()
    assert " ".join(README_ERROR.split()) in " ".join(readme.split())


def test_the_shortfall_holds_every_number_the_message_gives(
    missed: DeadlineMissedError,
) -> None:
    """All of it in the first test that uses the fixture: mutation testing credits a
    shared fixture's calls to that test alone."""
    assert missed.deadline == DEADLINE
    assert missed.shortfall == Shortfall(
        needed_hours=240,
        available_hours=196,
        earliest_finish=datetime(2027, 8, 7, 13, tzinfo=ZoneInfo("Europe/Berlin")),
        add_hours_per_week=2,
        drop_sections=("13", "14", "15", "16"),
        drop_hours=50,
    )
    assert f"error: {missed}" == README_ERROR


def test_add_is_the_fewest_hours_a_week_that_work(
    late: PlanInputs, missed: DeadlineMissedError
) -> None:
    extra = missed.shortfall.add_hours_per_week
    assert extra == 2
    base = weekly_minutes(late.profile) / 60
    enough = scaled_profile(late.profile, base + extra)
    assert weekly_minutes(enough) / 60 == base + extra
    assert meets(late, weekly=enough.weekly)
    # The next smaller week the windows can be scaled to (whole slots) is too little.
    asked = base + extra
    less = enough
    while weekly_minutes(less) / 60 >= base + extra:
        asked -= 0.25
        less = scaled_profile(late.profile, asked)
    assert weekly_minutes(less) / 60 == base + extra - 0.5
    assert not meets(late, weekly=less.weekly)


def test_move_is_the_earliest_deadline_that_works(
    late: PlanInputs, missed: DeadlineMissedError
) -> None:
    moved = missed.shortfall.earliest_finish.date()
    assert moved == date(2027, 8, 7)
    assert meets(late, deadline=moved)
    assert not meets(late, deadline=moved - timedelta(days=1))


def test_drop_is_the_fewest_sections_from_the_end_that_work(
    late: PlanInputs, missed: DeadlineMissedError
) -> None:
    assert missed.shortfall.drop_sections == ("13", "14", "15", "16")
    assert missed.shortfall.drop_hours == 50
    assert meets(late, skip=("13", "14", "15", "16"))
    assert not meets(late, skip=("14", "15", "16"))


def explained(inputs: PlanInputs, today: date = TODAY, **profile: object) -> DeadlineMissedError:
    """The explanation of the example learner's plan with `profile` changed."""
    fields = {**inputs.profile.model_dump(by_alias=True), **profile}
    changed = inputs.with_profile(inputs.profile.model_validate(fields))
    with pytest.raises(DeadlineMissedError) as raised:
        require_deadline(changed, make_plan(changed, today=today), today=today)
    return raised.value


def berlin(month: int, day: int, hour: int) -> datetime:
    return datetime(2027, month, day, hour, tzinfo=ZoneInfo("Europe/Berlin"))


@pytest.mark.parametrize(
    ("deadline", "message"),
    [
        (date(2027, 8, 6), "240 h needed, 236 h available before it: add 0.5 h a week (your "
         "windows scaled), or move the deadline to 2027-08-07, or drop 15 h (e.g. skip "
         "section 16)"),
        (date(2027, 7, 24), "240 h needed, 224 h available before it: add 1 h a week (your "
         "windows scaled), or move the deadline to 2027-08-07, or drop 25 h (e.g. skip "
         "sections 15-16)"),
    ],
)  # fmt: skip
def test_without_a_start_the_fixes_are_planned_from_today(
    inputs: PlanInputs, deadline: date, message: str
) -> None:
    """No `start`: the plan and each fix start today (the example's Monday), so the
    answers are the example's; near the finish, half an hour a week or one section do."""
    missed = explained(inputs, today=date(2027, 1, 4), start=None, deadline=deadline)
    assert str(missed) == f"the deadline {deadline} cannot be met: {message}"


def test_when_the_hours_fit_the_message_says_the_gaps_are_why(inputs: PlanInputs) -> None:
    """Sessions of at least 2 h leave scraps of windows unused: as many hours are
    available before the deadline as needed, and the plan still ends a week later."""
    session = {"min_minutes": 120, "max_minutes": 180, "slot_minutes": 30}
    missed = explained(inputs, session=session, deadline=date(2027, 8, 8))
    assert (missed.shortfall.needed_hours, missed.shortfall.available_hours) == (240, 240)
    assert str(missed) == (
        "the deadline 2027-08-08 cannot be met: 240 h needed, 240 h available before it (the "
        "hours fit, but session rules and prerequisites leave gaps): add 1 h a week (your "
        "windows scaled), or move the deadline to 2027-08-14, or drop 15 h (e.g. skip "
        "section 16)"
    )


def test_what_the_learner_skips_is_neither_suggested_nor_counted(inputs: PlanInputs) -> None:
    """Section 16 is skipped already: the drop starts at 15, whose skipped 15.1 (3 h)
    is not part of the hours dropped."""
    missed = explained(inputs, skip=["16", "15.1"], deadline=DEADLINE)
    assert missed.shortfall.drop_sections == ("13", "14", "15")
    assert str(missed) == (
        "the deadline 2027-06-30 cannot be met: 222 h needed, 196 h available before it: add "
        "1.5 h a week (your windows scaled), or move the deadline to 2027-07-24, or drop 32 h "
        "(e.g. skip sections 13-15)"
    )


def test_the_hours_to_add_count_from_the_weekly_cap(inputs: PlanInputs) -> None:
    """Windows of 8 h a week, capped at 6: the learner studies 6 h a week now, and the
    least week that meets the deadline is the 8 h of their windows, so: add 2 h."""
    missed = explained(inputs, max_hours_per_week=6, deadline=date(2027, 8, 7))
    assert str(missed) == (
        "the deadline 2027-08-07 cannot be met: 240 h needed, 180 h available before it: add "
        "2 h a week (your windows scaled), or move the deadline to 2027-10-16, or drop 65 h "
        "(e.g. skip sections 12-16)"
    )
    assert meets(inputs, deadline=date(2027, 8, 7))  # the 8 h week, without the cap


def test_a_goal_and_what_it_needs_are_never_suggested_to_drop(inputs: PlanInputs) -> None:
    """Goal: section 16, which needs section 12: the drop skips both and goes on to 11."""
    missed = explained(inputs, goals=["16"], deadline=DEADLINE)
    assert missed.shortfall.drop_sections == ("11", "13", "14", "15")
    assert str(missed).endswith("or drop 45 h (e.g. skip sections 11, 13, 14, 15)")


def test_a_deadline_only_a_later_date_can_meet_says_just_that(inputs: PlanInputs) -> None:
    """Three weeks away: no week the windows scale to, and no sections, are enough."""
    missed = explained(inputs, deadline=date(2027, 1, 20))
    assert missed.shortfall == Shortfall(
        needed_hours=240,
        available_hours=20,
        earliest_finish=berlin(8, 7, 13),
        add_hours_per_week=None,
        drop_sections=(),
        drop_hours=0,
    )
    assert str(missed) == (
        "the deadline 2027-01-20 cannot be met: 240 h needed, 20 h available before it: move "
        "the deadline to 2027-08-07"
    )


def test_at_most_eight_sections_are_suggested_to_drop(inputs: PlanInputs) -> None:
    """Skipping the last nine sections would meet 2027-05-01; more than eight is no
    longer "drop a few sections", so the answer leaves the drop out."""
    assert meets(inputs, deadline=date(2027, 5, 1), skip=tuple(str(n) for n in range(8, 17)))
    assert not meets(inputs, deadline=date(2027, 5, 1), skip=tuple(str(n) for n in range(9, 17)))
    missed = explained(inputs, deadline=date(2027, 5, 1))
    assert (missed.shortfall.drop_sections, missed.shortfall.drop_hours) == ((), 0)
    assert str(missed) == (
        "the deadline 2027-05-01 cannot be met: 240 h needed, 128 h available before it: add "
        "7 h a week (your windows scaled), or move the deadline to 2027-08-07"
    )


@pytest.mark.parametrize(
    ("sections", "text"),
    [
        (("15", "16"), "sections 15-16"),
        (("12", "14"), "sections 12, 14"),
        (("basics", "extras"), "sections basics, extras"),
        (("extras",), "section extras"),
    ],
)
def test_the_sections_to_drop_are_named_as_the_roadmap_numbers_them(
    sections: tuple[str, ...], text: str
) -> None:
    """A run of numbered sections as a range; anything else (gaps, a roadmap whose
    sections have names) one by one."""
    shortfall = Shortfall(
        needed_hours=30.5,
        available_hours=20,
        earliest_finish=berlin(3, 6, 13),
        add_hours_per_week=3.5,
        drop_sections=sections,
        drop_hours=12.5,
    )
    assert str(DeadlineMissedError(date(2027, 2, 27), shortfall)) == (
        "the deadline 2027-02-27 cannot be met: 30.5 h needed, 20 h available before it: add "
        f"3.5 h a week (your windows scaled), or move the deadline to 2027-03-06, or drop "
        f"12.5 h (e.g. skip {text})"
    )


def test_of_two_late_goals_the_first_is_explained_planned_from_today(
    inputs: PlanInputs,
) -> None:
    """Goals 7, then 6.3 by 2027-02-15, then 8 by 2027-02-16, and no `start`: both dated
    goals are late; the answer is about 6.3, with its fixes planned from today."""
    goals = ["7", {"topic": "6.3", "by": "2027-02-15"}, {"topic": "8", "by": "2027-02-16"}]
    fields = {**inputs.profile.model_dump(by_alias=True), "start": None, "goals": goals}
    changed = inputs.with_profile(inputs.profile.model_validate(fields))
    monday = date(2027, 1, 4)
    with pytest.raises(GoalDateMissedError) as raised:
        require_deadline(changed, make_plan(changed, today=monday), today=monday)
    assert str(raised.value) == (
        "goal 6.3 FastAPI by 2027-02-15 cannot be met: it needs 62 h (6.3 and what it needs), "
        "50 h are available before then, and the plan reaches it Sat 2027-03-20: add 4.5 h a "
        "week (your windows scaled), or move its date to 2027-03-20"
    )


def test_a_goal_date_is_the_learners_day_not_utcs(inputs: PlanInputs) -> None:
    """A Tokyo learner reaches 1.1 on Tuesday 2027-01-05 at 08:00, which is Monday
    23:00 in UTC: a goal by Monday 2027-01-04 is missed, wherever the planner runs."""
    tokyo = {
        "timezone": "Asia/Tokyo",
        "weekly": {
            day: ["06:00-08:00"] for day in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
        },
        "blackouts": [],
        "goals": [{"topic": "1.1", "by": "2027-01-04"}],
    }
    fields = {**inputs.profile.model_dump(by_alias=True), **tokyo}
    changed = inputs.with_profile(inputs.profile.model_validate(fields))
    with pytest.raises(GoalDateMissedError) as raised:
        require_deadline(changed, make_plan(changed, today=TODAY), today=TODAY)
    assert str(raised.value) == (
        "goal 1.1 Internet Fundamentals by 2027-01-04 cannot be met: it needs 4 h (1.1 and "
        "what it needs), 2 h are available before then, and the plan reaches it Tue "
        "2027-01-05: add 11 h a week (your windows scaled), or move its date to 2027-01-05"
    )


def test_a_learner_who_lets_the_planner_choose_the_order_gets_the_same_answer(
    inputs: PlanInputs,
) -> None:
    """`order: free` (checked with the CP-SAT search of that order): on the example, the
    guide's answer again."""
    missed = explained(inputs, order="free", deadline=DEADLINE)
    assert f"error: {missed}" == README_ERROR
