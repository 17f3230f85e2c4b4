"""Where the project's files are, from any working directory.

The root is found when asked (not when this module is imported), so a process that moves
to another checkout, or sets ``KGKZ_ROOT``, sees that checkout.
"""

from __future__ import annotations

import os
from pathlib import Path


def root() -> Path:
    """The repository root: $KGKZ_ROOT, else the first parent of this package or of the
    working directory that holds data/datapackage.json."""
    if env := os.environ.get("KGKZ_ROOT"):
        return Path(env).resolve()
    for start in (Path(__file__).resolve(), Path.cwd().resolve()):
        for parent in (start, *start.parents):
            if (parent / "data" / "datapackage.json").is_file():
                return parent
    raise FileNotFoundError(
        "cannot find the project root (a folder with data/datapackage.json); set KGKZ_ROOT"
    )


def data() -> Path:
    return root() / "data"


def seeds() -> Path:
    return root() / "seeds"


def book() -> Path:
    return root() / "book"


def build() -> Path:
    return root() / "_build"


def datapackage() -> Path:
    return data() / "datapackage.json"


def shared_public_record() -> Path:
    """The shared public record beside the checkout (``../shared/references``)."""
    return root().parent / "shared" / "references" / "public_record.csv"
