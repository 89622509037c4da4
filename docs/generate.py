"""Write the guide's generated parts: the profile reference (from `Profile`'s JSON
schema), the command reference (from the Typer app) and the built guide that
`planner serve` shows at /guide (`api/web/guide/`, shipped in the wheel).

    python -m docs.generate           # write them
    python -m docs.generate --check   # exit 1 when a page in the repository is stale

The build is deterministic (no sitemap with its build date, the same files in the same
order), so the check can compare bytes.
"""

from __future__ import annotations

import argparse
import filecmp
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
BUILT_GUIDE = ROOT / "api" / "web" / "guide"
REFRESH = "python -m docs.generate"
# What the served guide does not need: the sitemap (it carries the build date), source
# maps, and the search of other languages than English (~1 MB; `lang: en` loads none).
UNUSED = ("sitemap.xml", "sitemap.xml.gz", "assets/javascripts/lunr")
UNUSED_SUFFIXES = (".map",)

HEADER = "<!-- Written by `{command}` from {source}: edit that, not this page. -->\n\n"


def profile_reference() -> str:
    """Every key of the profile: type, default, description and examples."""
    from planner.models.profile import Profile

    schema = Profile.model_json_schema()
    definitions = schema.get("$defs", {})
    lines = [
        HEADER.format(command=REFRESH, source="`planner/models/`"),
        "# Profile keys\n\n",
        "Every key a profile (`profile.yaml`, or `profile` in `POST /plans`) may hold. ",
        "Only `timezone` and `weekly` are required; any other key is refused with the ",
        "closest known one. [Your week and your goals](../your-week.md) explains them ",
        "with examples.\n\n",
    ]
    lines += _keys_table(schema, required=set(schema.get("required", [])))
    for name in sorted(definitions):
        definition = definitions[name]
        if "properties" not in definition:
            continue
        lines.append(f"\n## {_title(name)}\n\n")
        if definition.get("description"):
            lines.append(f"{_one_line(definition['description'])}\n\n")
        lines += _keys_table(definition, required=set(definition.get("required", [])))
    return "".join(lines)


def _title(definition_name: str) -> str:
    return {
        "BusySource": "`busy[]`: a calendar of yours",
        "DateRange": "`blackouts[]`: days off",
        "HolidayBlackout": "`blackouts[]`: public holidays",
        "ReplanRules": "`replan`",
        "ReviewRules": "`review`",
        "SessionRules": "`session`",
    }.get(definition_name, definition_name)


def _keys_table(model: dict[str, Any], required: set[str]) -> list[str]:
    rows = ["| Key | Type | Default | What it is |\n", "|---|---|---|---|\n"]
    for key, field in model["properties"].items():
        default = "required" if key in required else _default(field)
        what = _one_line(field.get("description", ""))
        examples = field.get("examples") or _item_examples(field)
        if examples:
            shown = ", ".join(f"`{json.dumps(example)}`" for example in examples)
            what += f" Examples: {shown}."
        rows.append(f"| `{key}` | {_type(field)} | {default} | {what.strip()} |\n")
    return rows


def _default(field: dict[str, Any]) -> str:
    if "default" not in field:
        return ""
    return f"`{json.dumps(field['default'])}`"


def _item_examples(field: dict[str, Any]) -> list[Any]:
    for inner in ("items", "additionalProperties"):
        value = field.get(inner)
        if isinstance(value, dict) and value.get("examples"):
            return list(value["examples"])
    return []


def _type(field: dict[str, Any]) -> str:
    if "$ref" in field:
        return f"[{_title(field['$ref'].rsplit('/', 1)[-1])}](#{_anchor(field['$ref'])})"
    if "enum" in field:
        return " \\| ".join(f"`{value}`" for value in field["enum"])
    for combined in ("anyOf", "oneOf"):
        if combined in field:
            kinds = [_type(option) for option in field[combined] if option != {"type": "null"}]
            return " or ".join(dict.fromkeys(kinds))
    kind = field.get("type", "")
    if kind == "array":
        return f"list of {_type(field.get('items', {}))}"
    if kind == "object":
        return "mapping"
    if field.get("format") == "date":
        return "date"
    return {"string": "text", "integer": "whole number", "boolean": "true/false"}.get(kind, kind)


def _anchor(reference: str) -> str:
    """The anchor mkdocs' toc gives the heading `_title` writes for a definition."""
    import re

    title = _title(reference.rsplit("/", 1)[-1]).lower()
    return re.sub(r"[^a-z0-9 _-]", "", title).strip().replace(" ", "-")


