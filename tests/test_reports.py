"""Every report of the public record is accounted for: cited by a chapter, or listed in
data/selections.csv (chapter ``method``, key ``unused_report``) with a note saying why.

What a chapter cites is computed, never typed: its prose, and the glued tables and notes
its prose pastes (the evidence links of the records it tables), read from the chapter as
executed. A chapter whose execution cache is current is read from the cache; the others
are executed here, in fresh kernels, without touching the cache.
"""

from __future__ import annotations

import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import nbformat
import pytest

from kgkz import paths
from kgkz.analysis import method
from kgkz.build import execute, state


def _cached(path):
    """The chapter as last executed, from the build's cache, or None if it is stale."""
    if path in state.stale([path]):
        return None
    from jupyter_cache import get_cache

    cache = get_cache(str(state.cache_dir()))
    try:
        # The cache keeps code cells only: merge its outputs into the whole chapter.
        _, merged = cache.merge_match_into_notebook(nbformat.read(path, as_version=4))
    except KeyError:
        return None
    return merged


@pytest.fixture(scope="module")
def executed() -> dict[str, dict]:
    """Every chapter with its outputs."""
    chapters = {path.stem: _cached(path) for path in state.chapters()}
    todo = [p for p in state.chapters() if chapters[p.stem] is None]
    if todo:
        # Fresh interpreters, not forks: a fork of a process that has run a kernel client
        # can hang on the locks its threads held.
        spawn = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(max_workers=min(len(todo), 4), mp_context=spawn) as pool:
            for done in pool.map(execute.execute_one, [str(p) for p in todo]):
                assert not done.error, done.error
                chapters[Path(done.path).stem] = done.notebook
    for name, nb in chapters.items():
        assert any(c["cell_type"] == "markdown" for c in nb["cells"]), f"{name}: no prose"
    return chapters


@pytest.fixture(scope="module")
def cited(executed) -> set[str]:
    """Every key cited by a chapter or by a page of prose (the introduction)."""
    keys = set()
    for nb in executed.values():
        keys |= method.citations(nb)
    for page in paths.book().glob("*.md"):
        keys |= method.cited_keys(page.read_text(encoding="utf-8"))
    return keys


def test_every_report_is_cited_or_listed_as_unused(cited):
    unused = method.unused_reports(cited)
    listed = method.listed_unused()
    assert (listed["table"] == "sources").all()
    extra = sorted(set(listed["record_id"]) - set(unused))
    missing = [r for r in unused if r not in set(listed["record_id"])]
    assert not extra, f"listed as unused but cited by a chapter: {extra}"
    assert not missing, f"cited by no chapter and not listed as unused: {missing}"


def test_each_unused_report_says_why():
    listed = method.listed_unused()
    assert listed["record_id"].is_unique
    silent = listed.loc[listed["note"].fillna("").str.strip() == "", "record_id"].tolist()
    assert not silent, f"unused reports without a note: {silent}"


def test_the_method_chapter_shows_the_list(executed):
    nb = executed["method"]
    prose = "\n".join(c["source"] for c in nb["cells"] if c["cell_type"] == "markdown")
    assert method.UNUSED_GLUE in method.pasted(prose)
    shown = method.glued_markdown(nb)[method.UNUSED_GLUE]
    for rid in method.listed_unused()["record_id"]:
        assert f"{{cite:p}}`{rid}`" in shown, rid
