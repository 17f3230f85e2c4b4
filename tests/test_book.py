"""Build the book as a reader gets it (warnings are errors) and check it: the HTML pages,
the same pages in headless Chromium with the network off, and the PDF. One module, so
that the builds run one after another in one test worker."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

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
    assert re.search(r'<span class="evidence" id="x\d+">', html)


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


def test_the_border_chapter_shows_the_map_and_lists_the_named_places(built):
    """The locator map is a numbered figure with alt text, and the places it cannot draw
    are listed beside it from the data, each with its sources cited."""
    from kgkz.analysis import border

    html = page("book/border")
    figure = re.search(r'<figure class="[^"]*" id="fig-border-map">(.*?)</figure>', html, re.S)
    assert figure, "no map in the border chapter"
    assert re.search(r'<img[^>]+alt="Map of [^"]{40,}"', figure.group(1))
    section = html[html.index('id="where-the-border-runs"') : html.index('id="fig-border-map"')]
    for _, place in border.named_places().iterrows():
        assert place["place"] in section
        for source in border.place_sources(place):
            assert source in section, (place["place"], source)


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


def test_source_pages_link_each_quote_back_to_the_tables_that_cite_it(built):
    html = page("book/sources/S000")
    backs = re.findall(r'<span class="cited-record" id="cite-(x\d+)"><a [^>]*href="([^"]+)"', html)
    assert backs, "no quote of S000 links back to a chapter"
    for quote, href in backs:
        chapter, _, row = href.partition("#")
        target = (HTML / "book" / "sources" / chapter).resolve()
        assert f'id="{row}"' in target.read_text(encoding="utf-8"), (quote, href)
        assert f"#{quote}" in target.read_text(encoding="utf-8"), (quote, href)


def test_site_furniture_is_folded_away(built):
    html = page("book/sources/S002")
    assert '<details class="furniture"><summary>site menu (lines 1–94)</summary>' in html
    head, _, rest = html.partition('<details class="furniture">')
    assert 'id="s002-l1"' in rest and 'id="s002-l1"' not in head


def test_index_of_names_lists_every_spelling(built):
    import csv

    html = page("book/sources/names")
    with (paths.root() / "data" / "aliases.csv").open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    for row in rows:
        assert f"<em>{row['alias']}</em>" in html.replace("&#8217;", "’"), row["alias"]


def _actors_and_aliases() -> tuple[dict[str, str], list[tuple[str, str]]]:
    """actor id -> canonical name; (alias, canonical name) for each alias spelled
    otherwise than its actor's name."""
    import csv

    root = paths.root() / "data"
    with (root / "actors.csv").open(encoding="utf-8") as f:
        names = {r["actor_id"]: r["name"] for r in csv.DictReader(f)}
    with (root / "aliases.csv").open(encoding="utf-8") as f:
        see = [(r["alias"], names[r["actor_id"]]) for r in csv.DictReader(f)]

    def words(text: str) -> str:  # a spelling may hold a no-break space: any space
        return " ".join(text.split())

    return names, [(words(a), words(n)) for a, n in see if a != n]


def test_the_index_lists_every_actor_and_links_the_chapters_that_name_it(built):
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(page("genindex"), "html.parser")
    entries = {}  # entry text -> its links, or the name it says to see
    for li in soup.select("table.indextable > tr > td > ul > li"):
        term = " ".join(li.find(string=True, recursive=False).split()) if not li.a else li.a.text
        sub = li.select_one("ul li")
        entries[term] = sub.get_text(" ", strip=True) if sub else [a["href"] for a in li("a")]
    names, see = _actors_and_aliases()
    missing = [n for n in names.values() if not isinstance(entries.get(n), list)]
    assert missing == []
    wrong = [(a, entries.get(a)) for a, n in see if entries.get(a) != f"see {n}"]
    assert wrong == []
    # the main entry is the index of names; then each chapter, at its first mention
    links = entries["Sooronbay Jeenbekov"]
    assert links[0].startswith("book/sources/names.html#")
    assert "book/election.html#mention-jeenbekov" in links
    assert 'id="mention-jeenbekov"' in page("book/election")
    # each chapter's link is named by the chapter's number, in the book's order
    link = soup.select_one('a[href="book/election.html#mention-jeenbekov"]')
    number = link.get_text(strip=True)
    assert number.isdigit() and link["title"] == f"{number}. The 2017 election"
    for li in soup.select("table.indextable > tr > td > ul > li"):
        numbers = [a.get_text(strip=True) for a in li("a")[1:]]
        numbers = [int(n) for n in numbers if n.isdigit()]
        assert numbers == sorted(numbers), li.a.text


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

    from kgkz.analysis import method, summary

    (href,) = [h for f, h in _figure_numbers("book/method") if f == "fig-method-corroboration"]
    numbers = pd.read_csv(HTML / "book" / href)
    plotted = dict(zip(numbers.iloc[:, 0], numbers.iloc[:, -1], strict=True))
    seeds = summary.corroboration("events").groupby("seeds").size()
    expected = {method.count_phrase(n, "seed"): k for n, k in seeds.items()}
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


