"""Sphinx extension: render the source pages and the appendix (data dictionary, downloads
and the data zip) before reading, link each figure's numbers, keep the pages offline.

Listed in _config.yml (``sphinx.extra_extensions``) after ``kgkz.build.sphinxext``, which
validates the data first, so a plain ``jupyter-book build .`` has the source pages it
links to.
"""

from __future__ import annotations

import functools
from pathlib import Path

from sphinx.application import Sphinx

from . import appendix, bib, print_layout, sources_pages
from .figure_links import FigureWithNumbers

STATIC = Path(__file__).parent / "static"


def _prepare(app: Sphinx, config) -> None:
    sources_pages.render_all(Path(app.srcdir) / "book" / "sources")
    appendix.render_all(Path(app.srcdir) / "book" / "appendix")
    # Print: never hyphenate a name inside a word.
    elements = dict(config.latex_elements or {})
    elements["preamble"] = elements.get("preamble", "") + print_layout.hyphenation()
    config.latex_elements = elements


def _print_tables(app: Sphinx, doctree, docname) -> None:
    """In print, every table may break across pages (its header repeated) and wraps its
    columns within the text width, instead of running off the page."""
    if app.builder.name == "latex":
        print_layout.long_wrapped_tables(doctree)


def _cache_bibtex_plugins() -> None:
    """pybtex looks its style plugins up in the installed packages' entry points on every
    citation (about 1.5 s per build here); the answer cannot change during a build."""
    try:
        import pybtex.plugin as plugin
    except ImportError:  # pragma: no cover
        return
    if not hasattr(plugin._load_entry_point, "cache_info"):
        plugin._load_entry_point = functools.cache(plugin._load_entry_point)


def setup(app: Sphinx) -> dict:
    bib.register_styles()
    _cache_bibtex_plugins()
    # Priority 2: after kgkz.build.sphinxext has validated the data (priority 1), before
    # sphinx-external-toc checks that the pages in _toc.yml exist.
    app.connect("config-inited", _prepare, priority=2)
    # Every glued figure links the numbers it plots (myst-nb's directive, plus the link).
    app.add_directive_to_domain("glue", "figure", FigureWithNumbers, override=True)
    app.connect("doctree-resolved", _print_tables)
    app.connect("builder-inited", _add_static)
    app.connect("html-page-context", _offline_scripts)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}


def _add_static(app: Sphinx) -> None:
    app.config.html_static_path.append(str(STATIC))
    app.add_css_file("kgkz.css")
    app.add_js_file("kgkz.js")


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
