"""A roadmap written in Markdown, in the shape of the bundled roadmap's source
(shared/source-roadmap.md), read into a Roadmap for `planner import`:

    # Python Backend Developer Roadmap
    1. **Foundations** (10 h)

       1.1. **Internet Fundamentals** (4 h)
       &nbsp;&nbsp;- Domain names & DNS resolution

A section is an item of a numbered list at the top of the document whose line starts with
a bold title or ends with its hours; other numbered lists, blockquotes (notes, tips),
headings and code are not the roadmap. markdown-it-py tokenizes: `1.1.` is not a list
marker in CommonMark, so a section's topics and their `&nbsp;&nbsp;-` items arrive as the
lines of paragraphs inside the section's list item, split by softbreak and hardbreak
tokens (the compact form, topics right under the section line, is one paragraph). Items
written as a real bullet list are read too, and topics indented too little to stay in the
section's list item still belong to it. What a line says (a topic's number, an item, the
"(N h)" of a title) is read in markdown_lines.py, with the import's only regexes.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass, field

from markdown_it import MarkdownIt
from markdown_it.token import Token
from pydantic import ValidationError

from planner.errors import RoadmapMarkdownError
from planner.inputs.markdown_lines import (
    Line,
    item_text,
    paragraph_lines,
    stated_total,
    title_and_hours,
    topic_id_of,
    topic_number,
)
from planner.models.roadmap import Link, Roadmap, Section, Topic

MAX_HOURS = 10_000  # as the Hours field: more in one topic or section is a typo
NO_SECTIONS = (
    "no sections found: a roadmap lists its sections as a numbered list, "
    "`1. **Title** (N h)`, with its topics under each, `1.1. **Title** (N h)`"
)


def decode_markdown(raw: bytes, path: str) -> str:
    """The text of a Markdown file read as bytes (a UTF-8 byte order mark is dropped).

    Raises:
        RoadmapMarkdownError: the bytes are not UTF-8 (with the line of the first bad byte).
    """
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        problem = f"not UTF-8 text (byte 0x{raw[error.start]:02x}): save the file as UTF-8"
        raise RoadmapMarkdownError(path, problem, line=line) from None


def parse_markdown_roadmap(text: str, path: str, roadmap_id: str | None = None) -> Roadmap:
    """The roadmap that the Markdown `text` (read from `path`, named in errors) describes:
    ids as numbered, titles and items without markup (code keeps its backticks), every
    link of a topic's line and items as its links. A topic without hours is a 0-hour
    milestone with a note when its section's hours are already its other topics' sum.

    Args:
        roadmap_id: the roadmap's id; default: `roadmap_slug` of the `# Title`.

    Raises:
        RoadmapMarkdownError: no title or sections, a topic without hours, a number used
            twice or under another section, hours that do not add up (with the line).
    """
    reader = _Reader(path)
    reader.read(MarkdownIt("commonmark").parse(text))
    return reader.roadmap(roadmap_id)


def roadmap_slug(title: str) -> str:
    """The id `planner import` gives a roadmap by default: the title's words in lower-case
    ASCII joined by "-", without a trailing "developer roadmap" or "roadmap"
    ("Python Backend Developer Roadmap" -> "python-backend")."""
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    words = "".join(c if c.isalnum() else " " for c in ascii_title.lower()).split()
    if words[-2:] == ["developer", "roadmap"]:
        words = words[:-2]
    elif words[-1:] == ["roadmap"]:
        words = words[:-1]
    return "-".join(words)[:40].strip("-") or "roadmap"


@dataclass
class _TopicDraft:
    id: str
    title: str
    hours: float | None
    line: int
    links: list[Link]
    items: list[str] = field(default_factory=list)


@dataclass
class _SectionDraft:
    id: str
    title: str
    hours: float | None
    line: int
    topics: list[_TopicDraft] = field(default_factory=list)


class _Reader:
    """Walks the block tokens once, in order, and collects the sections as drafts."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.title: str | None = None
        self.sections: list[_SectionDraft] = []
        self.current: _SectionDraft | None = None  # the section that topic lines join
        self.totals: list[tuple[int, float]] = []  # (line, hours) of "Total …" lines
        self.numbered: dict[str, int] = {}  # section or topic id -> its line
        self.item_number: str | None = None  # a top-level list item's, until its first line
        self.skipping = False  # inside a top-level list item that is not a section
        self.loose_topics = False  # the last top-level paragraph held topics: items follow

    def error(self, problem: str, line: int | None = None) -> RoadmapMarkdownError:
        return RoadmapMarkdownError(self.path, problem, line=line)

    def read(self, tokens: list[Token]) -> None:
        open_blocks: list[str] = []
        nested_item = False  # a list item inside a section just opened: its line is an item
        for index, token in enumerate(tokens):
            if token.nesting == 1:
                if token.type == "list_item_open" and open_blocks == ["ordered_list_open"]:
                    self.item_number = token.info
                elif token.type == "list_item_open":
                    nested_item = True
                open_blocks.append(token.type)
            elif token.nesting == -1:
                open_blocks.pop()
                if token.type == "list_item_close" and open_blocks == ["ordered_list_open"]:
                    self.item_number, self.skipping = None, False
            elif token.type == "inline":
                if "blockquote_open" not in open_blocks and not self.skipping:
                    self._inline(
                        paragraph_lines(token), open_blocks, tokens[index - 1], nested_item
                    )
                nested_item = False

    def _inline(
        self, lines: list[Line], open_blocks: list[str], opener: Token, nested_item: bool
    ) -> None:
        if opener.type == "heading_open":
            if opener.tag == "h1" and self.title is None:
                self.title = " ".join(line.text for line in lines).strip()
            self.current = None
            self._note(lines)
        elif self.item_number is not None and open_blocks[0] == "ordered_list_open":
            number, self.item_number = self.item_number, None
            self._section(number, lines)
        elif open_blocks == ["paragraph_open"]:
            self._top_level(lines)
        elif self.current is not None and (
            open_blocks[0] == "ordered_list_open"
            or (open_blocks[0] == "bullet_list_open" and self.loose_topics)
        ):
            self._body(self.current, lines, nested_item)
        else:
            self._note(lines)

    def _section(self, number: str, lines: list[Line]) -> None:
        header = lines[0]
        title, hours = title_and_hours(header.text)
        if not header.bold_start and hours is None:  # a numbered list of notes
            self.current, self.skipping = None, True
            self._note(lines)
            return
        section_id = str(int(number))
        self.loose_topics = False
        self._claim("section", section_id, header.number)
        if not title:
            raise self.error(f"section {section_id} has no title", header.number)
        self.current = _SectionDraft(section_id, title, self._checked(hours, header), header.number)
        self.sections.append(self.current)
        self._body(self.current, lines[1:], nested_item=False)

    def _top_level(self, lines: list[Line]) -> None:
        """A paragraph outside any list: topics indented too little for the section's list
        item (and their items) join the last section; anything else is a note."""
        first = lines[0]
        is_topic = topic_number(first) is not None
        if is_topic and self.current is None:
            raise self.error(
                f"topic {topic_id_of(first)} is not under a numbered section: write its "
                "section first, as `1. **Title** (N h)`",
                first.number,
            )
        section = self.current
        if section is not None and (is_topic or (section.topics and item_text(first))):
            self.loose_topics = True
            self._body(section, lines, nested_item=False)
        else:
            self.loose_topics = False
            self._note(lines)

    def _body(self, section: _SectionDraft, lines: list[Line], nested_item: bool) -> None:
        """Lines inside a section: topics, their items, and notes (ignored)."""
        extended: _TopicDraft | None = None  # the topic whose last item a line continues
        for position, line in enumerate(lines):
            number = topic_number(line)
            item = line.text if nested_item and position == 0 else item_text(line)
            if number is not None:
                self._topic(section, number, line)
                extended = None
            elif item is not None:
                extended = None
                if section.topics and item:  # items before the first topic: the section's
                    extended = section.topics[-1]
                    extended.items.append(item)
                    extended.links.extend(line.links)
            elif extended is not None and not line.first and line.text:
                extended.items[-1] = f"{extended.items[-1]} {line.text}".strip()
                extended.links.extend(line.links)
            else:
                extended = None
                self._note([line])

    def _topic(self, section: _SectionDraft, number: re.Match[str], line: Line) -> None:
        topic_id = f"{int(number[1])}.{int(number[2])}"
        if str(int(number[1])) != section.id:
            raise self.error(
                f"topic {topic_id} is under section {section.id} {section.title}: number it "
                f"{section.id}.N, or move it under section {int(number[1])}",
                line.number,
            )
        self._claim("topic", topic_id, line.number)
        title, hours = title_and_hours(line.text[number.end() :])
        if not title:
            raise self.error(f"topic {topic_id} has no title", line.number)
        hours = self._checked(hours, line)
        section.topics.append(_TopicDraft(topic_id, title, hours, line.number, list(line.links)))

    def _note(self, lines: list[Line]) -> None:
        for line in lines:
            if (total := stated_total(line)) is not None:
                self.totals.append((line.number, total))

    def _claim(self, kind: str, number: str, line: int) -> None:
        if number in self.numbered:
            raise self.error(
                f"{kind} {number} is numbered twice (also at line {self.numbered[number]})", line
            )
        self.numbered[number] = line

    def _checked(self, hours: float | None, line: Line) -> float | None:
        if hours is not None and hours > MAX_HOURS:
            raise self.error(f"{hours:g} h is more than {MAX_HOURS:,} h: a typo?", line.number)
        return hours

    def roadmap(self, roadmap_id: str | None) -> Roadmap:
        if not self.sections:
            raise self.error(NO_SECTIONS)
        if not self.title:
            raise self.error(
                "no `# Title` line: start the roadmap with its title, as "
                "`# Frontend Developer Roadmap`"
            )
        sections = [self._finished(draft) for draft in self.sections]
        total = math.fsum(section.hours for section in sections)
        for line, stated in self.totals:
            if not math.isclose(stated, total, abs_tol=1e-9):
                raise self.error(
                    f"the total says {stated:g} h but the sections add up to {total:g} h", line
                )
        try:
            return Roadmap(
                id=roadmap_id or roadmap_slug(self.title),
                title=self.title,
                sections=tuple(sections),
            )
        except ValidationError as error:  # what the checks above let through (none known)
            raise self.error(str(error.errors()[0]["msg"]).removeprefix("Value error, ")) from None

    def _finished(self, draft: _SectionDraft) -> Section:
        """The section, its topics' hours checked against its own."""
        if not draft.topics:
            raise self.error(
                f"section {draft.id} {draft.title} has no topics: list them under it as "
                f"`{draft.id}.1. **Title** (N h)`",
                draft.line,
            )
        estimated = [topic.hours for topic in draft.topics if topic.hours is not None]
        topic_sum = round(math.fsum(estimated), 9)
        stated = draft.hours if draft.hours is not None else topic_sum
        for topic in draft.topics:
            if topic.hours is None and (
                draft.hours is None or not math.isclose(topic_sum, stated, abs_tol=1e-9)
            ):
                sums = (
                    f" (section {draft.id} states {stated:g} h; its other topics add up to "
                    f"{topic_sum:g} h)"
                    if draft.hours is not None
                    else ""
                )
                raise self.error(
                    f"topic {topic.id} {topic.title} has no hours: write its estimate after "
                    f"its title, as `(4 h)` or `(1.5 h)`{sums}",
                    topic.line,
                )
        if not math.isclose(topic_sum, stated, abs_tol=1e-9):
            raise self.error(
                f"section {draft.id} {draft.title} states {stated:g} h but its topics add up "
                f"to {topic_sum:g} h",
                draft.line,
            )
        topics = [
            Topic(
                id=topic.id,
                title=topic.title,
                hours=topic.hours if topic.hours is not None else 0.0,
                items=tuple(topic.items),
                links=tuple(topic.links),
                note=None if topic.hours is not None else _no_estimate(topic.id, estimated),
            )
            for topic in draft.topics
        ]
        return Section(id=draft.id, title=draft.title, hours=stated, topics=tuple(topics))


def _no_estimate(topic_id: str, other_hours: list[float]) -> str:
    """The note of a topic the source gives no hours; it suggests as many as the longest
    other topic of its section."""
    suggested = max([math.ceil(hours) for hours in other_hours] + [1])
    return (
        "The source gives no estimate: a milestone that gates what needs it. Set your own "
        f'hours in your profile (hours: {{"{topic_id}": {suggested}}}).'
    )