def test_pdf_links_land_on_their_quotes(pdf):
    tex = (LATEX / "book.tex").read_text(encoding="utf-8")
    quote = r"book/sources/S00\d:x\d+"
    links = set(re.findall(rf"\\hyperref\[\\detokenize\{{({quote})\}}\]", tex))
    labels = set(re.findall(rf"\\label\{{\\detokenize\{{({quote})\}}\}}", tex))
    assert links and links <= labels, sorted(links - labels)[:5]


def test_pdf_keeps_each_source_line_a_paragraph(pdf):
    tex = (LATEX / "book.tex").read_text(encoding="utf-8")
    line = r"\\phantomsection\\label\{\\detokenize\{book/sources/S00\d:s00\d-l\d+\}\}"
    assert re.findall(line, tex)
    # a line's label right under a line of text would run its paragraph into that one
    lines = tex.splitlines()
    glued = [
        lines[i]
        for i in range(1, len(lines))
        if re.match(line, lines[i])
        and lines[i - 1].strip()
        and not lines[i - 1].startswith(("\\end{", "\\begin{"))
    ]
    assert glued == [], glued[:3]


@pytest.fixture(scope="module")
def printed_index(pdf) -> str:
    """The PDF's index (its last chapter), as one line of text, column by column."""
    raw = subprocess.run(["pdftotext", "-raw", str(pdf), "-"], capture_output=True, text=True)
    index = re.split(r"^\f?INDEX$", raw.stdout, flags=re.M)
    assert len(index) == 2, "no INDEX heading (or more than one)"
    index = index[1]
    return " ".join(index.split()).replace("’", "'")


def test_the_pdf_index_gives_every_actor_its_pages(printed_index, pdf):
    names, see = _actors_and_aliases()
    numbers = r",? (\d+(?:–\d+)?)(?:, (\d+(?:–\d+)?))*"
    pages = {}
    for actor, name in names.items():
        found = re.search(re.escape(name.replace("’", "'")) + numbers, printed_index)
        if found:
            pages[actor] = re.findall(r"\d+", found.group(0)[len(name) :])
    assert sorted(set(names) - set(pages)) == []
    # aliases send the reader to the name
    for alias, name in see:
        assert f"{alias}, see {name}".replace("’", "'") in printed_index, alias
    # the chapters are indexed: a name the whole book discusses has many pages, in ranges
    assert len(pages["jeenbekov"]) > 10
    assert re.search(r"\d–\d", printed_index)
    tex = (LATEX / "book.tex").read_text(encoding="utf-8")
    assert tex.count(r"\index{Sooronbay Jeenbekov@") > 20


def test_non_latin_characters_render(text):
    assert "Система Orphus" in text
    assert "Zhe’enbekov" in text


# ----------------------------------------------------------------------------- browser
ARTIFACTS = paths.root() / "test-artifacts"
CHROMIUM = "/usr/bin/chromium"
# Pages every reader reaches that are not in the table of contents.
EXTRA_PAGES = ["genindex", "search"]


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


