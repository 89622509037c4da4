"""The learner's own pace, learned from the topics they finished: for each, the hours it
really took against its estimate (the roadmap's, or the profile's `hours` override,
before any `pace` factor).

The rule, in log space (a topic done in 1.5x its estimate and one done in 1/1.5x cancel
out), with l_i = ln(hours_i / estimate_i) over the n finished topics:

- spread: s^2 = (NU0 * S0^2 + sum (l_i - mean l)^2) / (NU0 + n - 1), the learner's own
  spread of ratios, starting from a prior spread S0 = 0.3 that counts as NU0 = 3 topics;
- pace = exp(sum l_i / (n + k)) with k = s^2 / TAU^2 and TAU = 0.7 (how far learners'
  paces lie apart): the estimates (1.0) count as k topics, so one finished topic moves
  the pace part of the way and consistent evidence soon takes over (4 topics at 1.5x:
  1.49x; 1 topic at 2x: 1.80x);
- the pace is uncertain by s / sqrt(n + k) in log space (no evidence: TAU, the prior);
- a section's own pace once MIN_SECTION_TOPICS of its topics are finished, shrunk the
  same way towards the overall pace (not towards 1.0): (sum l_i + k ln pace) / (n_sec + k).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence, Set
from dataclasses import dataclass, field

from planner.models.forecast import FinishedTopic, SectionPace
from planner.models.plan import StudySession
from planner.models.profile import Profile
from planner.models.roadmap import Roadmap

S0 = 0.3  # prior spread of one topic's log ratio
NU0 = 3  # ... worth this many topics
TAU = 0.7  # prior spread of a learner's log pace (0.5 left slow learners uncovered)
MIN_SECTION_TOPICS = 2  # finished topics before a section gets a pace of its own


@dataclass(frozen=True)
class LearnedPace:
    """The pace learned from `finished` (see the module's rule): x the estimates, its
    uncertainty and the spread of one topic (both in log space), sections' own paces."""

    pace: float = 1.0
    uncertainty: float = TAU
    spread: float = S0
    sections: tuple[SectionPace, ...] = ()
    finished: tuple[FinishedTopic, ...] = field(default=())

    def pace_of_section(self, section: str) -> float:
        return next((s.pace for s in self.sections if s.section == section), self.pace)

    def as_profile_pace(self) -> dict[str, float]:
        """The pace as a profile's mapping (`pace: {"1": 1.4, all: 1.5}`), rounded to
        hundredths so that a plan made with it keeps its bytes."""
        rounded = {s.section: round(s.pace, 2) for s in self.sections}
        return {**rounded, "all": round(self.pace, 2)}


def learn_pace(finished: Sequence[FinishedTopic], roadmap: Roadmap) -> LearnedPace:
    """The pace, its uncertainty and the sections' paces learned from `finished`."""
    logs = [math.log(topic.ratio) for topic in finished]
    n = len(logs)
    mean = sum(logs) / n if n else 0.0
    squares = sum((value - mean) ** 2 for value in logs)
    spread = math.sqrt((NU0 * S0**2 + squares) / (NU0 + max(n - 1, 0)))
    k = spread**2 / TAU**2
    log_pace = sum(logs) / (n + k)
    section_of = {t.id: s.id for s in roadmap.sections for t in s.topics}
    sections = []
    for section in roadmap.sections:
        own = [
            v for t, v in zip(finished, logs, strict=True) if section_of.get(t.topic) == section.id
        ]
        if len(own) >= MIN_SECTION_TOPICS:
            log_section = (sum(own) + k * log_pace) / (len(own) + k)
            sections.append(
                SectionPace(section=section.id, pace=math.exp(log_section), topics=len(own))
            )
    return LearnedPace(
        pace=math.exp(log_pace),
        uncertainty=spread / math.sqrt(n + k),
        spread=spread,
        sections=tuple(sections),
        finished=tuple(finished),
    )


def estimate_hours(roadmap: Roadmap, profile: Profile, topic: str) -> float:
    """A topic's estimate before any pace: the profile's override, else the roadmap's."""
    return profile.hours.get(topic, roadmap.topic_by_id[topic].hours)


def finished_topics(
    history: Sequence[StudySession],
    ahead: Set[str],
    roadmap: Roadmap,
    profile: Profile,
    *,
    reported: Set[str] = frozenset(),
    done: Set[str] = frozenset(),
    skipped: Set[str] = frozenset(),
    hours_given: Mapping[str, float] | None = None,
    earlier: Sequence[FinishedTopic] = (),
) -> tuple[FinishedTopic, ...]:
    """The topics finished (none of their study is `ahead`) that the learner
    `reported` on (done, hours, a session's record, extra study) or an `earlier` plan
    learned from, with the hours each really took: the hours the learner gave for a
    topic `done`, else what an earlier plan learned, else the minutes of its study in
    the `history` (the sessions studied). A topic whose sessions were only taken as
    followed (nobody said a word) echoes its estimate and is no evidence; nor is a
    topic with hours so far and not `done` (begun: its hours are a lower bound, and
    counting them would make a slow learner look fast), nor one with no estimate or no
    study (known already). In roadmap order."""
    hours_given = hours_given or {}
    studied: dict[str, float] = {}
    for session in history:
        if not session.is_review:
            studied[session.topic] = studied.get(session.topic, 0.0) + session.minutes / 60
    learned = {topic.topic: topic.hours for topic in earlier}
    finished = []
    for topic in roadmap.topics:
        if topic.id in ahead or topic.id in skipped or topic.id in profile.skip:
            continue
        if topic.id not in reported and topic.id not in learned:
            continue
        if topic.id in hours_given and topic.id not in done and topic.id not in learned:
            continue  # hours so far, even past its estimate: begun, not finished
        if topic.id in done and topic.id in hours_given:
            hours = hours_given[topic.id]
        else:
            hours = learned.get(topic.id, studied.get(topic.id, 0.0))
        estimate = estimate_hours(roadmap, profile, topic.id)
        if hours > 0 and estimate > 0:
            finished.append(FinishedTopic(topic=topic.id, estimate_hours=estimate, hours=hours))
    return tuple(finished)
