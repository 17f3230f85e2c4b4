"""The package's layers import only downwards: data → analysis → render → build."""

import re

import pytest

from kgkz import paths

ORDER = ["data", "analysis", "render", "build"]
IMPORT = re.compile(r"^\s*(?:from|import)\s+(?:kgkz\.|\.\.)(data|analysis|render|build)\b", re.M)


@pytest.mark.parametrize("layer", ORDER)
def test_no_import_runs_back_up(layer):
    above = set(ORDER[ORDER.index(layer) + 1 :])
    for path in (paths.root() / "src" / "kgkz" / layer).rglob("*.py"):
        found = set(IMPORT.findall(path.read_text(encoding="utf-8")))
        assert not found & above, f"{path.name} imports {found & above}"
