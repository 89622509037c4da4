"""`planner import`: a roadmap written in Markdown (numbered sections and topics with
their hours, like the bundled roadmap's source) -> roadmap YAML the planner reads, and an
empty prerequisites file beside it."""

from __future__ import annotations

import re
import shlex
from pathlib import Path
from typing import Annotated

import typer
from rich.text import Text

from planner.cli.common import fail, refuse_to_overwrite_inputs, stdout, warn
from planner.cli.startup import lasting_imports
from planner.errors import PlannerError, RoadmapMarkdownError
from planner.inputs.loading import load_prerequisites
from planner.models.roadmap import Roadmap

_ROADMAP_ID = re.compile(r"[A-Za-z0-9_-]{1,40}")


def import_roadmap(
    markdown: Annotated[Path, typer.Argument(metavar="ROADMAP.md", hidden=True)],
    output: Annotated[
        Path, typer.Option("--output", "-o", help="Write the roadmap YAML to this file.")
    ] = Path("roadmap.yaml"),
    prerequisites: Annotated[
        Path | None,
        typer.Option(
            "--prerequisites",
            help="The prerequisites file to go with it, written (with no edges yet) only if "
            "it does not exist. Default: prerequisites.yaml beside the output.",
        ),
    ] = None,
    roadmap_id: Annotated[
        str | None,
        typer.Option(
            "--id",
            metavar="ID",
            help="The roadmap's id (letters, digits, - and _; plans and calendar events carry "
            "it). Default: from the title (`# Python Backend Developer Roadmap` gives "
            "`python-backend`).",
        ),
    ] = None,
    force: Annotated[
        bool,
        typer.Option(
            "--force", help="Replace the output if it exists (prerequisites are never replaced)."
        ),
    ] = False,
) -> None:
    """Turn a roadmap written in Markdown into roadmap YAML to plan with.

    ROADMAP.md: a `# Title`, numbered sections (`1. **Foundations** (10 h)`) and under
    each its topics (`1.1. **Internet Fundamentals** (4 h)`, "(1.5 h)" too), each with
    its `&nbsp;&nbsp;- ` items; links in titles and items are kept, notes, tips and
    blockquotes around them left out. A topic without hours, a number used twice, a
    topic numbered for another section or a section whose hours differ from its
    topics' is an error naming the Markdown line, and nothing is written.

    \b
    Examples:
      planner import ROADMAP.md --output roadmap.yaml
      planner import notes/frontend.md -o frontend.yaml --id frontend
      planner check --roadmap roadmap.yaml --prerequisites prerequisites.yaml
    """
    prerequisites_path = prerequisites or output.parent / "prerequisites.yaml"
    try:
        roadmap = _read(markdown, roadmap_id)
        written = _write(roadmap, markdown, output, prerequisites_path, force)
    except PlannerError as error:
        raise fail(error) from None
    with lasting_imports():
        from planner.output.roadmap_file import import_summary

    stdout.print(import_summary(roadmap, str(markdown)))
    if written:
        stdout.print(
            Text(
                f"Wrote {output} and {prerequisites_path} (no prerequisites yet: add them, "
                "each with its reason, as the comment in that file shows)."
            )
        )
    else:
        stdout.print(Text(f"Wrote {output}; kept {prerequisites_path} as it is (it exists)."))
        _warn_if_for_another_roadmap(prerequisites_path, roadmap)
    files = ["--roadmap", str(output), "--prerequisites", str(prerequisites_path)]
    # Not wrapped by rich: a command copied from the terminal must stay one line.
    stdout.print(Text(f"Next: {shlex.join(['planner', 'check', *files])}"), soft_wrap=True)
    plan = shlex.join(["planner", "plan", *files, "--profile", "my-profile.yaml"])
    stdout.print(Text(f"Then: {plan}"), soft_wrap=True)


def _read(markdown: Path, roadmap_id: str | None) -> Roadmap:
    """The roadmap the Markdown file describes, with `roadmap_id` if one is given."""
    if roadmap_id is not None and not _ROADMAP_ID.fullmatch(roadmap_id):
        raise PlannerError(f"--id: {roadmap_id!r}: use 1 to 40 letters, digits, '-' or '_'")
    with lasting_imports():
        from planner.inputs.markdown_roadmap import decode_markdown, parse_markdown_roadmap

    try:
        raw = markdown.read_bytes()
    except FileNotFoundError:
        raise RoadmapMarkdownError(markdown, "file not found") from None
    except OSError as error:
        raise RoadmapMarkdownError(markdown, f"cannot read the file ({error.strerror})") from None
    text = decode_markdown(raw, str(markdown))
    return parse_markdown_roadmap(text, str(markdown), roadmap_id)


def _write(
    roadmap: Roadmap, markdown: Path, output: Path, prerequisites: Path, force: bool
) -> bool:
    """Write the roadmap YAML, and the prerequisites file if there is none yet, both or
    neither; say whether the prerequisites were written."""
    with lasting_imports():
        from planner.output.files import write_all_or_nothing
        from planner.output.roadmap_file import empty_prerequisites_yaml, roadmap_yaml

    refuse_to_overwrite_inputs([output, prerequisites], [markdown])
    if output.resolve() == prerequisites.resolve():
        raise PlannerError(f"{output}: --output and --prerequisites name the same file")
    if (output.exists() or output.is_symlink()) and not force:
        raise PlannerError(f"{output}: exists; give --force to replace it, or another --output")
    files = {output: roadmap_yaml(roadmap, str(markdown)).encode()}
    write_prerequisites = not (prerequisites.exists() or prerequisites.is_symlink())
    if write_prerequisites:
        files[prerequisites] = empty_prerequisites_yaml(roadmap, str(output)).encode()
    write_all_or_nothing(files)
    return write_prerequisites


def _warn_if_for_another_roadmap(prerequisites: Path, roadmap: Roadmap) -> None:
    """A kept prerequisites file made for another roadmap id: `planner check` would refuse
    it, so say so now."""
    try:
        roadmap_of_edges = load_prerequisites(prerequisites).roadmap
    except PlannerError:
        return  # `planner check` names what is wrong with it
    if roadmap_of_edges != roadmap.id:
        warn(
            f"{prerequisites} is for roadmap {roadmap_of_edges!r}, not {roadmap.id!r}: "
            "change its `roadmap:` line (or give another --prerequisites) before planning"
        )
