"""Build the HTML book as a reader gets it (warnings are errors) and check its pages."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest
import yaml

from kgkz import paths

HTML = paths.ROOT / "_build" / "html"


def toc_files() -> list[str]:
    toc = yaml.safe_load((paths.ROOT / "_toc.yml").read_text(encoding="utf-8"))
    files = [toc["root"]]
    for part in toc.get("parts", []):
        files += [c["file"] for c in part.get("chapters", [])]
    return files


@pytest.fixture(scope="module")
def built():
    run = subprocess.run(
        [sys.executable, "-m", "kgkz.build", "html"], cwd=paths.ROOT, capture_output=True, text=True
    )
    assert run.returncode == 0, run.stdout[-4000:] + run.stderr[-4000:]
    return run


def page(name: str) -> str:
    return (HTML / f"{name}.html").read_text(encoding="utf-8")


def test_every_page_in_the_toc_is_built(built):
    for name in toc_files():
        assert (HTML / f"{name}.html").is_file(), name


def test_no_figure_fell_back_to_text(built):
    for name in toc_files():
        assert "&lt;Figure size" not in page(name) and "<Figure size" not in page(name), name


def test_no_code_or_tracebacks_are_shown(built):
    for name in toc_files():
        html = page(name)
        assert "Traceback" not in html, name
        assert 'class="cell_input' not in html, f"{name} shows code"


def test_pages_load_nothing_from_the_network(built):
    pattern = re.compile(r"""<(?:script|link|img)[^>]+(?:src|href)=["'](?:https?:)?//""")
    for name in toc_files():
        assert not pattern.search(page(name)), name


def test_method_chapter_shows_the_sources_table(built):
    html = page("book/method")
    assert 'id="tbl-seeds"' in html
    for sid in ("S000", "S001", "S002", "S003", "S004"):
        assert f"sources/{sid}.html" in html


def test_source_pages_have_line_anchors_and_highlights(built):
    html = page("book/sources/S001")
    assert 'id="s001-l2"' in html and 'class="evidence"' in html


CHAPTERS = [
    "book/background",
    "book/election",
    "book/border",
    "book/russia",
    "book/visit2019",
    "book/method",
]


@pytest.mark.parametrize("name", CHAPTERS)
def test_each_chapter_has_numbered_figures_and_tables(built, name):
    html = page(name)
    figures = re.findall(r'<figure class="[^"]*" id="fig-[^"]+">(.*?)</figure>', html, re.S)
    assert len(figures) >= 2, name
    for fig in figures:
        assert re.search(r'<img[^>]+alt="[^"]{20,}"', fig), f"{name}: figure without alt text"
        assert 'class="caption-number"' in fig
    tables = re.findall(r'<table class="[^"]*" id="tbl-[^"]+">', html)
    assert len(tables) >= 2, name
    assert html.count('class="caption-number">Table') >= 2


@pytest.mark.parametrize("name", CHAPTERS)
def test_glued_numbers_are_rendered(built, name):
    html = page(name)
    assert "glue:text" not in html and "pending_xref" not in html
    assert 'class="pasted-text"' in html or name == "book/intro"


def test_evidence_links_reach_their_paragraph(built):
    html = page("book/border")
    targets = set(re.findall(r'href="sources/(S00\d)\.html#(s00\d-l\d+)"', html))
    assert targets
    for source, anchor in targets:
        assert f'id="{anchor}"' in page(f"book/sources/{source}")


def test_bibliography_lists_every_source(built):
    html = page("book/bibliography")
    for sid in ("S000", "S004", "R01", "R38"):
        assert sid in html
