"""A fingerprint of what a plan was made from, so that a plan is never re-planned
against a roadmap it was not made for."""

from __future__ import annotations

import hashlib

from planner.models.roadmap import Prerequisites, Roadmap


def roadmap_digest(roadmap: Roadmap, prerequisites: Prerequisites) -> str:
    """SHA-256 (hex) of the roadmap and its prerequisites as read: their content, not
    the files' bytes, so comments and formatting do not change it, while any id, hour,
    title or edge does."""
    content = f"{roadmap.model_dump_json()}\n{prerequisites.model_dump_json()}"
    return hashlib.sha256(content.encode()).hexdigest()


def short(digest: str) -> str:
    """The first 12 hex digits: enough to tell two digests apart in a message."""
    return digest[:12]