class Visit:
    """A page opened in its own browser context (a width, a colour theme) with the
    network cut off; records outside requests, failed loads and console errors."""

    def __init__(self, browser, width: int = 1300, theme: str = "light", height: int = 1000):
        self.context = browser.new_context(
            viewport={"width": width, "height": height}, color_scheme=theme
        )
        # The theme's own switch stores the reader's choice here.
        self.context.add_init_script(
            f"localStorage.setItem('mode', '{theme}'); localStorage.setItem('theme', '{theme}');"
        )
        self.outside, self.failed, self.errors = [], [], []
        self.context.route("**/*", self._route)
        self.page = self.context.new_page()
        self.page.on("requestfailed", lambda r: self.failed.append(f"{r.url} {r.failure}"))
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))

    def _route(self, r):
        if r.request.url.startswith("file://"):
            r.continue_()
        else:  # the network is off: anything else is a failure
            self.outside.append(r.request.url)
            r.abort()

    def open(self, name: str, suffix: str = ""):
        self.page.goto((HTML / f"{name}.html").as_uri() + suffix, wait_until="load")
        self.page.wait_for_timeout(300)
        return self.page

    def assert_clean(self):
        assert self.outside == [], f"requests to the network: {self.outside}"
        assert self.failed == [], self.failed
        assert self.errors == [], self.errors

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.context.close()


@pytest.mark.parametrize("name", toc_files() + EXTRA_PAGES)
def test_page_loads_offline_without_errors(browser, name):
    with Visit(browser, width=1300) as v:
        page_ = v.open(name)
        broken = page_.evaluate(
            "Array.from(document.images).filter(i => !i.complete || i.naturalWidth === 0)"
            ".map(i => i.src)"
        )
        ARTIFACTS.mkdir(exist_ok=True)
        page_.screenshot(path=str(ARTIFACTS / f"{name.replace('/', '_')}.png"), full_page=True)
        v.assert_clean()
    assert broken == [], f"missing images: {broken}"


# ----------------------------------------------------------------------------- accessibility
AXE_DIR = paths.root() / ".cache" / "axe"
AXE = AXE_DIR / "node_modules" / "axe-core" / "axe.min.js"
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
AXE_RUN = """async (tags) => {
  // preload: false - axe would fetch the stylesheets again, which file:// pages refuse
  const r = await axe.run(document, {runOnly: {type: 'tag', values: tags}, preload: false});
  return r.violations.map(v => `${v.id} (${v.impact}) x${v.nodes.length}: ` +
    v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | '));
}"""


@pytest.fixture(scope="module")
def axe() -> Path:
    """axe-core from its npm package, installed once into .cache/axe (git-ignored) and
    injected into each page from disk: nothing is fetched while a page runs."""
    if not AXE.is_file():
        run = subprocess.run(
            [
                "npm",
                "install",
                "--no-save",
                "--no-audit",
                "--no-fund",
                "--prefix",
                str(AXE_DIR),
                "axe-core@4",
            ],
            capture_output=True,
            text=True,
        )
        assert run.returncode == 0 and AXE.is_file(), run.stdout + run.stderr
    return AXE


def violations(page_, axe: Path) -> list[str]:
    page_.add_script_tag(path=str(axe))
    return page_.evaluate(AXE_RUN, WCAG)


@pytest.mark.parametrize("theme", ["light", "dark"])
@pytest.mark.parametrize("name", toc_files() + EXTRA_PAGES)
def test_page_meets_wcag_a_and_aa(browser, axe, name, theme):
    """Every page, in the light and the dark theme, with its folded parts open: no WCAG 2
    A or AA violation that axe-core finds."""
    with Visit(browser, theme=theme) as v:
        page_ = v.open(name, "?q=Zheenbekov" if name == "search" else "")
        assert page_.evaluate("document.documentElement.dataset.theme") == theme
        page_.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
        found = violations(page_, axe)
    assert found == [], f"{name} ({theme}): " + "; ".join(found)


# ----------------------------------------------------------------------------- source links
def _quotes() -> dict[str, str]:
    import csv

    with (paths.root() / "data" / "evidence.csv").open(encoding="utf-8") as f:
        return {r["evidence_id"].lower(): r["quote"] for r in csv.DictReader(f) if r["quote"]}


