"""YAML files -> validated models. Every error names the file, the key path and the line,
so a learner can go straight to the mistake.
"""

from __future__ import annotations

import importlib.resources
from contextlib import AbstractContextManager
from pathlib import Path
from typing import TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from planner.errors import InputFileError, PlannerError, UnknownTopicError
from planner.inputs.lookup import did_you_mean
from planner.inputs.plan_inputs import PlanInputs
from planner.models.blackouts import UNION_TAGS
from planner.models.fields import KeyProblem
from planner.models.pace import LEARNED_TAG
from planner.models.plan import Plan
from planner.models.profile import Profile
from planner.models.progress import Progress
from planner.models.roadmap import Prerequisites, Roadmap
from planner.words import plural

ModelT = TypeVar("ModelT", bound=BaseModel)
# libyaml's loader when PyYAML was built with it: the bundled roadmap loads ~20x faster.
_FastLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class DuplicateKeyError(Exception):
    """A key given twice in one mapping, at `line` (1-based) the second time."""

    def __init__(self, problem: str, line: int) -> None:
        super().__init__(problem)
        self.problem = problem
        self.line = line


MERGE_TAG = "tag:yaml.org,2002:merge"


class _SafeLoader(_FastLoader):  # type: ignore[misc, valid-type]
    """Dates stay text for pydantic to read: PyYAML's own reading of 2027-04-31 is a
    ValueError from deep inside the loader, with no line and no key. A key given twice
    is refused."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[object, object]:
        """A mapping whose keys are each given once: PyYAML keeps the last of two
        `timezone:` lines without a word, and the learner edits the first."""
        first_lines: dict[object, int] = {}
        for key_node, _ in node.value:
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag == MERGE_TAG:
                continue  # `<<: *defaults` may be overridden: that is what it is for
            key = self.construct_object(key_node)
            line = key_node.start_mark.line + 1
            if key in first_lines:
                raise DuplicateKeyError(
                    f"{key} given twice, lines {first_lines[key]} and {line}", line
                )
            first_lines[key] = line
        return super().construct_mapping(node, deep=deep)  # type: ignore[no-any-return]


_SafeLoader.add_constructor(
    "tag:yaml.org,2002:timestamp", lambda loader, node: loader.construct_scalar(node)
)


def bundled_file(relative_path: str) -> AbstractContextManager[Path]:
    """The path of a file shipped with the package (`roadmap.yaml`, `profiles/example.yaml`).

    The bundled data lives in the repository's `data/` folder and is installed as the
    package `planner.bundled`, so this works from a checkout and from a plain install.
    """
    resource = importlib.resources.files("planner.bundled").joinpath(relative_path)
    return importlib.resources.as_file(resource)


# The most bytes each file may have: far beyond any real one, and small enough that a
# wrong file is refused at once (a 50 MB profile took a minute and 3 GB to refuse).
MB = 2**20
MOST_BYTES = {"roadmap": 16 * MB, "prerequisites": 16 * MB, "profile": MB, "progress": 8 * MB,
              "plan": 256 * MB}  # fmt: skip


def load_roadmap(path: Path) -> Roadmap:
    return load_model(path, Roadmap, MOST_BYTES["roadmap"])


def load_prerequisites(path: Path) -> Prerequisites:
    return load_model(path, Prerequisites, MOST_BYTES["prerequisites"])


def load_profile(path: Path) -> Profile:
    return load_model(path, Profile, MOST_BYTES["profile"])


def load_progress(path: Path) -> Progress:
    return load_model(path, Progress, MOST_BYTES["progress"])


def load_plan(path: Path) -> Plan:
    """A plan JSON file written by `planner plan --json` or `planner replan --json`.

    JSON is a subset of YAML, so the same loader names the line of a mistake.
    """
    return load_model(path, Plan, MOST_BYTES["plan"])


def require_plan_for(plan: Plan, roadmap: Roadmap, path: Path | str) -> None:
    """Refuse a plan (read from `path`) that was made for another roadmap or plans
    topics this roadmap does not have (its history may name topics a roadmap upgrade
    removed).

    Raises:
        PlannerError: the plan is for another roadmap.
        UnknownTopicError: a session names a topic the roadmap does not have.
    """
    if plan.roadmap != roadmap.id:
        raise PlannerError(f"{path}: this plan is for roadmap {plan.roadmap!r}, not {roadmap.id!r}")
    for index, session in enumerate(plan.sessions):
        if session.topic not in roadmap.topic_by_id and not session.done:
            raise UnknownTopicError(
                session.topic,
                path,
                f"sessions[{index}].topic",
                did_you_mean(roadmap, session.topic),
            )


def recorded_profile(plan: Plan, path: Path | str) -> Profile:
    """The profile a plan (read from `path`) was made with, for a re-plan given none.

    Raises:
        PlannerError: the plan records none (an older version made it), or keeps its
            busy calendars' addresses masked (secrets: the learner's own file has them).
    """
    if plan.profile is None:
        raise PlannerError(
            f"{path}: this plan does not record its profile (it was made by an older "
            "version): give your profile with --profile"
        )
    if plan.profile.has_secret_addresses:
        raise PlannerError(
            f"{path}: the plan keeps your busy calendars' addresses masked (they are "
            "secrets): give your profile with --profile"
        )
    return plan.profile


def require_made_from(plan: Plan, inputs: PlanInputs, path: Path | str) -> None:
    """Refuse a plan (read from `path`) made from another roadmap or other prerequisites
    than `inputs` (another version of the files: their digests differ). A plan that
    records no digest (made before plans did) is taken on trust.

    Raises:
        PlannerError: the plan is for another roadmap, or was made from other files.
        UnknownTopicError: a session names a topic the roadmap does not have.
    """
    require_plan_for(plan, inputs.roadmap, path)
    if plan.roadmap_digest is not None and plan.roadmap_digest != inputs.roadmap_digest:
        raise PlannerError(
            f"{path}: this plan was made from another version of roadmap "
            f"{inputs.roadmap.id!r} (digest {_short(plan.roadmap_digest)}) than the roadmap "
            f"and prerequisites given ({inputs.roadmap_path}, {inputs.prerequisites_path}: "
            f"digest {_short(inputs.roadmap_digest)}): re-plan with the files the plan was "
            "made from, or start a new plan with `planner plan`"
        )


def _short(digest: str) -> str:
    """'sha256:' and the first 12 hex digits: enough to tell two digests apart."""
    algorithm, _, hex_digits = digest.rpartition(":")
    return f"{algorithm}:{hex_digits[:12]}" if algorithm else hex_digits[:12]


def load_model(path: Path, model: type[ModelT], most_bytes: int) -> ModelT:
    """Read `path` as YAML and validate it as `model`.

    Raises:
        InputFileError: the file is unreadable, larger than `most_bytes`, not YAML, or
            does not match the schema.
    """
    try:
        size = path.stat().st_size
        if size > most_bytes:
            raise InputFileError(
                path,
                f"{size / MB:.1f} MB: a {model.__name__.lower()} file is at most "
                f"{most_bytes // MB} MB (is it the right file?)",
            )
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputFileError(path, "file not found") from None
    except (OSError, UnicodeDecodeError) as error:
        raise InputFileError(path, f"cannot read the file ({error})") from None
    return model_from_yaml(text, path, model)


def model_from_yaml(text: str, path: Path | str, model: type[ModelT]) -> ModelT:
    """`text` (YAML, named `path` in messages) validated as `model`.

    Raises:
        InputFileError: not YAML, or does not match the schema (the key and its line).
    """
    try:
        document = yaml.load(text, Loader=_SafeLoader)
    except DuplicateKeyError as error:
        raise InputFileError(path, error.problem, line=error.line) from None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        problem = getattr(error, "problem", None) or str(error)
        raise InputFileError(path, f"not valid YAML: {problem}", line=line) from None
    if not isinstance(document, dict):
        raise InputFileError(path, "expected a mapping of keys at the top of the file", line=1)
    try:
        return model.model_validate(document)
    except ValidationError as error:
        # Only now build the node tree (slow in pure Python): it maps keys to lines.
        raise _first_problem(path, yaml.compose(text, Loader=_SafeLoader), error) from None


def _first_problem(
    path: Path | str, root: yaml.Node | None, error: ValidationError
) -> InputFileError:
    detail = error.errors(include_url=False)[0]
    location = _without_union_tags(tuple(detail["loc"]))
    problem = str(detail["msg"]).removeprefix("Value error, ")
    cause = detail.get("ctx", {}).get("error")
    if isinstance(cause, KeyProblem):
        # A model validator's error sits at its model (a profile's: line 1); the key it
        # is about has a line of its own.
        location += cause.key_path
        problem = problem.removeprefix(f"{_format_key_path(location)}: ")
    if detail["type"] == "missing":
        problem = "this key is required"
    elif detail["type"] == "extra_forbidden":
        problem = "unknown key (check the spelling; the guide's Profile keys lists them)"
    elif "class_name" in detail.get("ctx", {}):
        # pydantic names the model's Python class ("instance of HolidaysOff").
        problem = f"expected keys and values here (key: value), not {_kind_of(detail['input'])}"
    elif detail["type"].startswith(("date_", "datetime_")):
        problem = f"{detail['input']!r} is not a date: write dates as YYYY-MM-DD ({problem})"
    count = error.error_count()
    if count > 1:
        problem += f" (and {plural(count - 1, 'more problem')} in this file)"
    return InputFileError(
        path, problem, line=_line_of(root, location), key_path=_format_key_path(location)
    )


def _kind_of(value: object) -> str:
    """How a learner would name what they wrote: "a list", "the text 'KR'"."""
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        return f"the text {value!r}"
    return f"{value!r}"


def _without_union_tags(location: tuple[int | str, ...]) -> tuple[int | str, ...]:
    """The location without the names pydantic gives the members of a tagged union
    (`blackouts[0].date range.to` is the learner's `blackouts[0].to`)."""
    return tuple(part for part in location if part not in UNION_TAGS and part != LEARNED_TAG)


def _format_key_path(location: tuple[int | str, ...]) -> str:
    text = ""
    for part in location:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _line_of(root: yaml.Node | None, location: tuple[int | str, ...]) -> int | None:
    """1-based line of the deepest node of `location` that exists in the YAML tree."""
    node = root
    line = node.start_mark.line + 1 if node is not None else None
    for part in location:
        child = _child(node, part)
        if child is None:
            break
        node = child
        line = node.start_mark.line + 1
    return line


def _child(node: yaml.Node | None, part: int | str) -> yaml.Node | None:
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            if str(key_node.value) == str(part):
                return value_node  # type: ignore[no-any-return]
    if isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
        return node.value[part]  # type: ignore[no-any-return]
    return None
