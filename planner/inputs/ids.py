"""Topic and section ids as files name them: a section id stands for all its topics; an
id the roadmap does not have is refused with the closest ones. No graph library here:
the daily commands check ids without loading networkx."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from planner.errors import UnknownTopicError
from planner.inputs.lookup import did_you_mean
from planner.models.roadmap import Roadmap


def expand_id(roadmap: Roadmap, item_id: str, path: Path | str, where: str) -> list[str]:
    """A topic id as itself, a section id as all its topics, in roadmap order."""
    if item_id in roadmap.topic_by_id:
        return [item_id]
    for section in roadmap.sections:
        if section.id == item_id:
            return [topic.id for topic in section.topics]
    raise UnknownTopicError(item_id, path, where, did_you_mean(roadmap, item_id))


def expand_ids(roadmap: Roadmap, item_ids: Iterable[str], path: Path | str, field: str) -> set[str]:
    """The topics that a list of topic and section ids (the file's `field`) names."""
    return {
        topic
        for index, item_id in enumerate(item_ids)
        for topic in expand_id(roadmap, item_id, path, f"{field}[{index}]")
    }


def require_topics(
    roadmap: Roadmap, topic_ids: Iterable[str], path: Path | str, field: str
) -> None:
    """Raise UnknownTopicError for the first id that is not a topic of the roadmap."""
    for topic_id in topic_ids:
        if topic_id not in roadmap.topic_by_id:
            raise UnknownTopicError(
                topic_id, path, f"{field}.{topic_id}", did_you_mean(roadmap, topic_id)
            )
