"""`planner import`: a roadmap written in Markdown (the shape of shared/source-roadmap.md)
becomes roadmap YAML the planner reads; every mistake is one line naming the Markdown line,
and a failed import writes nothing."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from planner.cli.app import app
from planner.errors import RoadmapMarkdownError
from planner.inputs.loading import bundled_file, load_prerequisites, load_roadmap
from planner.inputs.markdown_roadmap import (
    decode_markdown,
    parse_markdown_roadmap,
    roadmap_slug,
)
from planner.models.roadmap import Roadmap

FIXTURES = Path(__file__).parent / "fixtures"
# A copy of the seed, shared/source-roadmap.md (beside the repository in the workspace).
SEED = FIXTURES / "markdown" / "source-roadmap.md"
SHARED_SEED = Path(__file__).resolve().parents[2] / "shared" / "source-roadmap.md"
FRONTEND = FIXTURES / "markdown" / "frontend-roadmap.md"
runner = CliRunner()


def _seed_text() -> str:
    return SEED.read_text(encoding="utf-8")


@pytest.mark.skipif(not SHARED_SEED.exists(), reason="no shared/ folder beside the checkout")
def test_the_fixture_is_the_seed_as_it_is() -> None:
    assert SEED.read_bytes() == SHARED_SEED.read_bytes()


def _contents(roadmap: Roadmap) -> list[tuple[object, ...]]:
    """Ids, titles, hours, items and links of every section and topic, in order."""
    rows: list[tuple[object, ...]] = []
    for section in roadmap.sections:
        rows.append((section.id, section.title, section.hours))
        for topic in section.topics:
            links = [(link.title, link.url) for link in topic.links]
            rows.append((topic.id, topic.title, topic.hours, list(topic.items), links))
    return rows


def test_the_seed_imports_to_the_bundled_roadmap() -> None:
    imported = parse_markdown_roadmap(_seed_text(), "source-roadmap.md")
    with bundled_file("roadmap.yaml") as path:
        bundled = load_roadmap(path)
    assert (imported.id, imported.title) == (bundled.id, bundled.title)
    assert _contents(imported) == _contents(bundled)
    assert [t.id for t in imported.topics if t.note] == ["5.1"]
    assert 'hours: {"5.1": 6}' in (imported.topic_by_id["5.1"].note or "")


def test_the_written_yaml_reads_like_the_bundled_file(tmp_path: Path) -> None:
    markdown = tmp_path / "ROADMAP.md"
    markdown.write_text(_seed_text(), encoding="utf-8")
    result = runner.invoke(app, ["import", str(markdown), "--output", str(tmp_path / "r.yaml")])
    assert result.exit_code == 0, result.output
    written = (tmp_path / "r.yaml").read_text(encoding="utf-8")
    assert written.startswith(f"# Python Backend Developer Roadmap, imported from {markdown} ")
    assert "must equal the sum of their topics (234 h in all)" in written
    with bundled_file("roadmap.yaml") as path:
        bundled = path.read_text(encoding="utf-8")

    def body(text: str) -> str:
        return "".join(line for line in text.splitlines(True) if not line.startswith("#"))

    assert body(written).strip() == body(bundled).strip()


def test_another_roadmap_written_the_same_way_imports() -> None:
    """Fractional hours, a link in a title, a blank line between a topic and its items,
    a tip inside a section, the compact form, a topic without hours that is a milestone."""
    roadmap = parse_markdown_roadmap(FRONTEND.read_text(encoding="utf-8"), str(FRONTEND))
    assert (roadmap.id, roadmap.title) == ("frontend", "Frontend Developer Roadmap")
    assert _contents(roadmap) == [
        ("1", "Web Basics", 7.5),
        ("1.1", "HTML Essentials", 2.5, ["Semantic elements & forms", "Accessibility basics"],
         [("HTML", "https://developer.mozilla.org/en-US/docs/Web/HTML"),
          ("Accessibility basics", "https://www.w3.org/WAI/fundamentals/")]),
        ("1.2", "CSS Layout", 3.5, ["Flexbox & Grid", "Responsive design with `@media`"], []),
        ("1.3", "Browser DevTools", 1.5, [], []),
        ("2", "JavaScript", 12),
        ("2.1", "Language Core", 6, ["`let`/`const`, functions, closures",
                                     "Promises & `async`/`await`"],
         [("Promises", "https://developer.mozilla.org/en-US/docs/Web/JavaScript/Guide/Using_promises")]),
        ("2.2", "DOM & Events", 6, ["Selecting and changing elements"], []),
        ("2.3", "Build a Portfolio Page", 0, ["A milestone: put sections 1 and 2 together"], []),
        ("3", "Frameworks", 8.5),
        ("3.1", "React Fundamentals", 5, [], []),
        ("3.2", "State Management", 2.5, ["Context & reducers"], []),
        ("3.3", "Deploying a Static Site", 1, [], []),
    ]  # fmt: skip
    assert roadmap.topic_by_id["2.3"].note == (
        "The source gives no estimate: a milestone that gates what needs it. Set your own "
        'hours in your profile (hours: {"2.3": 6}).'
    )
    assert roadmap.total_hours == 28


def test_items_as_a_bullet_list_and_topics_indented_too_little_still_count() -> None:
    text = (
        "# Data Roadmap\n\n"
        "1. **Basics** (3 h)\n\n"
        "1.1. **SQL** (2 h)\n"  # not indented: outside the list item
        "   - SELECT & [JOIN](https://example.org/join)\n"
        "   - GROUP BY\n\n"
        "1.2. **Pandas** (1 h)<br>&nbsp;&nbsp;- DataFrames that\nwrap a line\n"
    )
    roadmap = parse_markdown_roadmap(text, "data.md")
    assert _contents(roadmap)[1:] == [
        ("1.1", "SQL", 2, ["SELECT & JOIN", "GROUP BY"], [("JOIN", "https://example.org/join")]),
        ("1.2", "Pandas", 1, ["DataFrames that wrap a line"], []),
    ]


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("Python Backend Developer Roadmap", "python-backend"),
        ("Frontend Roadmap", "frontend"),
        ("Data Engineering: Zero → Hero", "data-engineering-zero-hero"),
        ("Développeur Web", "developpeur-web"),
        ("Roadmap", "roadmap"),
    ],
)
def test_the_id_is_a_slug_of_the_title(title: str, slug: str) -> None:
    assert roadmap_slug(title) == slug


BASE = (
    "\n".join(
        [
            "# Tiny Roadmap",
            "",
            "1. **Basics** (6 h)",
            "",
            "   1.1. **First** (2 h)  ",  # a hard break, as the seed writes it
            "   &nbsp;&nbsp;- Hello",
            "",
            "   1.2. **Second** (4 h)",
            "",
            "2. **More** (4 h)  ",
            "   2.1. **Practice** (4 h)",
        ]
    )
    + "\n"
)


def _edited(line: int, replacement: str) -> str:
    lines = BASE.splitlines()
    lines[line - 1] = replacement
    return "\n".join(lines) + "\n"


ERRORS = {
    "missing hours": (
        _edited(8, "   1.2. **Second**"),
        ":8: topic 1.2 Second has no hours: write its estimate after its title, as `(4 h)` or "
        "`(1.5 h)` (section 1 states 6 h; its other topics add up to 2 h)",
    ),
    "duplicate topic": (
        _edited(8, "   1.1. **Second** (4 h)"),
        ":8: topic 1.1 is numbered twice (also at line 5)",
    ),
    "duplicate section": (
        _edited(10, "1. **More** (4 h)  "),
        ":10: section 1 is numbered twice (also at line 3)",
    ),
    "topic of another section": (
        _edited(11, "   1.3. **Practice** (4 h)"),
        ":11: topic 1.3 is under section 2 More: number it 2.N, or move it under section 1",
    ),
    "section hours": (
        _edited(3, "1. **Basics** (7 h)"),
        ":3: section 1 Basics states 7 h but its topics add up to 6 h",
    ),
    "total": (
        BASE + "\n**Total Estimated Time: 11 hours**\n",
        ":13: the total says 11 h but the sections add up to 10 h",
    ),
    "no sections": (
        "# Notes\n\nJust text, and a list:\n\n1. read\n2. write\n",
        ": no sections found: a roadmap lists its sections as a numbered list, "
        "`1. **Title** (N h)`, with its topics under each, `1.1. **Title** (N h)`",
    ),
}


@pytest.mark.parametrize("case", ERRORS)
def test_each_mistake_names_its_line(case: str) -> None:
    text, message = ERRORS[case]
    with pytest.raises(RoadmapMarkdownError) as raised:
        parse_markdown_roadmap(text, "tiny.md")
    assert str(raised.value) == f"tiny.md{message}"


def test_the_base_of_the_mistakes_imports() -> None:
    """The mistakes above are each one edit away from a roadmap that imports."""
    assert parse_markdown_roadmap(BASE, "tiny.md").total_hours == 10


def test_not_utf8_names_the_line() -> None:
    with pytest.raises(RoadmapMarkdownError) as raised:
        decode_markdown(b"# T\n\n1. **Caf\xe9** (1 h)\n", "latin1.md")
    assert str(raised.value) == "latin1.md:3: not UTF-8 text (byte 0xe9): save the file as UTF-8"


@pytest.mark.parametrize("case", [*ERRORS, "not utf-8"])
def test_a_failed_import_says_one_line_and_writes_nothing(tmp_path: Path, case: str) -> None:
    markdown = tmp_path / "in" / "ROADMAP.md"
    markdown.parent.mkdir()
    if case == "not utf-8":
        markdown.write_bytes(b"# T\n\n1. **Caf\xe9** (1 h)\n")
    else:
        markdown.write_text(ERRORS[case][0], encoding="utf-8")
    out = tmp_path / "out"
    result = runner.invoke(app, ["import", str(markdown), "--output", str(out / "roadmap.yaml")])
    assert result.exit_code == 1
    assert result.stderr.startswith(f"error: {markdown}")
    assert len(result.stderr.strip().splitlines()) == 1  # no traceback
    assert not out.exists()


def test_import_then_check_and_plan(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["import", str(FRONTEND), "--output", "roadmap.yaml"])
    assert result.exit_code == 0, result.output
    said = " ".join(result.stdout.split())  # as it reads, wherever the terminal wrapped it
    assert f"Frontend Developer Roadmap (frontend) from {FRONTEND}: 3 sections, 9 topics" in said
    assert "2.3 Build a Portfolio Page is imported with 0 h." in said
    assert "Wrote roadmap.yaml and prerequisites.yaml" in said
    next_command = "planner check --roadmap roadmap.yaml --prerequisites prerequisites.yaml"
    assert f"Next: {next_command}\n" in result.stdout
    assert load_roadmap(Path("roadmap.yaml")) == parse_markdown_roadmap(
        FRONTEND.read_text(encoding="utf-8"), str(FRONTEND)
    )
    prerequisites = Path("prerequisites.yaml").read_text(encoding="utf-8")
    assert '#   - {before: "1.1", after: "1.2", why: "..."}' in prerequisites
    assert "`planner check` verifies them" in prerequisites
    assert yaml.safe_load(prerequisites) == {"roadmap": "frontend", "edges": []}

    files = ["--roadmap", "roadmap.yaml", "--prerequisites", "prerequisites.yaml"]
    checked = runner.invoke(app, ["check", *files])
    assert checked.exit_code == 0, checked.output
    assert "3 sections, 9 topics, 28 h" in checked.stdout
    Path("me.yaml").write_text(
        'timezone: Europe/Berlin\nstart: 2027-01-04\nweekly:\n  mon: ["18:00-21:00"]\n'
        '  sat: ["09:00-13:00"]\n',
        encoding="utf-8",
    )
    planned = runner.invoke(app, ["plan", *files, "--profile", "me.yaml", "--ics", "plan.ics"])
    assert planned.exit_code == 0, planned.output
    assert Path("plan.ics").read_bytes().startswith(b"BEGIN:VCALENDAR")


def test_a_second_import_refuses_to_overwrite_and_force_keeps_the_prerequisites(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert runner.invoke(app, ["import", str(FRONTEND)]).exit_code == 0
    Path("prerequisites.yaml").write_text(
        'roadmap: frontend\nedges:\n  - {before: "1.1", after: "1.2", why: "Markup first."}\n',
        encoding="utf-8",
    )
    before = Path("roadmap.yaml").read_bytes()
    again = runner.invoke(app, ["import", str(FRONTEND)])
    assert again.exit_code == 1
    assert again.stderr.strip() == (
        "error: roadmap.yaml: exists; give --force to replace it, or another --output"
    )
    assert Path("roadmap.yaml").read_bytes() == before

    forced = runner.invoke(app, ["import", str(FRONTEND), "--force", "--id", "web"])
    assert forced.exit_code == 0, forced.output
    assert load_roadmap(Path("roadmap.yaml")).id == "web"
    assert "kept prerequisites.yaml as it is (it exists)" in " ".join(forced.stdout.split())
    assert "is for roadmap 'frontend', not 'web'" in forced.stderr
    assert len(load_prerequisites(Path("prerequisites.yaml")).edges) == 1


def test_refusals_of_the_command_line(tmp_path: Path) -> None:
    markdown = tmp_path / "ROADMAP.md"
    markdown.write_text(FRONTEND.read_text(encoding="utf-8"), encoding="utf-8")
    cases = {
        ("--id", "my roadmap"): "--id: 'my roadmap': use 1 to 40 letters, digits, '-' or '_'",
        ("--output", str(markdown)): "refusing to overwrite an input file with the output",
        ("--prerequisites", str(tmp_path / "roadmap.yaml")): "name the same file",
    }
    for options, message in cases.items():
        arguments = ["import", str(markdown), "--output", str(tmp_path / "roadmap.yaml")]
        result = runner.invoke(app, [*arguments, *options])
        assert result.exit_code == 1 and message in result.stderr, result.output
    missing = runner.invoke(app, ["import", str(tmp_path / "nope.md")])
    assert missing.stderr.strip() == f"error: {tmp_path / 'nope.md'}: file not found"
    assert sorted(path.name for path in tmp_path.iterdir()) == ["ROADMAP.md"]


def test_the_planner_starts_without_the_markdown_parser() -> None:
    """markdown-it-py is imported by `planner import` when it runs, not by every command."""
    script = "import sys, planner.cli.app; print('markdown_it' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert result.stdout.strip() == "False", result.stderr


def test_the_guides_example_imports_and_its_error_is_the_real_one() -> None:
    guide = Path(__file__).resolve().parent.parent / "docs" / "own-roadmap.md"
    readme = guide.read_text(encoding="utf-8")
    start = readme.index("```markdown\n# Frontend Developer Roadmap") + len("```markdown\n")
    example = readme[start : readme.index("```\n", start)]
    roadmap = parse_markdown_roadmap(example, "ROADMAP.md")
    assert (roadmap.id, len(roadmap.sections), len(roadmap.topics)) == ("frontend", 2, 5)
    assert roadmap.total_hours == 11.5
    assert 'hours: {"1.3": 3}' in (roadmap.topic_by_id["1.3"].note or "")
    with pytest.raises(RoadmapMarkdownError) as raised:
        parse_markdown_roadmap(example.replace("(4 h)", "(5 h)"), "ROADMAP.md")
    assert f"error: {raised.value}" in readme
