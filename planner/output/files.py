"""Files written whole or not at all, so a failed run never leaves a half-written or
lost calendar, plan or chart behind."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from planner.errors import PlannerError


def write_all_or_nothing(files: dict[Path, bytes]) -> None:
    """Write every file or none: each goes to a temporary file beside it first, and only
    when all are written do they replace the old ones, keeping their permissions.

    Raises:
        PlannerError: a file cannot be written (the old files are left as they were).
    """
    written: list[tuple[str, Path]] = []
    try:
        for path, content in files.items():
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


def _mode_for(path: Path) -> int:
    """The permissions `path` has, or those a new file gets (mkstemp's are owner-only)."""
    try:
        return path.stat().st_mode & 0o777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask
