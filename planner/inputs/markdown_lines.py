"""The lines of a Markdown roadmap's paragraphs, from markdown-it-py's inline tokens: each
line's text without markup (code keeps its backticks), its links and its line in the file;
and what a line says: a topic's "N.M." number, an item, a title with its "(N h)", a stated
total. The only regexes of the import are here, and they read only those few things."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from markdown_it.token import Token

from planner.models.roadmap import Link

_HOURS = re.compile(r"\(\s*(\d+(?:\.\d+)?)\s*(?:h|hrs?|hours?)\s*\)\s*$", re.IGNORECASE)
_TOPIC_NUMBER = re.compile(r"(\d+)\.(\d+)\.?(?=\s|$)")
_TOTAL = re.compile(r"total\b\D*?(\d+(?:\.\d+)?)\s*(?:h|hrs?|hours?)\b", re.IGNORECASE)
_ITEM_MARKERS = ("- ", "* ", "+ ", "• ")
_TITLE_TAIL = " \t\u00a0-\u2013\u2014:"  # what may stand between a title and its "(N h)"


@dataclass
class Line:
    """One line of a paragraph: its text without markup, and the links in it."""

    number: int  # in the Markdown file, 1-based
    first: bool  # the paragraph's first line
    text: str = ""
    links: list[Link] = field(default_factory=list)
    bold_start: bool = False


def paragraph_lines(inline: Token) -> list[Line]:
    """The lines of a paragraph or heading: split at softbreaks, hardbreaks and `<br>`,
    except inside bold, emphasis or a link (a title that wraps stays one line)."""
    first_line = (inline.map[0] if inline.map else 0) + 1
    lines = [Line(first_line, first=True)]
    newlines = depth = 0
    link: tuple[str, list[str]] | None = None  # href, text so far
    for child in inline.children or []:
        line = lines[-1]
        is_br = child.type == "html_inline" and child.content.lower().startswith("<br")
        if child.type in ("softbreak", "hardbreak") or is_br:
            newlines += not is_br
            if depth == 0:
                lines.append(Line(first_line + newlines, first=False))
                continue
            piece = " "
        elif child.nesting == 1:
            depth += 1
            if child.type == "link_open":
                link = (str(child.attrGet("href") or ""), [])
            elif not line.text.strip():
                line.bold_start |= child.type == "strong_open"
            continue
        elif child.nesting == -1:
            depth -= 1
            if child.type == "link_close" and link is not None:
                href, parts = link
                line.links.append(Link(title="".join(parts).strip() or href, url=href))
                link = None
            continue
        else:
            piece = text_of(child)
        line.text += piece
        if link is not None:
            link[1].append(piece)
    for line in lines:
        line.text = line.text.strip()
    return lines


def text_of(token: Token) -> str:
    """A leaf token as text: code keeps its backticks, an image is its alt text, raw
    HTML is dropped."""
    if token.type == "code_inline":
        padding = " " if token.content.startswith("`") or token.content.endswith("`") else ""
        return f"{token.markup}{padding}{token.content}{padding}{token.markup}"
    if token.type == "image":
        return "".join(text_of(child) for child in token.children or [] if not child.nesting)
    return "" if token.type == "html_inline" else token.content


def title_and_hours(text: str) -> tuple[str, float | None]:
    """ "Internet Fundamentals (4 h)" -> ("Internet Fundamentals", 4.0)."""
    hours = _HOURS.search(text)
    if hours is None:
        return text.strip(), None
    return text[: hours.start()].rstrip(_TITLE_TAIL).strip(), float(hours[1])


def topic_number(line: Line) -> re.Match[str] | None:
    """The "N.M." that starts a topic's line: with its final dot, or on a line that ends
    with hours ("2.5 hours of video" is an item's text, not topic 2.5)."""
    number = _TOPIC_NUMBER.match(line.text)
    if number is None or not (number[0].endswith(".") or _HOURS.search(line.text)):
        return None
    return number


def topic_id_of(line: Line) -> str:
    number = _TOPIC_NUMBER.match(line.text)
    return f"{int(number[1])}.{int(number[2])}" if number else line.text


def item_text(line: Line) -> str | None:
    """The text of an item line (`&nbsp;&nbsp;- text`), or None for any other line."""
    for marker in _ITEM_MARKERS:
        if line.text.startswith(marker):
            return line.text[len(marker) :].strip()
    return None


def stated_total(line: Line) -> float | None:
    """The hours of a "Total Estimated Time: 234 hours" line, or None for any other."""
    total = _TOTAL.match(line.text)
    return float(total[1]) if total else None
