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
