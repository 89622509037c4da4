"""What the web pages stand on, through TestClient: the roadmap catalogue, what-if, the
security headers, pages without inline scripts, and /docs from our own files. (The
pages themselves are tested in a real browser: tests/browser/.)"""

from __future__ import annotations

import re
from typing import Any

import networkx as nx
import pytest

from api.web.pages import ORDER_CHOICES
from planner.models.order import ORDER_MODES

PAGES = ["/", "/plan/0123abcd", "/plan/0123abcd/today", "/plan/0123abcd/subscribe",
         "/plan/0123abcd/whatif", "/docs"]  # fmt: skip


@pytest.fixture
def owned(
    api_client: Any, example_profile: dict[str, Any]
) -> tuple[dict[str, Any], dict[str, str]]:
    """A plan of the example profile, and the headers of its owner."""
    response = api_client.post("/plans", json={"profile": example_profile})
    assert response.status_code == 201, response.text
    created = response.json()
    return created, {"Authorization": f"Bearer {created['owner_token']}"}


def test_the_catalogue_lists_the_bundled_roadmap(api_client: Any) -> None:
    response = api_client.get("/roadmaps")
    assert response.json() == [
        {
            "id": "python-backend",
            "title": "Python Backend Developer Roadmap",
            "hours": 234.0,
            "sections": 16,
            "topics": 52,
        }
    ]
    assert "max-age" in response.headers["Cache-Control"]


def test_a_roadmap_comes_with_its_topic_edges_reduced(api_client: Any) -> None:
    roadmap = api_client.get("/roadmaps/python-backend").json()
    topics = {topic["id"] for section in roadmap["sections"] for topic in section["topics"]}
    assert len(topics) == 52
    graph = nx.DiGraph((edge["before"], edge["after"]) for edge in roadmap["edges"])
    assert set(graph.nodes) <= topics, "section ids are expanded to their topics"
    assert nx.is_directed_acyclic_graph(graph)
    assert set(nx.transitive_reduction(graph).edges) == set(graph.edges)
    assert all(edge["why"] for edge in roadmap["edges"])


def test_an_unknown_roadmap_is_404(api_client: Any) -> None:
    response = api_client.get("/roadmaps/no-such-roadmap")
    assert response.status_code == 404
    assert response.json() == {"detail": "no such roadmap"}


def test_what_if_defaults_to_budgets_around_the_learners_week(api_client: Any, owned: Any) -> None:
    created, owner = owned
    answer = api_client.get(f"/plans/{created['id']}/whatif", headers=owner).json()
    assert answer["current_hours_per_week"] == 8
    assert [row["hours_per_week"] for row in answer["rows"]] == [4, 6, 8, 12, 16]
    own = next(row for row in answer["rows"] if row["hours_per_week"] == 8)
    assert own["finish"] == created["plan"]["finish"], "8 h is the plan itself"
    finishes = [row["finish"] for row in answer["rows"]]
    assert finishes == sorted(finishes, reverse=True), "more hours never finish later"


def test_what_if_takes_budgets_and_refuses_bad_ones(api_client: Any, owned: Any) -> None:
    created, owner = owned
    url = f"/plans/{created['id']}/whatif"
    answer = api_client.get(url, params={"hours_per_week": [10, 5]}, headers=owner)
    assert [row["hours_per_week"] for row in answer.json()["rows"]] == [5, 10]
    too_many = api_client.get(url, params={"hours_per_week": list(range(1, 10))},
                              headers=owner)  # fmt: skip
    assert too_many.status_code == 422
    negative = api_client.get(url, params={"hours_per_week": [-1]}, headers=owner)
    assert negative.status_code == 422
    assert negative.json()["detail"][0]["loc"] == ["query", "hours_per_week", 0]
    assert api_client.get(url).status_code == 404, "the owner token is needed"


def test_least_hours_for_a_goal_by_a_date(api_client: Any, owned: Any) -> None:
    """The planner's `least_weekly_hours` for the web app: "how many hours a week for
    6.3 by this date?", each budget planned."""
    created, owner = owned
    url = f"/plans/{created['id']}/least-hours"
    answer = api_client.get(url, params={"goal": "6.3", "by": "2027-02-14"}, headers=owner)
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["goal"] == "6.3" and body["current_hours_per_week"] == 8
    assert body["hours_per_week"] > 8 and body["reached"] <= "2027-02-15"
    unknown = api_client.get(url, params={"goal": "FastAPI", "by": "2027-06-30"}, headers=owner)
    assert unknown.status_code == 422
    assert unknown.json()["detail"][0]["loc"] == ["query", "goal"], "beside the goal field"
    assert "unknown topic or section id 'FastAPI' (did you mean 6.3 FastAPI?)" in unknown.text
    assert api_client.get(url, params={"by": "2027-06-30"}).status_code == 404


@pytest.mark.parametrize("path", [*PAGES, "/health", "/roadmaps"])
def test_every_answer_carries_the_security_headers(api_client: Any, path: str) -> None:
    headers = api_client.get(path).headers
    assert headers["Referrer-Policy"] == "no-referrer"
    assert headers["X-Content-Type-Options"] == "nosniff"
    policy = dict(
        part.strip().split(" ", 1) for part in headers["Content-Security-Policy"].split(";")
    )
    assert policy["script-src"] == "'self'"
    assert "unsafe" not in headers["Content-Security-Policy"]
    assert policy["frame-ancestors"] == "'none'"


@pytest.mark.parametrize("path", PAGES)
def test_pages_have_no_inline_script_and_load_only_their_own_files(
    api_client: Any, path: str
) -> None:
    response = api_client.get(path)
    assert response.status_code == 200
    html = response.text
    scripts = re.findall(r"<script\b([^>]*)>(.*?)</script>", html, re.DOTALL)
    assert scripts and all('src="/static/' in attributes and not body.strip()
                           for attributes, body in scripts)  # fmt: skip
    assert not re.search(r"\son\w+=", html), "no inline event handlers"
    for url in re.findall(r'(?:src|href)="([^"#]+)"', html):
        assert url.startswith("/"), f"{path} loads {url} from another site"
        if url.startswith("/static/"):
            assert api_client.get(url).status_code == 200, url


def test_a_nonce_per_answer_for_the_calendars_styles(api_client: Any) -> None:
    nonces = set()
    for _ in range(2):
        response = api_client.get("/plan/0123abcd")
        nonce = re.search(r'<meta name="csp-nonce" content="([^"]+)">', response.text)
        assert nonce is not None
        assert f"'nonce-{nonce[1]}'" in response.headers["Content-Security-Policy"]
        nonces.add(nonce[1])
    assert len(nonces) == 2


def test_the_form_offers_each_order_mode_and_reviews_with_the_models_defaults(
    api_client: Any,
) -> None:
    """Every order mode the Profile model has, explained in a line, its default checked;
    the shift limit's and the reviews' defaults are the models' own."""
    html = " ".join(api_client.get("/").text.split())
    modes = re.findall(
        r'<input type="radio" name="order" id="order-(\w+)" value="\w+"( checked)?>', html
    )
    assert modes == [("roadmap", ""), ("balanced", " checked"), ("free", "")]
    assert set(ORDER_CHOICES) == set(ORDER_MODES)
    assert re.search(r'<input type="number" id="max-shift"[^>]*value="3"', html)
    assert '<input type="checkbox" id="review"' in html
    assert "A 20-minute review of each topic of 2 h or more, 1, 7 and 30 days after" in html
