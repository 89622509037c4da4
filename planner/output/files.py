"""Files written whole or not at all, so a failed run never leaves a half-written or
lost calendar, plan or chart behind."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from planner.errors import PlannerError


def require_inside(path: Path, folder: Path) -> None:
    """Refuse `path` when it leads out of `folder` (a symlink, or `..` in a name).

    Raises:
        PlannerError: naming the path and where it leads.
    """
    resolved = path.resolve()
    if not resolved.is_relative_to(folder.resolve()):
        raise PlannerError(
            f"{path}: leads to {resolved}, outside {folder}: nothing is written out of it"
        )


def write_all_or_nothing(files: dict[Path, bytes]) -> None:
    """Write every file or none: each goes to a temporary file beside it first, and only
    when all are written do they replace the old ones, keeping their permissions.

    A symlink is written through (its target is replaced, the link stays: a calendar
    linked into a synced folder keeps syncing); a FIFO, device, socket or folder is
    refused rather than replaced by a regular file.

    Raises:
        PlannerError: a target is not a regular file, or a file cannot be written (the
            old files are left as they were).
    """
    targets = {_regular_target(path): content for path, content in files.items()}
    written: list[tuple[str, Path]] = []
    try:
        for path, content in targets.items():
            path.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
            written.append((temporary, path))
            with os.fdopen(handle, "wb") as file:
                file.write(content)
                os.fchmod(file.fileno(), _mode_for(path))
        for temporary, path in written:
            os.replace(temporary, path)
    except OSError as error:
        raise PlannerError(f"{error.filename or path}: cannot write ({error.strerror})") from None
    finally:
        for temporary, _path in written:
            Path(temporary).unlink(missing_ok=True)


def _regular_target(path: Path) -> Path:
    """The file to replace for `path`: itself, or the file a symlink points to."""
    target = path.resolve() if path.is_symlink() else path
    if target.exists() and not target.is_file():
        kind = "a folder" if target.is_dir() else "not a regular file (a pipe or a device?)"
        raise PlannerError(f"{path}: is {kind}; give the path of a file to write")
    return target


def _mode_for(path: Path) -> int:
    """The permissions `path` has, or those a new file gets (mkstemp's are owner-only)."""
    try:
        return path.stat().st_mode & 0o777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask
