"""Sphinx extension: render the source pages, the index of names and the appendix (data
dictionary, downloads and the data zip) before reading; link each quote back to the tables
that cite it and each figure to its numbers; keep the pages offline and accessible.

Listed in _config.yml (``sphinx.extra_extensions``) after ``kgkz.build.sphinxext``, which
validates the data first, so a plain ``jupyter-book build .`` has the source pages it
links to.
"""

from __future__ import annotations

import copy
import functools
import json
import re
from pathlib import Path

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.transforms import SphinxTransform

from . import appendix, bib, name_index, names_page, page_data, print_layout, sources_pages
from .figure_links import FigureWithNumbers

STATIC = Path(__file__).parent / "static"
TEMPLATES = Path(__file__).parent / "templates"
PAGES = "book/sources"
SEARCH_TEXT = "kgkz-search-text.js"
_SOURCE_PAGE = re.compile(rf"^{PAGES}/S\d+$")


def is_source_page(docname: str) -> bool:
    return bool(_SOURCE_PAGE.match(docname))


def _prepare(app: Sphinx, config) -> None:
    outdir = Path(app.srcdir) / PAGES
    sources_pages.render_all(outdir)
    names_page.render(outdir)
    appendix.render_all(Path(app.srcdir) / "book" / "appendix")
    # Print: never hyphenate a name inside a word.
    elements = dict(config.latex_elements or {})
    elements["preamble"] = elements.get("preamble", "") + print_layout.hyphenation()
    config.latex_elements = elements
    # The index page's template (genindex.html): its links name their chapters.
    config.templates_path = [*(config.templates_path or []), str(TEMPLATES)]


def is_chapter(app: Sphinx, docname: str) -> bool:
    """The introduction and the chapters are the book's notebooks."""
    return Path(app.env.doc2path(docname)).suffix == ".ipynb"


class IndexFirstMentions(SphinxTransform):
    """Each chapter is in the index under every actor it names, at its first mention
    (read once, for every builder). Before Sphinx's domains collect the page's index
    entries (priority 850), after the page's glued values are pasted in (when parsed)."""

    default_priority = 849

    def apply(self, **kwargs) -> None:
        if is_chapter(self.app, self.env.docname):
            name_index.index_first_mentions(self.document)


def _index_every_mention(app: Sphinx, doctree, docname) -> None:
    """In print, the index gives every page on which a chapter names an actor."""
    if app.builder.name == "latex":
        name_index.index_every_mention(doctree)


def _xindy_style(app: Sphinx, exception) -> None:
    """The PDF's index gives page ranges with a dash (the style is read by xindy when
    the PDF is made, after Sphinx has written the LaTeX)."""
    path = Path(app.outdir) / "sphinx.xdy"
    if exception is None and app.builder.name == "latex" and path.exists():
        name_index.xindy_style(path)


def _print_tables(app: Sphinx, doctree, docname) -> None:
    """In print, every table may break across pages (its header repeated) and wraps its
    columns within the text width, instead of running off the page."""
    if app.builder.name == "latex":
        print_layout.long_wrapped_tables(doctree)


def _cache_bibtex() -> None:
    """pybtex looks its style plugins up in the installed packages' entry points on every
    citation (about 1.5 s per build here), and decodes each field's LaTeX again every time
    an entry is formatted (a citation formats its entry; about 1.5 s per build): neither
    answer can change during a build."""
    try:
        import pybtex.plugin as plugin
        import pybtex.richtext as richtext
    except ImportError:  # pragma: no cover
        return
    if not hasattr(plugin._load_entry_point, "cache_info"):
        plugin._load_entry_point = functools.cache(plugin._load_entry_point)
    if not getattr(richtext.Text.from_latex, "kgkz_cached", False):
        richtext.Text.from_latex = classmethod(_text_from_latex)


@functools.cache
def _decode_latex(latex: str) -> str:
    import codecs

    import latexcodec  # noqa: F401 - registers the codec

    return codecs.decode(latex, "ulatex")


def _text_from_latex(cls, latex: str):
    """pybtex's ``Text.from_latex``, decoding each distinct string once (the parsed text
    is made anew each time: callers may build on it)."""
    from pybtex.markup import LaTeXParser

    return LaTeXParser(_decode_latex(latex)).parse()


_text_from_latex.kgkz_cached = True


def _recall_formatted_entries(app: Sphinx, env: BuildEnvironment, docnames) -> None:
    """The bibliography entries the last build formatted (kept in the environment)."""
    bib.FORMATTED.clear()
    bib.FORMATTED.update(getattr(env, "kgkz_formatted_entries", {}))
    bib.USED.clear()


