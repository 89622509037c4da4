"""The baseline any learner could write in a few lines: topics in study order (prerequisites
first, the roadmap's order breaking ties), poured into the windows one after another.

Each window is filled from its start; a topic that does not fit spills into the next
window; no minimum or maximum session length is applied.
"""

from __future__ import annotations

from datetime import timedelta

from bench.instances import Instance
from bench.metrics import Session


def greedy_plan(instance: Instance) -> list[Session]:
    """First-fit of the study order into the concrete windows, in whole slots."""
    zone = instance.inputs.profile.zone
    slot, slot_minutes = instance.slot, instance.inputs.profile.session.slot_minutes
    remaining = [
        (topic, instance.requirements.minutes[topic] // slot_minutes)
        for topic in instance.requirements.order
    ]
    sessions: list[Session] = []
    days = 7 * 8
    while True:  # grow the calendar until everything fits
        sessions.clear()
        todo = list(remaining)
        for window in instance.windows_through(instance.start + timedelta(days=days)):
            cursor, free_slots = window.start, window.minutes // slot_minutes
            while todo and free_slots > 0:
                topic, slots = todo[0]
                taken = min(slots, free_slots)
                end = cursor + taken * slot
                sessions.append(Session(topic, cursor.astimezone(zone), end.astimezone(zone)))
                cursor, free_slots = end, free_slots - taken
                todo[0] = (topic, slots - taken)
                if slots == taken:
                    todo.pop(0)
            if not todo:
                return sessions
        if days > 366 * 30:
            raise ValueError("the windows hold no room for the hours in 30 years")
        days *= 2
