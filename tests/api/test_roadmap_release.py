"""A release that changes the bundled roadmap: a stored plan stays on its version until
its owner re-plans; then it is upgraded, and the answer says how the roadmap changed."""

from __future__ import annotations

from typing import Any

from tests.api.owned_plans import create, made_by_a_previous_release, owner


def test_a_plan_of_the_previous_release_is_upgraded_on_replan(
    api_client: Any, api_settings: Any, example_profile: dict[str, Any]
) -> None:
    """The stored plan made from a roadmap where 7.1 had 1 h (its copy and digest say
    so): the re-plan upgrades it to this release's 2 h and says it."""
    created = create(api_client, example_profile)
    made_by_a_previous_release(api_settings, created["id"], "7.1", 1)
    answer = api_client.post(f"/plans/{created['id']}/replan", headers=owner(created), json={})
    assert answer.status_code == 200, answer.text
    assert answer.json()["roadmap_changed"] == "Roadmap changed: 7.1 1 → 2 h (+1 h planned)"
    again = api_client.post(f"/plans/{created['id']}/replan", headers=owner(created), json={})
    assert again.json()["roadmap_changed"] is None  # upgraded once
