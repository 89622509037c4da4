"""The benchmark's instances: the bundled roadmap on each profile, loaded once, with what
every planner must plan (the same minutes per topic and the same prerequisites)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

from bench.synthetic import write_synthetic
from planner.inputs.graph import build_graph
from planner.inputs.loading import load_prerequisites, load_profile, load_roadmap
from planner.inputs.plan_inputs import PlanInputs
from planner.planning.requirements import PlanRequirements, plan_requirements
from planner.timeline.windows import StudyWindow, study_windows

REPOSITORY = Path(__file__).resolve().parent.parent
ROADMAP_PATH = REPOSITORY / "data" / "roadmap.yaml"
PREREQUISITES_PATH = REPOSITORY / "data" / "prerequisites.yaml"
PROFILE_PATHS = (
    REPOSITORY / "data" / "profiles" / "example.yaml",
    *sorted((REPOSITORY / "bench" / "profiles").glob("*.yaml")),
)


@dataclass(frozen=True)
class Instance:
    """One roadmap + prerequisites + profile, and what a plan of it must contain."""

    name: str
    profile_path: Path
    inputs: PlanInputs
    requirements: PlanRequirements
    roadmap_path: Path = ROADMAP_PATH
    prerequisites_path: Path = PREREQUISITES_PATH

    @property
    def start(self) -> date:
        # Every bench profile has a `start`; without one the planners would disagree on "today".
        assert self.inputs.profile.start is not None, f"{self.profile_path}: needs a start"
        return self.inputs.profile.start

    @property
    def slot(self) -> timedelta:
        return timedelta(minutes=self.inputs.profile.session.slot_minutes)

    @property
    def total_minutes(self) -> int:
        return sum(self.requirements.minutes.values())

    def windows_through(self, last_day: date) -> list[StudyWindow]:
        """The concrete study windows from the plan's start to `last_day`."""
        return study_windows(self.inputs.profile, self.start, last_day)

    def capacity_bound(self) -> datetime:
        """The earliest moment at which the windows' whole slots cover the total minutes:
        no plan can finish before it."""
        needed_slots = self.total_minutes // self.inputs.profile.session.slot_minutes
        days = 56
        while True:
            covered = 0
            for window in self.windows_through(self.start + timedelta(days=days)):
                slots = window.minutes // self.inputs.profile.session.slot_minutes
                if covered + slots >= needed_slots:
                    return window.start + (needed_slots - covered) * self.slot
                covered += slots
            days *= 2


def load_instance(
    profile_path: Path,
    roadmap_path: Path = ROADMAP_PATH,
    prerequisites_path: Path = PREREQUISITES_PATH,
    name: str | None = None,
) -> Instance:
    roadmap = load_roadmap(roadmap_path)
    prerequisites = load_prerequisites(prerequisites_path)
    inputs = PlanInputs(
        roadmap=roadmap,
        prerequisites=prerequisites,
        profile=load_profile(profile_path),
        prerequisites_path=prerequisites_path,
        profile_path=profile_path,
    )
    graph = build_graph(roadmap, prerequisites, prerequisites_path)
    return Instance(
        name=name or profile_path.stem,
        profile_path=profile_path,
        inputs=inputs,
        requirements=plan_requirements(inputs, graph),
        roadmap_path=roadmap_path,
        prerequisites_path=prerequisites_path,
    )


def load_instances(synthetic_folder: Path) -> list[Instance]:
    """The bundled roadmap on every profile, and the 10x synthetic roadmap on 10 h/week."""
    roadmap_path, prerequisites_path = write_synthetic(synthetic_folder)
    ten_hours = REPOSITORY / "bench" / "profiles" / "ten-hours.yaml"
    return [
        *(load_instance(path) for path in PROFILE_PATHS),
        load_instance(ten_hours, roadmap_path, prerequisites_path, name="synthetic-10x"),
    ]
