"""Where the project's files are, from any working directory."""

from __future__ import annotations

import os
from pathlib import Path


def _find_root() -> Path:
    """The repository root: $KGKZ_ROOT, else the first parent holding data/datapackage.json."""
    if env := os.environ.get("KGKZ_ROOT"):
        return Path(env).resolve()
    for start in (Path(__file__).resolve(), Path.cwd().resolve()):
        for parent in (start, *start.parents):
            if (parent / "data" / "datapackage.json").is_file():
                return parent
    raise FileNotFoundError(
        "cannot find the project root (a folder with data/datapackage.json); set KGKZ_ROOT"
    )


ROOT = _find_root()
DATA = ROOT / "data"
SEEDS = ROOT / "seeds"
BOOK = ROOT / "book"
DATAPACKAGE = DATA / "datapackage.json"
SHARED_PUBLIC_RECORD = ROOT.parent / "shared" / "references" / "public_record.csv"
