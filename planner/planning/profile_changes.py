"""What changed between two profiles, in the learner's words: a re-plan that is given a
profile other than the one its plan was made with says so."""

from __future__ import annotations

from typing import Any

from planner.models.profile import Profile

NOT_SET = "not set"


def profile_changes(before: Profile, after: Profile) -> list[str]:
    """One line per key that differs ("weekly.tue: 20:00-22:30 → 19:00-22:30"), in the
    profile's key order; `start` is left out (a re-plan plans from its own day)."""
    old, new = _flat(before), _flat(after)
    keys = list(dict.fromkeys([*old, *new]))
    return [
        f"{key}: {old.get(key, NOT_SET)} → {new.get(key, NOT_SET)}"
        for key in keys
        if old.get(key) != new.get(key)
    ]


def _flat(profile: Profile) -> dict[str, str]:
    """Each key as text; mappings (weekly, hours, session, pace) one level down."""
    dump = profile.model_dump(mode="json", by_alias=True, exclude={"start"})
    flat = {}
    for key, value in dump.items():
        if isinstance(value, dict):
            for inner, inner_value in value.items():
                flat[f"{key}.{inner}"] = _text(inner_value)
        else:
            flat[key] = _text(value)
    return flat


def _text(value: Any) -> str:
    if value is None or value == [] or value == ():
        return NOT_SET
    if isinstance(value, list | tuple):
        return ", ".join(_text(item) for item in value)
    if isinstance(value, dict):
        if "from" in value:
            return f"{value['from']}..{value['to']}"
        if "holidays" in value:
            return "holidays " + "-".join(
                str(value[k]) for k in ("holidays", "subdivision") if value.get(k)
            )
        if "topic" in value:
            return f"{value['topic']} by {value['by']}"
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)