def _one_line(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def cli_reference() -> str:
    """The `planner` command and its subcommands, as Typer writes them, with each help's
    examples in a code block."""
    import typer
    from typer.cli import get_docs_for_click

    from planner.cli.app import app

    command = typer.main.get_command(app)
    context = typer.Context(command, info_name="planner")
    text = get_docs_for_click(obj=command, ctx=context, name="planner", title="Commands")
    # The list of commands: each one's whole first line, not click's 45 characters.
    for name, sub in command.commands.items():
        whole = sub.get_short_help_str(limit=200)
        short = f"* `{name}`: {sub.get_short_help_str()}\n"
        text = text.replace(short, f"* [`{name}`](#planner-{name}): {whole}\n")
    return HEADER.format(command=REFRESH, source="the Typer app (`planner/cli/`)") + (
        _fence_examples(text).strip() + "\n"
    )


def _fence_examples(text: str) -> str:
    """Help texts indent their examples by two spaces; Markdown would run them together."""
    out: list[str] = []
    in_block = False
    for line in text.splitlines():
        indented = line.startswith("  ") and not line.startswith("* ")
        if indented and not in_block and out and out[-1].endswith(":"):
            out += ["", "```sh"]
            in_block = True
        elif in_block and not indented:
            out.append("```")
            in_block = False
        out.append(line[2:] if in_block else line)
    if in_block:
        out.append("```")
    return "\n".join(out)


def write_pages(docs: Path) -> None:
    (docs / "reference").mkdir(exist_ok=True)
    (docs / "reference" / "profile.md").write_text(profile_reference(), encoding="utf-8")
    (docs / "reference" / "cli.md").write_text(cli_reference(), encoding="utf-8")
    # The benchmark writes its figure beside its results; the guide shows a copy.
    (docs / "assets").mkdir(exist_ok=True)
    shutil.copy(ROOT / "bench" / "scaling.svg", docs / "assets" / "scaling.svg")


def build_site(config: Path, site: Path) -> None:
    """`mkdocs build --strict` into `site`, then drop what the guide does not use."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "-q"]
    command += ["--config-file", str(config), "--site-dir", str(site)]
    subprocess.run(command, check=True, env=env, cwd=config.parent)
    for name in UNUSED:
        path = site / name
        if path.is_dir():
            shutil.rmtree(path)
        else:
            path.unlink(missing_ok=True)
    for path in site.rglob("*"):
        if path.suffix in UNUSED_SUFFIXES:
            path.unlink()


def _stale(fresh: Path, kept: Path) -> list[str]:
    """Files that differ between two trees (relative paths)."""
    stale: list[str] = []
    comparison = filecmp.dircmp(fresh, kept)
    stack = [(comparison, Path())]
    while stack:
        node, prefix = stack.pop()
        stale += [str(prefix / name) for name in node.left_only + node.right_only]
        stale += [str(prefix / name) for name in node.diff_files + node.funny_files]
        for name, child in node.subdirs.items():
            if name != "__pycache__":
                stack.append((child, prefix / name))
    return sorted(stale)


def check() -> list[str]:
    """The generated files that are stale, in a fresh copy of the docs built aside."""
    with tempfile.TemporaryDirectory() as scratch:
        work = Path(scratch)
        shutil.copytree(DOCS, work / "docs", ignore=shutil.ignore_patterns("__pycache__"))
        shutil.copy(ROOT / "mkdocs.yml", work / "mkdocs.yml")
        for included in ("TESTING.md",):
            shutil.copy(ROOT / included, work / included)
        write_pages(work / "docs")
        stale = [
            f"docs/reference/{name}"
            for name in ("profile.md", "cli.md")
            if (work / "docs" / "reference" / name).read_bytes()
            != (DOCS / "reference" / name).read_bytes()
        ]
        build_site(work / "mkdocs.yml", work / "site")
        stale += [f"api/web/guide/{name}" for name in _stale(work / "site", BUILT_GUIDE)]
        return stale


def main() -> None:
    parser = argparse.ArgumentParser(prog=REFRESH, description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="only say what is stale")
    if parser.parse_args().check:
        stale = check()
        if stale:
            print(f"stale (run `{REFRESH}`): " + ", ".join(stale[:20]), file=sys.stderr)
            raise SystemExit(1)
        return
    write_pages(DOCS)
    if BUILT_GUIDE.exists():
        shutil.rmtree(BUILT_GUIDE)
    build_site(ROOT / "mkdocs.yml", BUILT_GUIDE)


if __name__ == "__main__":
    main()