def _keep_formatted_entries(app: Sphinx, env: BuildEnvironment) -> None:
    env.kgkz_formatted_entries = {k: bib.FORMATTED[k] for k in bib.USED if k in bib.FORMATTED}


def setup(app: Sphinx) -> dict:
    bib.register_styles()
    _cache_bibtex()
    # Priority 2: after kgkz.build.sphinxext has validated the data (priority 1), before
    # sphinx-external-toc checks that the pages in _toc.yml exist.
    app.connect("config-inited", _prepare, priority=2)
    # Every glued figure links the numbers it plots (myst-nb's directive, plus the link).
    app.add_directive_to_domain("glue", "figure", FigureWithNumbers, override=True)
    app.connect("doctree-resolved", _print_tables)
    app.add_transform(IndexFirstMentions)
    app.connect("doctree-resolved", _index_every_mention)
    app.connect("build-finished", _xindy_style)
    app.connect("builder-inited", _add_static)
    app.connect("builder-inited", _keep_compiled_templates)
    app.connect("doctree-read", _name_cited_rows)
    app.connect("doctree-read", _collect_places, priority=501)  # once rows are named
    app.connect("doctree-read", _collect_text, priority=990)  # as the page is pickled
    app.connect("doctree-read", _downloads_are_not_read, priority=990)
    page_data.keep_per_page(app, *PAGE_DATA)
    app.setup_extension("kgkz.render.skeletons")
    app.connect("env-updated", _collect_citations)
    app.connect("env-before-read-docs", _recall_formatted_entries)
    app.connect("env-updated", _keep_formatted_entries, priority=900)  # after bibtex's
    # After Sphinx has numbered the tables (its toctree collector, priority 500).
    app.connect("env-get-updated", _changed_source_pages, priority=900)
    app.connect("env-get-updated", _changed_navigation, priority=900)
    app.connect("builder-inited", _write_root_page_when_needed)
    app.connect("doctree-resolved", _link_back)
    app.connect("html-page-context", _offline_scripts)
    app.connect("html-page-context", _search_text)
    app.connect("html-page-context", _index_links)
    app.add_node(nodes.citation, override=True, html=(_visit_citation, _depart_citation))
    return {
        "version": "3",
        # The environment keeps each page's citations and text, and what the last build
        # showed of them and of the pages' titles and numbers: one pickled without them
        # (an older version of this extension) is discarded and every page read again.
        "env_version": 3,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }


def _keep_compiled_templates(app: Sphinx) -> None:
    """Jinja compiles every page template again in every build (most of the time the
    first page takes to write): keep the compiled templates between builds, keyed by
    their source (Jinja writes each file whole, then renames it)."""
    from jinja2 import FileSystemBytecodeCache

    environment = getattr(getattr(app.builder, "templates", None), "environment", None)
    if environment is not None:
        where = Path(app.doctreedir).parent / ".jinja"
        where.mkdir(parents=True, exist_ok=True)
        environment.bytecode_cache = FileSystemBytecodeCache(str(where))


def _add_static(app: Sphinx) -> None:
    app.config.html_static_path.append(str(STATIC))
    app.add_css_file("kgkz.css")
    app.add_js_file("kgkz.js")


# ----------------------------------------------------------------------------- back-links
def _refs_into_sources(node: nodes.Node):
    """The cross-references in ``node`` (std:ref, as MyST's ``{ref}`` role makes them)."""
    for x in node.findall(addnodes.pending_xref):
        if x.get("refdomain") == "std" and x.get("reftype") == "ref":
            yield x


def _name_cited_rows(app: Sphinx, doctree: nodes.document) -> None:
    """Give every table row that holds a cross-reference an id (``<table id>-r<n>``), so
    that a source page can link back to the row where a record is tabled."""
    if is_source_page(app.env.docname):
        return
    for table in doctree.findall(nodes.table):
        if not table["ids"]:
            continue
        for tbody in table.findall(nodes.tbody):
            for n, row in enumerate(tbody.children, start=1):
                if isinstance(row, nodes.row) and not row["ids"]:
                    if next(_refs_into_sources(row), None) is not None:
                        row["ids"].append(f"{table['ids'][0]}-r{n}")


def _place(node: nodes.Node) -> tuple[str, str, str] | None:
    """Where in its page a cross-reference stands: ("table", row id, table id) inside a
    named table row, else ("section", section id, section title)."""
    row = table = section = None
    parent = node.parent
    while parent is not None:
        if isinstance(parent, nodes.row) and row is None:
            row = parent
        elif isinstance(parent, nodes.table) and table is None:
            table = parent
        elif isinstance(parent, nodes.section) and section is None:
            section = parent
        parent = parent.parent
    if row is not None and table is not None and row["ids"] and table["ids"]:
        return ("table", row["ids"][0], table["ids"][0])
    if section is not None and section["ids"]:
        title = section.next_node(nodes.title)
        return ("section", section["ids"][0], title.astext() if title else "")
    return None


def _collect_places(app: Sphinx, doctree: nodes.document) -> None:
    """When a page is read (after its cited rows are named): the places where it
    cross-references each label, in the page's order; kept in the environment, so that
    a rebuild need not unpickle the pages it did not read."""
    docname = app.env.docname
    places: list[tuple[str, str, str, str]] = []
    if not is_source_page(docname):
        for x in _refs_into_sources(doctree):
            place = _place(x)
            if place is not None and (x["reftarget"], *place) not in places:
                places.append((x["reftarget"], *place))
    _places(app.env)[docname] = places


# What the environment keeps of each page, read with it (and purged, merged with it).
PAGE_DATA = ("kgkz_places", "kgkz_text")


def _places(env: BuildEnvironment) -> dict[str, list[tuple[str, str, str, str]]]:
    return page_data.kept(env, "kgkz_places")


def _downloads_are_not_read(app: Sphinx, doctree: nodes.document) -> None:
    """A page shows a file it offers for download by its name alone (the link's folder
    is derived from the file's path, not its bytes): Sphinx copies every download into
    the output in every build, so a new data zip or figure table needs no page read and
    written again. Sphinx counts such files among the page's dependencies (after its
    collectors, priority 500): they are taken out, unless the page also includes the
    file some other way."""
    env = app.env
    offered = {}  # absolute path -> the path as Sphinx records the dependency
    for node in doctree.findall(addnodes.download_reference):
        target = node.get("reftarget", "")
        if "://" not in target:
            rel, absolute = env.relfn2path(target, env.docname)
            offered[str(Path(absolute).resolve())] = rel
    shown = {
        str(Path(n["source"]).resolve())
        for n in doctree.findall(nodes.literal_block)
        if n.get("source")  # included from a file
    }
    shown |= {
        str(Path(env.relfn2path(n["uri"], env.docname)[1]).resolve())
        for n in doctree.findall(nodes.image)
        if "://" not in n.get("uri", "")
    }
    env.dependencies[env.docname] -= {rel for path, rel in offered.items() if path not in shown}


def _collect_text(app: Sphinx, doctree: nodes.document) -> None:
    """A page's text as read (for the search page), so that no build unpickles pages
    to give it: as it is pickled, once Sphinx has dropped the page's system messages
    (a transform that runs after this event)."""
    messages = [(m.parent, m.parent.index(m), m) for m in doctree.findall(nodes.system_message)]
    for parent, _index, message in messages:
        parent.remove(message)
    try:
        text = re.sub(r"\s+", " ", doctree.astext()).strip()
    finally:
        for parent, index, message in reversed(messages):
            parent.insert(index, message)
    page_data.kept(app.env, "kgkz_text")[app.env.docname] = text


def _collect_citations(app: Sphinx, env: BuildEnvironment) -> None:
    """After reading: for each label on a source page, the places that cite it (the
    pages in order of their names, each in its own order)."""
    cited: dict[str, list[tuple[str, str, str, str]]] = {}
    labels = env.domaindata["std"]["anonlabels"]
    places = _places(env)
    for docname in sorted(env.found_docs):
        if is_source_page(docname):
            continue
        for target, *place in places.get(docname, []):
            if is_source_page(labels.get(target, ("",))[0]):
                entry = (docname, *place)
                if entry not in cited.setdefault(target, []):
                    cited[target].append(entry)
    env.kgkz_cited = cited


def _back_links(env: BuildEnvironment) -> dict[str, list]:
    """What each source page's "cited for" lists show: for each of its cited labels, the
    places and their labels as rendered (a table's number may change without its page)."""
    labels = env.domaindata["std"]["anonlabels"]
    shown: dict[str, list] = {d: [] for d in env.found_docs if is_source_page(d)}
    for target, places in sorted(getattr(env, "kgkz_cited", {}).items()):
        docname = labels[target][0]
        rendered = [(*p, _place_label(env, *p)) for p in places]
        shown.setdefault(docname, []).append((target, rendered))
    return shown


