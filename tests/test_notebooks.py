"""Chapters are committed without outputs (nbval then only checks that they run), and
stay thin: no long function definitions, no hand-built paths."""

from __future__ import annotations

import nbformat
import pytest

from kgkz.build import state

NOTEBOOKS = state.chapters()


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_is_clean(path):
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, path.name


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_is_thin(path):
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        assert "matplotlib.use(" not in cell.source, "figures would not be captured"
        assert "open(" not in cell.source and "../" not in cell.source
        lines = cell.source.splitlines()
        for i, line in enumerate(lines):
            if line.startswith("def "):
                body = [ln for ln in lines[i + 1 :] if ln.startswith("    ")]
                assert len(body) <= 5, f"{path.name}: move {line} into the package"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_code_is_hidden_from_readers(path):
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            tags = set(cell.metadata.get("tags", []))
            assert tags & {"remove-cell", "remove-input"}, path.name
