"""Builds never show stale numbers and never execute more than they must.

Works on a fresh copy of the repository (its tracked files), with KGKZ_ROOT pointing at
it, so that the real data is never touched.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from kgkz import build as build_module


def build(root: Path, *args: str) -> str:
    env = {**os.environ, "KGKZ_ROOT": str(root)}
    run = subprocess.run(
        [sys.executable, "-m", "kgkz.build", *args],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    return run.stdout


def executed(out: str) -> set[str]:
    return set(re.findall(r"^executed (\S+\.ipynb)", out, re.M))


def glued(html: str, before: str) -> str:
    """The glued number that follows ``before`` in a page."""
    match = re.search(
        re.escape(before) + r'.{0,80}?<span class="pasted-text">([^<]+)</span>', html, re.S
    )
    assert match, before
    return match.group(1)


@pytest.fixture(scope="module")
def copy(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("book")
    build_module.copy_tracked(root)
    return root


def test_cold_build_executes_every_chapter(copy):
    out = build(copy, "html")
    chapters = {p.name for p in (copy / "book").glob("*.ipynb")}
    assert executed(out) == chapters


def test_a_rebuild_without_changes_executes_nothing(copy):
    out = build(copy, "html")
    assert executed(out) == set()
    assert "nothing to execute" in out


def test_changing_one_value_changes_the_page_and_only_its_readers_rerun(copy):
    page = copy / "_build/html/book/border.html"
    assert glued(page.read_text(encoding="utf-8"), "cancelled Kazakhstan's") == "100"
    table = copy / "data/quantities.csv"
    text = table.read_text(encoding="utf-8")
    old = "Q002,aid allocated by Astana for infrastructure projects,kazakhstan,100,"
    assert old in text
    table.write_text(text.replace(old, old.replace(",100,", ",150,")), encoding="utf-8")
    out = build(copy, "html")
    reran = executed(out)
    assert "border.ipynb" in reran
    assert "background.ipynb" not in reran  # it never reads quantities.csv
    assert glued(page.read_text(encoding="utf-8"), "cancelled Kazakhstan's") == "150"
    assert executed(build(copy, "html")) == set()


def test_one_chapter_can_be_re_executed_alone(copy):
    out = build(copy, "chapter", "russia")
    assert executed(out) == {"russia.ipynb"}
    assert "_build/html/book/russia.html" in out


def test_a_prose_change_renders_without_executing(copy):
    nb = copy / "book/russia.ipynb"
    text = nb.read_text(encoding="utf-8")
    assert "Actions and non-actions" in text
    nb.write_text(text.replace("Actions and non-actions", "Actions and abstentions"), "utf-8")
    out = build(copy, "html")
    assert executed(out) == set()
    assert "Actions and abstentions" in (copy / "_build/html/book/russia.html").read_text("utf-8")
    assert "nothing to render" in build(copy, "html")
