"""Issue 28's words and small views: goals named with their titles, the order's cost
without "topic pairs", the week view at the learner's hours, days off shown in it, moved
sessions marked in the phone's list, the what-if chart's labels inside the chart. A
Tokyo learner who studies in the evening."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

TOKYO_EVENINGS = {
    "timezone": "Asia/Tokyo",
    "start": "2027-02-01",
    "weekly": {"mon": ["19:00-21:00"], "wed": ["19:30-21:30"], "thu": ["20:00-22:00"]},
    # Wednesday and Thursday off in the first two weeks (one of them is shown first).
    "blackouts": [
        {"from": "2027-02-03", "to": "2027-02-04"},
        {"from": "2027-02-10", "to": "2027-02-11"},
    ],
    "goals": ["6.3"],
    "only_goals": True,
}


@pytest.fixture(scope="module")
def created(live_server: Any) -> dict[str, Any]:
    response = httpx.post(
        f"{live_server.base_url}/plans", json={"profile": TOKYO_EVENINGS}, timeout=60
    )
    assert response.status_code == 201, response.text
    return response.json()  # type: ignore[no-any-return]


def private_link(live_server: Any, created: dict[str, Any], page: str = "") -> str:
    return f"{live_server.base_url}/plan/{created['id']}{page}#token={created['owner_token']}"


def test_the_plan_page_in_words_and_at_the_learners_hours(
    page: Any, live_server: Any, created: dict[str, Any], check_accessibility: Any
) -> None:
    page.goto(private_link(live_server, created))
    page.wait_for_selector(".fc-event")
    goals = page.inner_text("#goal-facts")
    assert goals.startswith("Goal 6.3 FastAPI: reached "), goals
    said = page.inner_text("#order-cost")
    assert said.startswith("Follows the roadmap's order with small swaps (at most 3 places): ")
    assert "topic pair" not in said, said
    # The week opens an hour before the first evening session, not at 06:00.
    labels = page.locator(".fc-timegrid-slot-label[data-time]")
    assert labels.first.get_attribute("data-time") == "18:00:00"
    assert labels.last.get_attribute("data-time") < "23:00:00"
    # The week shown has Wednesday and Thursday off: shown, one column each.
    off = page.locator(".fc-bg-event.day-off")
    assert off.count() == 2 and "Day off" in off.first.inner_text()
    check_accessibility(page)


def test_the_phone_list_marks_moved_sessions(
    phone_page: Any, live_server: Any, created: dict[str, Any]
) -> None:
    """What the last re-plan moved (kept in the tab's sessionStorage) is outlined in the
    list a phone shows, and says so in words."""
    phone_page.goto(private_link(live_server, created))
    phone_page.wait_for_selector(".fc-list-event")
    uid = created["plan"]["sessions"][0]["uid"]
    phone_page.evaluate(
        "uid => sessionStorage.setItem('roadmap-planner:moved', JSON.stringify([uid]))", uid
    )
    phone_page.reload()
    moved = phone_page.locator(".fc-list-event.moved-session")
    moved.wait_for()
    assert "(moved)" in moved.inner_text()
    border = moved.locator("td").first.evaluate("cell => getComputedStyle(cell).borderTopStyle")
    assert border == "dashed"
    assert phone_page.evaluate("() => document.documentElement.scrollWidth") <= 390


@pytest.mark.parametrize("viewport", ["page", "phone_page"])
def test_the_what_if_charts_labels_stay_inside_it(
    viewport: str, request: pytest.FixtureRequest, live_server: Any, created: dict[str, Any]
) -> None:
    """No label cut at the chart's edge; on a phone, labels of 11 px or more (they were
    about 6 px) that do not overlap."""
    page = request.getfixturevalue(viewport)
    page.goto(private_link(live_server, created, "/whatif"))
    page.wait_for_selector("#whatif-table tbody tr")
    overflow = page.evaluate(
        """() => {
          const svg = document.querySelector('.chart svg');
          const width = svg.viewBox.baseVal.width;
          return [...svg.querySelectorAll('text')]
            .map((text) => text.getBBox())
            .filter((box) => box.x < 0 || box.x + box.width > width).length;
        }"""
    )
    assert overflow == 0, f"{overflow} labels cut at the chart's edge"
    assert "Goal 6.3 FastAPI" in page.inner_text("#whatif-table thead"), "goals with titles"
    sizes = page.locator(".chart svg text").evaluate_all(
        "texts => texts.map((t) => t.getBoundingClientRect().height)"
    )
    assert min(sizes) >= 11, f"labels {min(sizes):.1f} px high"
    boxes = page.locator(".chart svg text.finish-label").evaluate_all(
        "texts => texts.map((t) => { const b = t.getBoundingClientRect();"
        " return [b.left, b.top, b.right, b.bottom]; })"
    )
    overlapping = [
        (a, b)
        for i, a in enumerate(boxes)
        for b in boxes[i + 1 :]
        if a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]
    ]
    assert not overlapping, overlapping


def test_public_holidays_are_shown_in_the_week(page: Any, live_server: Any) -> None:
    """Tokyo, Japan's holidays as days off: Tuesday 23 February 2027 (the Emperor's
    Birthday) is named in the week and studied as a Saturday; as blackouts, hatched."""
    profile = {**TOKYO_EVENINGS, "start": "2027-02-22", "blackouts": [],
               "weekly": {**TOKYO_EVENINGS["weekly"], "sat": ["10:00-12:00"]},
               "holidays": {"country": "JP"}}  # fmt: skip
    for kind, shown in (("day_off", ".fc-bg-event.holiday"), ("blackout", ".fc-bg-event.day-off")):
        body = {"profile": {**profile, "holidays": {"country": "JP", "as": kind}}}
        made = httpx.post(f"{live_server.base_url}/plans", json=body, timeout=60).json()
        assert {
            "day": "2027-02-23",
            "name": "Emperor's Birthday",
            "day_off": kind == "day_off",
        } in (made["holidays"])
        page.goto(private_link(live_server, made))
        page.wait_for_selector(".fc-event")
        holiday = page.locator(shown)
        assert holiday.count() == 1 and "Emperor's Birthday" in holiday.inner_text()
        studied = [s["start"] for s in made["plan"]["sessions"]]
        assert ("2027-02-23T10:00:00+09:00" in studied) == (kind == "day_off")
