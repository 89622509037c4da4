"""Finding topics and sections by id or title, for people who do not know the ids by
heart: "did you mean 6.3 FastAPI?" and `planner topics SEARCH` (rapidfuzz)."""

from __future__ import annotations

from planner.models.roadmap import Roadmap

TITLE_CUTOFF = 80  # WRatio: "Djnago" -> "Django" scores 83, "99" -> anything under 50
ID_CUTOFF = 75  # ratio: "6.30" -> "6.3" scores 86, "4.10" -> "4.1" 86, "14.1" 75


def titles_by_id(roadmap: Roadmap) -> dict[str, str]:
    """Every section and topic id with its title, sections first."""
    return {section.id: section.title for section in roadmap.sections} | {
        topic.id: topic.title for topic in roadmap.topics
    }


def closest_ids(roadmap: Roadmap, text: str, limit: int = 3) -> list[str]:
    """The ids whose id or title is closest to `text`: all those tied at the best score,
    at most `limit`, none if nothing is close."""
    from rapidfuzz import fuzz, process, utils  # only when an id was not found

    titles = titles_by_id(roadmap)
    scores: dict[str, float] = {}
    matches = process.extract(
        text, titles, scorer=fuzz.WRatio, processor=utils.default_process, score_cutoff=TITLE_CUTOFF
    )
    matches += process.extract(
        text, {item_id: item_id for item_id in titles}, scorer=fuzz.ratio, score_cutoff=ID_CUTOFF
    )
    for _choice, score, item_id in matches:
        scores[item_id] = max(score, scores.get(item_id, 0))
    if not scores:
        return []
    best = max(scores.values())
    order = list(titles)
    tied = sorted((i for i, score in scores.items() if score == best), key=order.index)
    return tied[:limit]


def did_you_mean(roadmap: Roadmap, text: str) -> str:
    """' (did you mean 6.3 FastAPI?)', or '' when nothing is close."""
    titles = titles_by_id(roadmap)
    names = [f"{item_id} {titles[item_id]}" for item_id in closest_ids(roadmap, text)]
    return f" (did you mean {' or '.join(names)}?)" if names else ""


def search(roadmap: Roadmap, query: str) -> list[str]:
    """Topic ids that match `query`: by id (a section id gives its topics), by words of
    a title (a section's gives its topics) or of an item; if none, the closest by
    spelling."""
    wanted = query.strip().casefold()
    for section in roadmap.sections:  # an id: that topic, or that section's topics
        if wanted == section.id.casefold():
            return [topic.id for topic in section.topics]
        for topic in section.topics:
            if wanted == topic.id.casefold():
                return [topic.id]
    found = [
        topic.id
        for section in roadmap.sections
        for topic in section.topics
        if wanted in section.title.casefold()
        or wanted in " ".join((topic.title, *topic.items)).casefold()
    ]
    if found:
        return found
    topic_of_section = {section.id: [t.id for t in section.topics] for section in roadmap.sections}
    close = [
        topic
        for item_id in closest_ids(roadmap, query, limit=10)
        for topic in topic_of_section.get(item_id, [item_id])
    ]
    return list(dict.fromkeys(close))
