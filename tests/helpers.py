"""Helpers shared by the tests that work on a fresh copy of the repository."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from kgkz import paths


def copy_tracked(dest: Path) -> None:
    """Copy the repository's tracked files (and those added but not yet committed) to
    ``dest``: a fresh checkout that the tests may change."""
    listing = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=paths.root(),
        capture_output=True,
        text=True,
        check=True,
    )
    for name in filter(None, listing.stdout.split("\0")):
        source = paths.root() / name
        if not source.is_file():  # deleted in the work tree
            continue
        target = dest / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, target)
