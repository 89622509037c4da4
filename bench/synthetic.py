"""A synthetic roadmap 10x the bundled one: ~450 topics, ~2,340 h, a layered random DAG
(fixed seed), written as YAML files the planners read like any other roadmap."""

from __future__ import annotations

import random
from pathlib import Path

import yaml

# The bundled roadmap's topic hours (5.1 Django, 0 h, left out): the same mix, ten times.
BUNDLED_HOURS = [
    4, 6, 8, 8, 8, 8, 8, 4, 2, 2, 6, 10, 4, 6, 4, 2, 4, 8, 8, 2, 4, 6, 4, 4, 4, 4,
    3, 3, 4, 4, 4, 3, 4, 3, 3, 3, 3, 9, 4, 4, 2, 6, 4, 5, 3, 4, 3, 4, 4, 3, 4,
]  # fmt: skip


# Hours that are not whole slots of 30 min (nor all of 15): a roadmap of estimates like
# "about 2.4 h", which planning rounds up to whole slots.
FRACTIONAL_HOURS = [0.4, 0.75, 1.25, 1.6, 2.2, 2.5, 2.75, 3.1, 3.4, 4.25, 5.5, 6.8]


def write_synthetic(folder: Path, *, sections: int = 45, per_section: int = 10,
                    seed: int = 2027, hours: list[float] | None = None,
                    roadmap_id: str = "synthetic-10x") -> tuple[Path, Path]:  # fmt: skip
    """Write roadmap.yaml and prerequisites.yaml into `folder`; return their paths.

    Sections are layers; each topic after the first layer needs one or two topics of the
    three layers before it, so the DAG has long chains and plenty of freedom. Topic hours
    are drawn from `hours` (default: the bundled roadmap's mix)."""
    rng = random.Random(seed)
    choices = hours or BUNDLED_HOURS
    roadmap = {"id": roadmap_id, "title": f"Synthetic roadmap ({roadmap_id})", "sections": []}
    edges = []
    for layer in range(1, sections + 1):
        topics = []
        for index in range(1, per_section + 1):
            topic_id = f"{layer}.{index}"
            topics.append({"id": topic_id, "title": f"Topic {topic_id}",
                           "hours": rng.choice(choices)})  # fmt: skip
            if layer > 1:
                for _ in range(rng.choice([1, 1, 2])):
                    before_layer = rng.randint(max(1, layer - 3), layer - 1)
                    before = f"{before_layer}.{rng.randint(1, per_section)}"
                    edges.append({"before": before, "after": topic_id, "why": "synthetic"})
        roadmap["sections"].append({"id": str(layer), "title": f"Layer {layer}",
                                    "hours": round(sum(t["hours"] for t in topics), 6),
                                    "topics": topics})  # fmt: skip
    unique = list({(e["before"], e["after"]): e for e in edges}.values())
    folder.mkdir(parents=True, exist_ok=True)
    roadmap_path, prerequisites_path = folder / "roadmap.yaml", folder / "prerequisites.yaml"
    roadmap_path.write_text(yaml.safe_dump(roadmap, sort_keys=False), encoding="utf-8")
    prerequisites_path.write_text(
        yaml.safe_dump({"roadmap": roadmap["id"], "edges": unique}, sort_keys=False),
        encoding="utf-8",
    )
    return roadmap_path, prerequisites_path