def _changed_source_pages(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """Once the tables are numbered: the source pages whose back-links would render
    otherwise than in this builder's last build (all of them in its first build); a
    citation that went away counts too. Every other source page keeps its file."""
    shown = _back_links(env)
    previous = _remember(env, "kgkz_back_links", app.builder.name, shown)
    if previous is None:
        return sorted(shown)
    return sorted(d for d in shown if shown[d] != previous.get(d))


# ----------------------------------------------------------------------------- the root page
# Sphinx writes the root page (the introduction) in every build, and every page whose
# toctree holds a page it read: for the titles and numbers a toctree shows. The book's
# toctrees are hidden (the navigation, the same on every page, shows them); what else the
# introduction shows of other pages is their section titles and numbers, in its
# references. It is written when one of those changed, or it did.


def _navigation(env: BuildEnvironment) -> tuple:
    """What the root page may show of the other pages: titles, section, figure and table
    numbers, the tables of contents and the labels' section names."""
    return copy.deepcopy(
        (
            {doc: title.astext() for doc, title in env.titles.items()},
            env.toc_secnumbers,
            env.toc_fignumbers,
            env.toctree_includes,
            env.domaindata["std"]["labels"],
        )
    )


def _changed_navigation(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """Once the pages are numbered: the root page, if what it may show of the other
    pages changed since this builder's last build."""
    now = _navigation(env)
    previous = _remember(env, "kgkz_navigation", app.builder.name, now)
    return [] if previous == now else [app.config.root_doc]


def _remember(env: BuildEnvironment, name: str, builder: str, now):
    """Keep ``now`` in the environment as this builder's value of ``name`` (the html and
    latex builds share one environment); return the value its last build kept."""
    kept = getattr(env, name, {})
    setattr(env, name, {**kept, builder: now})
    return kept.get(builder)


def _write_root_page_when_needed(app: Sphinx) -> None:
    """Leave the root page's file alone when Sphinx adds it to a rebuild by its own rule
    alone: not out of date, not read again, nothing it shows of other pages changed."""
    builder = app.builder
    if builder.format != "html":
        return
    write, prepare_writing = builder.write, builder.prepare_writing
    spare = []

    def _write(build_docnames, updated_docnames, method="update"):
        root = app.config.root_doc
        needed = (
            method != "update"
            or build_docnames is None
            or list(build_docnames) == ["__all__"]
            or root in build_docnames
            or root in updated_docnames
        )
        spare[:] = [] if needed else [root]
        try:
            return write(build_docnames, updated_docnames, method)
        finally:
            spare[:] = []

    def _prepare_writing(docnames):
        for doc in spare:
            if len(docnames) > 1:
                docnames.discard(doc)
        return prepare_writing(docnames)

    builder.write = _write
    builder.prepare_writing = _prepare_writing


def _place_label(env, docname: str, kind: str, anchor: str, extra: str) -> str:
    if kind == "table":
        number = env.toc_fignumbers.get(docname, {}).get("table", {}).get(extra)
        if number:
            return "Table " + ".".join(map(str, number))
        return env.titles[docname].astext() if docname in env.titles else docname
    return extra or (env.titles[docname].astext() if docname in env.titles else docname)


def _link_back(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    if app.builder.format == "html" and is_source_page(docname):
        _add_back_links(app, doctree, docname)
    if app.builder.format == "latex":
        _label_quotes_for_latex(doctree)
        _drop_cited_for(doctree)


def _add_back_links(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Each record in a source page's "cited for" lists links to the chapter table row
    (or section) where the book cites the quote, followed by the tables' numbers."""
    env = app.env
    cited = getattr(env, "kgkz_cited", {})
    for span in list(doctree.findall(nodes.inline)):
        ids = [i for i in span["ids"] if i.startswith("cite-")]
        if not ids:
            continue
        places = cited.get(ids[0][len("cite-") :], [])
        if not places:
            continue

        def ref(place, text):
            doc, kind, anchor, extra = place
            uri = app.builder.get_relative_uri(docname, doc) + "#" + anchor
            node = nodes.reference("", "", internal=True, refuri=uri)
            node += nodes.Text(text)
            return node

        first = ref(places[0], span.astext())
        span.children = []
        span += first
        where = nodes.inline("", "", classes=["cited-where"])
        where += nodes.Text(" (")
        for i, place in enumerate(places):
            if i:
                where += nodes.Text(", ")
            where += ref(place, _place_label(env, place[0], *place[1:]))
        where += nodes.Text(")")
        span.parent.insert(span.parent.index(span) + 1, where)


def _label_quotes_for_latex(doctree: nodes.document) -> None:
    """LaTeX writes no label for an inline span: put each quote's anchor on a target
    just before it, so that the PDF's links from the chapters land on the quote."""
    for span in list(doctree.findall(nodes.inline)):
        if "evidence" in span["classes"] and span["ids"]:
            target = nodes.target("", "", ids=list(span["ids"]))
            span["ids"] = []
            span.parent.insert(span.parent.index(span), target)


def _drop_cited_for(doctree: nodes.document) -> None:
    """The PDF prints the sources as they are: the lists of the records each quote is
    cited for (links back to the screen's tables) are left out."""
    for box in list(doctree.findall(nodes.container)):
        if "cited-for" in box["classes"]:
            box.parent.remove(box)


# ----------------------------------------------------------------------------- HTML fixes
def _visit_citation(self, node: nodes.Element) -> None:
    """docutils marks a bibliography entry with the deprecated ARIA role doc-biblioentry
    inside a role="list": screen readers then find a list without items. Make each entry
    a list item."""
    type(self).visit_citation(self, node)
    self.body[-1] = self.body[-1].replace('role="doc-biblioentry"', 'role="listitem"')


def _depart_citation(self, node: nodes.Element) -> None:
    type(self).depart_citation(self, node)


def _offline_scripts(app: Sphinx, pagename, templatename, context, doctree) -> None:
    """Drop sphinx-thebe's scripts: the book has no live kernels, the scripts point at a
    CDN, and Jupyter Book injects their config twice (a console error in every page)."""
    scripts = context.get("script_files")
    if not scripts:
        return

    def is_thebe(js) -> bool:
        name = getattr(js, "filename", None) or str(js)
        body = getattr(js, "attributes", {}).get("body", "")
        return "thebe" in (name or "").lower() or "THEBE" in (body or "")

    context["script_files"] = [js for js in scripts if not is_thebe(js)]


def _search_text(app: Sphinx, pagename, templatename, context, doctree) -> None:
    """Opened from disk, the search page may not fetch the pages it found (browsers
    refuse file:// requests) to show a line of context: give it each page's text as a
    script instead, loaded by the search page alone."""
    if pagename != "search" or app.builder.format != "html":
        return
    env = app.env
    text = page_data.kept(env, "kgkz_text")
    texts = {docname: text[docname] for docname in sorted(env.found_docs)}
    path = Path(app.outdir) / "_static" / SEARCH_TEXT
    path.parent.mkdir(parents=True, exist_ok=True)
    body = "window.KGKZ_PAGE_TEXT = " + json.dumps(texts, ensure_ascii=False) + ";\n"
    if not path.exists() or path.read_text(encoding="utf-8") != body:
        path.write_text(body, encoding="utf-8")
    context["script_files"] = [*context.get("script_files", []), f"_static/{SEARCH_TEXT}"]


def _book_order(env, root: str) -> list[str]:
    """The pages in the order of the book (its table of contents, depth first)."""
    order: list[str] = []

    def visit(doc: str) -> None:
        if doc not in order:
            order.append(doc)
            for child in env.toctree_includes.get(doc, []):
                visit(child)

    visit(root)
    return order


def _index_links(app: Sphinx, pagename, templatename, context, doctree) -> None:
    """The index page lists an entry's pages in the book's order and names each by
    its chapter: the number, or the title where the page has none; the title in
    full on hover (templates/genindex.html)."""
    if pagename != "genindex" or app.builder.format != "html":
        return
    env, root = app.env, app.config.root_doc
    order = _book_order(env, root)
    rank = {doc: i for i, doc in enumerate(order)}
    labels = {}
    for doc in order:
        title = env.titles[doc].astext() if doc in env.titles else doc
        number = ".".join(map(str, env.toc_secnumbers.get(doc, {}).get("", ())))
        if number:
            labels[doc] = (number, f"{number}. {title}")
        else:
            labels[doc] = ("Introduction" if doc == root else title, title)

    def doc_of(uri: str) -> str:
        return uri.partition("#")[0].removesuffix(".html")

    for _, entries in context.get("genindexentries", []):
        for _, (links, subitems, _) in entries:
            for group in [links, *(sub for _, sub in subitems)]:
                group.sort(key=lambda link: (not link[0], rank.get(doc_of(link[1]), len(rank))))

    def label(uri: str, n: int) -> tuple[str, str]:
        return labels.get(doc_of(uri), (f"[{n}]", ""))

    context["kgkz_index_link"] = label
