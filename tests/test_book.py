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


def _soup(name: str):
    from bs4 import BeautifulSoup

    return BeautifulSoup(page(name), "html.parser")


def _figure_numbers(name: str) -> list[tuple[str, str | None]]:
    """(figure id, link to its numbers) for every figure on a page: the link is in the
    paragraph that follows the figure."""
    out = []
    for figure in _soup(name).select("figure"):
        after = figure.find_next_sibling()
        link = None
        if after is not None and "figure-numbers" in after.get("class", []):
            link = after.select_one('a.download[href$=".csv"]')
        out.append((figure.get("id"), link["href"] if link else None))
    return out


def test_every_figure_links_the_numbers_it_plots(built):
    figures = [(name, *f) for name in toc_files() for f in _figure_numbers(name)]
    assert len(figures) >= 12
    for name, figure, href in figures:
        assert href, f"{name}: {figure} has no link to its numbers"
        assert not href.startswith(("/", "file:", "http")), href
        assert ((HTML / name).parent / href).is_file(), f"{name}: {href} is missing"


def test_a_figures_numbers_are_the_values_it_plots(built):
    import pandas as pd

    from kgkz.analysis import summary

    (href,) = [h for f, h in _figure_numbers("book/method") if f == "fig-method-quotes"]
    numbers = pd.read_csv(HTML / "book" / href)
    plotted = dict(zip(numbers.iloc[:, 0], numbers.iloc[:, -1], strict=True))
    expected = summary.quotes_per_source().set_index("source_id")["quotes"].to_dict()
    assert plotted == expected


def test_downloads_offer_the_data_package_and_the_pdf(built):
    import zipfile

    from kgkz.data import load

    soup = _soup("book/appendix/downloads")
    here = (HTML / "book" / "appendix" / "downloads.html").parent
    (zipped,) = [a["href"] for a in soup.select('a.download[href$=".zip"]')]
    with zipfile.ZipFile(here / zipped) as zf:
        for name in ["datapackage.json"] + [r["path"] for r in load.datapackage()["resources"]]:
            assert zf.read(name) == (paths.data() / name).read_bytes(), name
    (pdf,) = [a["href"] for a in soup.select('a[href$=".pdf"]')]
    assert not pdf.startswith(("/", "file:", "http")), pdf
    assert (here / pdf).resolve() == (paths.build() / "latex" / "book.pdf").resolve()
    # Every page links the downloads from the navigation.
    assert "appendix/downloads.html" in page("book/method")


def test_the_method_chapter_links_the_data_dictionary_appendix(built):
    from kgkz.data import load

    html = page("book/method")
    assert 'id="tbl-method-dictionary"' not in html
    assert 'href="appendix/dictionary.html' in html
    dictionary = page("book/appendix/dictionary")
    for res in load.datapackage()["resources"]:
        for field in res["schema"]["fields"]:
            assert f">{field['name']}<" in dictionary, (res["name"], field["name"])


def test_tables_head_their_columns_for_people(built):
    from kgkz.data import load

    raw = {
        f["name"]
        for res in load.datapackage()["resources"]
        for f in res["schema"]["fields"]
        if "_" in f["name"]
    }
    for name in CHAPTERS:
        heads = [th.get_text(strip=True) for th in _soup(name).select("table[id^=tbl-] thead th")]
        assert not raw & set(heads), f"{name}: raw field names {raw & set(heads)}"


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


def _alnum(text: str) -> str:
    """Letters and digits only: line breaks, hyphenation and spacing do not count."""
    return re.sub(r"[\W_]+", "", text).casefold()


def _table_cells(name: str) -> list[tuple[str, str]]:
    """(table label, cell text) for every body cell of every numbered table on a page,
    citations left out (print labels them differently)."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(page(name), "html.parser")
    cells = []
    for table in soup.select("table[id^=tbl-]"):
        for a in table.select('a[href*="bibliography.html#"]'):
            a.decompose()
        for td in table.select("tbody td"):
            cells.append((table["id"], td.get_text(" ", strip=True)))
    return cells


def test_print_keeps_every_row_and_column_of_every_table(pdf):
    raw = subprocess.run(["pdftotext", "-raw", str(pdf), "-"], capture_output=True, text=True)
    printed = _alnum(raw.stdout)
    lost = [
        (name, label, part)
        for name in CHAPTERS
        for label, cell in _table_cells(name)
        # Citations sit between the parts of a cell (their print labels differ).
        for part in re.split(r"\s*;\s*|\[\s*\]", cell)
        if len(_alnum(part)) >= 3 and _alnum(part) not in printed
    ]
    assert lost == [], f"{len(lost)} table cells missing from the PDF, e.g. {lost[:5]}"


def test_print_lists_figures_and_tables_and_keeps_names_whole(text):
    assert "List of Figures".upper() in text.upper() and "List of Tables".upper() in text.upper()
    assert not re.search(r"Atam- ?bayev|Jeen- ?bekov|Baba- ?nov|Naz- ?arbayev", text)


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
