"""Helpers the API tests share: create a plan (asserting 201), the owner's header, and
the feed's path on the server."""

from __future__ import annotations

from typing import Any


def create(client: Any, profile: dict[str, Any]) -> dict[str, Any]:
    response = client.post("/plans", json={"profile": profile})
    assert response.status_code == 201, response.text
    return response.json()  # type: ignore[no-any-return]


def owner(created: dict[str, Any]) -> dict[str, str]:
    return {"Authorization": f"Bearer {created['owner_token']}"}


def feed_path(created: dict[str, Any]) -> str:
    return "/" + created["feed"]["https_url"].split("/", 3)[3]
