"""Debian packages the test suite needs (a browser, a database server): installed with
apt-get when missing and the suite runs as root (as CI does); otherwise the suite stops
and says which command to run."""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest


def apt_install(package: str, why: str) -> None:
    """`apt-get install package` (after `apt-get update`), or fail saying how to.

    Args:
        package: the Debian package.
        why: what needs it, for the message ("The browser tests use Debian's Chromium").
    """
    apt_get = shutil.which("apt-get")
    if apt_get is None or os.geteuid() != 0:
        pytest.fail(
            f"{why}: `sudo apt-get install {package}` (the suite installs it itself only "
            "when it runs as root, as CI does).",
            pytrace=False,
        )
    environment = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    for command in ([apt_get, "update", "-q"], [apt_get, "install", "-y", "-q", package]):
        result = subprocess.run(
            command, capture_output=True, text=True, env=environment, check=False, timeout=900
        )
        if result.returncode != 0:
            pytest.fail(f"{' '.join(command)} failed:\n{result.stderr[-3000:]}", pytrace=False)
