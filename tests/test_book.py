"""Build the book as a reader gets it (warnings are errors) and check it: the HTML pages,
the same pages in headless Chromium with the network off, and the PDF. One module, so
that the builds run one after another in one test worker."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest
import yaml

from kgkz import paths

HTML = paths.root() / "_build" / "html"


def toc_files() -> list[str]:
    toc = yaml.safe_load((paths.root() / "_toc.yml").read_text(encoding="utf-8"))
    files = [toc["root"]]
    for part in toc.get("parts", []):
        files += [c["file"] for c in part.get("chapters", [])]
    return files


@pytest.fixture(scope="module")
def built():
    run = subprocess.run(
        [sys.executable, "-m", "kgkz.build", "html"],
        cwd=paths.root(),
        capture_output=True,
        text=True,
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


def test_evidence_links_reach_their_quote(built):
    for chapter in CHAPTERS:
        html = page(chapter)
        targets = set(re.findall(r'href="sources/(S00\d)\.html#(x\d+)"', html))
        assert targets, f"{chapter} links to no quote"
        for source, anchor in targets:
            assert f'id="{anchor}"' in page(f"book/sources/{source}"), (chapter, anchor)


def test_bibliography_lists_every_source(built):
    html = page("book/bibliography")
    for sid in ("S000", "S004", "R01", "R38"):
        assert sid in html


# ----------------------------------------------------------------------------- PDF
LATEX = paths.root() / "_build" / "latex"
TITLES = [
    "Background: Kyrgyzstan before 2017",
    "The 2017 election",
    "The Kazakhstan border dispute",
    "Russia's role",
    "The 2019 Atambayev visit",
    "Sources and method",
    "Bibliography",
]


@pytest.fixture(scope="module")
def pdf(built):
    run = subprocess.run(
        [sys.executable, "-m", "kgkz.build", "pdf"],
        cwd=paths.root(),
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stdout[-4000:] + run.stderr[-4000:]
    path = LATEX / "book.pdf"
    assert path.is_file()
    return path


@pytest.fixture(scope="module")
def text(pdf):
    out = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True)
    return re.sub(r"\s+", " ", out.stdout)


def test_every_chapter_is_in_the_pdf(text):
    upper = text.upper()
    for title in TITLES:
        assert title.upper() in upper, title
    assert "CONTENTS" in upper


def test_every_numbered_figure_has_its_picture(pdf):
    from pypdf import PdfReader

    tex = (LATEX / "book.tex").read_text(encoding="utf-8")
    numbered = len(re.findall(r"\\begin\{figure\}", tex))
    assert numbered >= 12
    included = re.findall(r"\\sphinxincludegraphics(?:\[[^\]]*\])?\{\{([^}]+)\}(\.\w+)\}", tex)
    assert len(included) >= numbered
    # Vector figures: each figure is a PDF, embedded as a form XObject.
    assert {ext for _, ext in included} == {".pdf"}
    assert all((LATEX / (stem + ext)).is_file() for stem, ext in included)
    forms = set()
    for page in PdfReader(str(pdf)).pages:
        xobjects = page.get("/Resources", {}).get("/XObject", {})
        for name, ref in xobjects.items():
            if ref.get_object().get("/Subtype") == "/Form":
                forms.add((id(page), name))
    assert len(forms) >= numbered


def test_no_figure_fell_back_to_text_and_no_code_is_shown(text):
    assert "<Figure size" not in text
    for code in ("publish.figure(", "import pandas", "load.table("):
        assert code not in text


def test_non_latin_characters_render(text):
    assert "Система Orphus" in text
    assert "Zhe’enbekov" in text


# ----------------------------------------------------------------------------- browser
ARTIFACTS = paths.root() / "test-artifacts"
CHROMIUM = "/usr/bin/chromium"


@pytest.fixture(scope="module")
def browser(built):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()


@pytest.mark.parametrize("name", toc_files())
def test_page_loads_offline_without_errors(browser, name):
    context = browser.new_context(viewport={"width": 1300, "height": 1000})
    outside, failed, errors = [], [], []

    def route(r):
        if r.request.url.startswith("file://"):
            r.continue_()
        else:  # the network is off: anything else is a failure
            outside.append(r.request.url)
            r.abort()

    context.route("**/*", route)
    page_ = context.new_page()
    page_.on("requestfailed", lambda req: failed.append(f"{req.url} {req.failure}"))
    page_.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page_.on("pageerror", lambda e: errors.append(str(e)))
    page_.goto((HTML / f"{name}.html").as_uri(), wait_until="load")
    page_.wait_for_timeout(300)
    broken = page_.evaluate(
        "Array.from(document.images).filter(i => !i.complete || i.naturalWidth === 0)"
        ".map(i => i.src)"
    )
    ARTIFACTS.mkdir(exist_ok=True)
    page_.screenshot(path=str(ARTIFACTS / f"{name.replace('/', '_')}.png"), full_page=True)
    context.close()
    assert outside == [], f"requests to the network: {outside}"
    assert failed == [], failed
    assert errors == [], errors
    assert broken == [], f"missing images: {broken}"
