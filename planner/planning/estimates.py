"""How long each topic takes for this learner: the roadmap's estimates scaled by `pace`
(global, per section or per topic), unless the profile's `hours` say otherwise — for a
topic, or for a whole section, spread over its topics in proportion to their estimates
in whole slots. Everything in whole slots."""

from __future__ import annotations

import math
from pathlib import Path

from planner.errors import PlannerError
from planner.inputs.ids import expand_id, expand_ids
from planner.inputs.plan_inputs import PlanInputs
from planner.models.plan import RoundedTopic
from planner.models.roadmap import Section


def estimated_slots(inputs: PlanInputs) -> tuple[dict[str, int], tuple[RoundedTopic, ...]]:
    """Slots per topic that is not skipped (0 for a topic with no time), and the topics
    (or sections) whose hours were rounded up to whole slots.

    Raises:
        UnknownTopicError: `hours`, `pace` or `skip` name an id the roadmap lacks.
        PlannerError: a section's hours are fewer than its topics' own hours.
    """
    roadmap, profile, path = inputs.roadmap, inputs.profile, inputs.profile_path
    skipped = expand_ids(roadmap, profile.skip, path, "skip")
    for key in profile.pace if isinstance(profile.pace, dict) else ():
        if key != "all":
            expand_id(roadmap, key, path, f"pace.{key}")
    for key in profile.hours:
        expand_id(roadmap, key, path, f"hours.{key}")
    slot = profile.session.slot_minutes
    slots: dict[str, int] = {}
    rounded: list[RoundedTopic] = []
    for section in roadmap.sections:
        for topic in section.topics:
            hours = profile.hours.get(topic.id)
            if hours is None:
                hours = topic.hours * inputs.pace_for(topic.id, section.id)
            slots[topic.id] = _whole_slots(topic.id, hours, slot, rounded)
        if section.id in profile.hours:
            own = {topic.id for topic in section.topics if topic.id in profile.hours}
            spread = [t.id for t in section.topics if t.id not in own | skipped]
            total = _whole_slots(section.id, profile.hours[section.id], slot, rounded)
            rounded = [r for r in rounded if r.topic not in spread]
            slots |= _spread(section, total - sum(slots[t] for t in own), spread, path)
    kept = tuple(note for note in rounded if note.topic not in skipped)
    return {t: n for t, n in slots.items() if t not in skipped}, kept


def _whole_slots(item_id: str, hours: float, slot: int, rounded: list[RoundedTopic]) -> int:
    slots = math.ceil(round(hours * 60 / slot, 6))
    if not math.isclose(slots * slot, hours * 60):
        rounded.append(RoundedTopic(topic=item_id, hours=hours, planned_hours=slots * slot / 60))
    return slots


def _spread(section: Section, slots: int, topic_ids: list[str], path: Path | str) -> dict[str, int]:
    """`slots` over `topic_ids` in proportion to their estimates (equally if they have
    none), largest remainders first, so the parts add up to exactly `slots`."""
    if slots < 0:
        raise PlannerError(
            f"{path}: hours.{section.id}: the topics of section {section.id} given hours of "
            "their own take more than the section's hours"
        )
    estimates = {t.id: t.hours for t in section.topics if t.id in topic_ids}
    total = sum(estimates.values())
    if not estimates:
        return {}
    weights = estimates if total > 0 else dict.fromkeys(estimates, 1.0)
    weight_sum = sum(weights.values())
    exact = {topic: slots * weight / weight_sum for topic, weight in weights.items()}
    parts = {topic: math.floor(share) for topic, share in exact.items()}
    by_remainder = sorted(exact, key=lambda t: (parts[t] - exact[t], topic_ids.index(t)))
    for topic in by_remainder[: slots - sum(parts.values())]:
        parts[topic] += 1
    return parts
