"""A rebuild rewrites a source page only when its "cited for" back-links change.

Works on a fresh copy of the repository: one cold build, then changes that alter no
back-link (a value one chapter reads) and changes that add and remove a citation (a
cross-reference to a quote, written into a chapter's prose).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import copy_tracked, set_value

pytestmark = pytest.mark.build

SOURCES = [f"S00{n}" for n in range(5)]
QUOTE, ITS_PAGE = "x2571", "S003"  # a quote of S003 that two chapters' tables cite
SECTION = "## What remains uncertain"  # a section of the Russia chapter


def build(root: Path) -> str:
    env = {**os.environ, "KGKZ_ROOT": str(root)}
    cmd = [sys.executable, "-m", "kgkz.build", "html"]
    out = subprocess.run(cmd, cwd=root, env=env, capture_output=True, text=True)
    assert out.returncode == 0, out.stdout[-3000:] + out.stderr[-3000:]
    return out.stdout


def html(root: Path, page: str) -> Path:
    return root / "_build" / "html" / "book" / f"{page}.html"


def mtimes(root: Path, pages: list[str]) -> dict[str, int]:
    return {p: html(root, p).stat().st_mtime_ns for p in pages}


def back_links(root: Path, quote: str) -> list[tuple[str, str]]:
    """The (href, text) of the places a source page lists for one quote."""
    page = html(root, f"sources/{ITS_PAGE}").read_text(encoding="utf-8")
    match = re.search(
        rf'id="cite-{quote}"><a [^>]*>[^<]*</a></span><span class="cited-where">(.*?)</span>', page
    )
    if match is None:
        return []
    return re.findall(r'<a [^>]*href="([^"]+)"[^>]*>([^<]*)</a>', match.group(1))


def edit_section(root: Path, old: str, new: str) -> None:
    """Replace text in the Russia chapter's section on what remains uncertain."""
    path = root / "book" / "russia.ipynb"
    nb = json.loads(path.read_text(encoding="utf-8"))
    (cell,) = [c for c in nb["cells"] if "".join(c["source"]).startswith(SECTION)]
    text = "".join(cell["source"])
    assert old in text
    cell["source"] = text.replace(old, new, 1).splitlines(keepends=True)
    path.write_text(json.dumps(nb, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


@pytest.fixture(scope="module")
def copy(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("book")
    copy_tracked(root)
    build(root)
    return root


def compiled_templates(root: Path) -> dict[str, int]:
    return {p.name: p.stat().st_mtime_ns for p in (root / "_build" / ".jinja").glob("*")}


def test_a_change_that_moves_no_citation_leaves_the_source_pages_alone(copy):
    pages = [*(f"sources/{s}" for s in SOURCES), "visit2019", "intro", "appendix/downloads"]
    before = mtimes(copy, pages)
    templates = compiled_templates(copy)
    set_value(copy, "quantities", "Q042", "2376")
    out = build(copy)
    # The page templates compiled by the first build are used again, not recompiled.
    assert templates and compiled_templates(copy) == templates
    # The data zip changed with the table: it is copied out; the page offering it,
    # which shows only its name, is not written again.
    (offered,) = (copy / "_build" / "html" / "_downloads").glob("*/*.zip")
    assert offered.read_bytes() == next((copy / "book" / "appendix").glob("*.zip")).read_bytes()
    assert mtimes(copy, ["appendix/downloads"]) == {
        "appendix/downloads": before.pop("appendix/downloads")
    }
    assert re.findall(r"^executed (\S+)\.ipynb", out, re.M) == ["visit2019"]
    after = mtimes(copy, list(before))
    assert after["visit2019"] > before["visit2019"]
    for s in SOURCES:
        assert after[f"sources/{s}"] == before[f"sources/{s}"], f"{s} was rewritten"
    # Nothing the introduction shows of other pages changed (titles, numbers).
    assert after["intro"] == before["intro"]


def test_a_changed_chapter_title_rewrites_the_introduction(copy):
    before = mtimes(copy, ["intro"])
    edit_section(copy, "", "")  # touched, the same text: read again, nothing changed
    build(copy)
    assert mtimes(copy, ["intro"]) == before
    path = copy / "book" / "russia.ipynb"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("# Russia's role", "# Russia’s part", 1), encoding="utf-8")
    build(copy)
    assert mtimes(copy, ["intro"]) != before
    assert "Russia’s part" in html(copy, "intro").read_text(encoding="utf-8")
    path.write_text(text, encoding="utf-8")
    build(copy)


def test_an_added_and_a_removed_citation_rewrite_exactly_the_quotes_page(copy):
    pages = [f"sources/{s}" for s in SOURCES]
    cited = back_links(copy, QUOTE)
    assert cited and not any(href.startswith("../russia.html") for href, _ in cited)

    before = mtimes(copy, pages)
    edit_section(copy, "\n\n", f"\n\n(See {{ref}}`Nazarbayev receives Babanov <{QUOTE}>`.)\n\n")
    build(copy)
    after = mtimes(copy, pages)
    changed = [p for p in pages if after[p] != before[p]]
    assert changed == [f"sources/{ITS_PAGE}"]
    section = SECTION.removeprefix("## ")
    added = [(h, t) for h, t in back_links(copy, QUOTE) if h.startswith("../russia.html")]
    assert added == [("../russia.html#what-remains-uncertain", section)]
    assert back_links(copy, QUOTE) == [*cited, *added]

    before = after
    edit_section(copy, f"\n\n(See {{ref}}`Nazarbayev receives Babanov <{QUOTE}>`.)\n\n", "\n\n")
    build(copy)
    after = mtimes(copy, pages)
    assert [p for p in pages if after[p] != before[p]] == [f"sources/{ITS_PAGE}"]
    assert back_links(copy, QUOTE) == cited


def test_what_is_kept_of_pages_read_in_parallel_is_merged_and_purged():
    from types import SimpleNamespace

    from kgkz.render import page_data, sphinxext

    env = SimpleNamespace(
        kgkz_places={"book/a": [("x1", "section", "s", "S")]}, kgkz_text={"book/a": "A"}
    )
    other = SimpleNamespace(
        kgkz_places={"book/b": [("x2", "table", "t-r1", "t")], "book/c": []},
        kgkz_text={"book/b": "B", "book/c": "C"},
    )
    page_data.merge(sphinxext.PAGE_DATA, None, env, ["book/b"], other)
    assert env.kgkz_places == {
        "book/a": [("x1", "section", "s", "S")],
        "book/b": [("x2", "table", "t-r1", "t")],
    }
    assert env.kgkz_text == {"book/a": "A", "book/b": "B"}
    page_data.purge(sphinxext.PAGE_DATA, None, env, "book/a")
    assert list(env.kgkz_places) == ["book/b"] and list(env.kgkz_text) == ["book/b"]