MARKED = """() => {
  const marked = new Set([...document.querySelectorAll(':target, .kgkz-target')]);
  const target = document.querySelector(':target');
  return {
    targets: document.querySelectorAll(':target').length,
    marked: [...marked].map(e => e.id || e.className),
    id: target && target.id,
    isQuote: !!target && target.classList.contains('evidence'),
    text: [...marked].map(e => e.textContent).join(''),
    top: target && target.getBoundingClientRect().top,
    height: window.innerHeight,
  };
}"""


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_a_record_link_marks_exactly_its_quote(browser, axe, theme):
    """At 390 px, follow a record's link from a chapter table to its source page: the
    page opens on the quote, and that quote alone is marked, in both themes."""
    quotes = _quotes()
    with Visit(browser, width=390, height=800, theme=theme) as v:
        page_ = v.open("book/border")
        link = page_.locator("table a[href*='sources/S00'][href*='#x']").first
        href = link.get_attribute("href")
        link.scroll_into_view_if_needed()
        link.click()
        page_.wait_for_load_state("load")
        page_.wait_for_timeout(300)
        m = page_.evaluate(MARKED)
        ARTIFACTS.mkdir(exist_ok=True)
        page_.screenshot(path=str(ARTIFACTS / f"arrival-390-{theme}.png"))
        found = violations(page_, axe)
        v.assert_clean()
    anchor = href.partition("#")[2]
    assert m["targets"] == 1 and m["id"] == anchor and m["isQuote"], m
    assert m["marked"] == [anchor], f"more than the quote is marked: {m['marked']}"
    assert m["text"] == quotes[anchor]
    assert 0 <= m["top"] < m["height"], "the quote is not on screen"
    assert found == [], "; ".join(found)


def test_every_quote_anchor_holds_exactly_its_quote(browser):
    """Each evidence quote has its own element on its seed's page, whose text (with the
    pieces of it that cross another quote) is the quote, word for word."""
    quotes = _quotes()
    seen = {}
    with Visit(browser) as v:
        for n in range(5):
            page_ = v.open(f"book/sources/S00{n}")
            seen |= page_.evaluate(
                """() => Object.fromEntries([...document.querySelectorAll('.evidence[id]')]
                   .map(e => [e.id, e.textContent + [...document.querySelectorAll(
                     '.part-' + CSS.escape(e.id))].map(p => p.textContent).join('')]))"""
            )
    missing = sorted(set(quotes) - set(seen))
    assert missing == [], f"quotes without an anchor: {missing[:10]}"
    wrong = {k: (seen[k], q) for k, q in quotes.items() if seen[k] != q}
    assert wrong == {}


@pytest.mark.parametrize("width", [390, 690])
def test_no_page_scrolls_sideways(browser, width):
    """Narrow screens: wide tables scroll inside themselves, never the page."""
    wide = {}
    with Visit(browser, width=width, height=900) as v:
        for name in toc_files():
            page_ = v.open(name)
            w = page_.evaluate(
                "[document.scrollingElement.scrollWidth, document.scrollingElement.clientWidth]"
            )
            if w[0] > w[1]:
                wide[name] = w
    assert wide == {}


# ----------------------------------------------------------------------------- search
def test_search_from_disk_finds_a_spelling_without_errors(browser):
    with Visit(browser) as v:
        page_ = v.open("search", "?q=Zheenbekov")
        page_.wait_for_selector("#search-results li")
        page_.wait_for_timeout(500)
        first = page_.locator("#search-results li a").first.get_attribute("href")
        context = page_.locator("#search-results li p.context").count()
        v.assert_clean()
    assert first.startswith("book/sources/names.html#"), first
    assert context > 0, "no line of context under the results"


def test_search_finds_every_alias_at_its_actor(browser):
    """For every spelling in data/aliases.csv, the book's search lists first the actor's
    entry in the index of names."""
    import csv

    with (paths.root() / "data" / "aliases.csv").open(encoding="utf-8") as f:
        aliases = [(r["alias"], r["actor_id"]) for r in csv.DictReader(f)]
    with Visit(browser) as v:
        names = v.open("book/sources/names")
        # each index target -> the actor entry that follows it
        owner = names.evaluate(
            """() => { const out = {}; let pending = [];
              for (const e of document.querySelectorAll('[id^="index-"], dl[id^="name-"]')) {
                if (e.id.startsWith('index-')) pending.push(e.id);
                else { pending.forEach(i => out[i] = e.id); pending = []; } }
              return out; }"""
        )
        search = v.open("search")
        search.wait_for_function("Search.hasIndex()")
        tops = search.evaluate(
            """(qs) => qs.map(q => { const r = Search._performSearch(...Search._parseQuery(q));
                 return r.length ? r[r.length - 1].slice(0, 3) : null; })""",
            [a for a, _ in aliases],
        )
        v.assert_clean()
    wrong = {}
    for (alias, actor), top in zip(aliases, tops, strict=True):
        entry = f"name-{actor.replace('_', '-')}"
        if not top or top[0] != "book/sources/names" or owner.get(top[2][1:]) != entry:
            wrong[alias] = top
    assert wrong == {}
