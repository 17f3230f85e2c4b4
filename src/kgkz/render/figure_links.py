"""Under every glued figure, a link to the numbers it plots as a CSV file (HTML only).

``publish.figure`` glues each figure with its numbers (mime type ``text/csv``); this
``glue:figure`` directive renders the figure as myst-nb's does (without the numbers),
writes them to ``_build/figure-numbers/<page>/<figure name>.csv`` and links them, as a
download, in a paragraph after the figure. Sphinx copies the file beside the page's other
downloads, so the link works from disk.
"""

from __future__ import annotations

from pathlib import Path

from docutils import nodes
from myst_nb.core.variables import RetrievalError
from myst_nb.ext.glue.directives import PasteFigureDirective
from myst_nb.ext.glue.utils import retrieve_glue_data
from sphinx import addnodes

from .glue_types import FIGURE_NUMBERS as MIME

FOLDER = Path("_build") / "figure-numbers"  # under the source root, beside the builds
LINK_TEXT = "The numbers in this figure (CSV)"


def _write(path: Path, text: str) -> None:
    """Write only when the numbers changed (Sphinx rereads a page whose files are newer)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists() or path.read_text(encoding="utf-8") != text:
        path.write_text(text, encoding="utf-8")


class FigureWithNumbers(PasteFigureDirective):
    """myst-nb's ``glue:figure``, followed by the link to the figure's numbers."""

    def run(self) -> list[nodes.Node]:
        key = self.arguments[0]
        try:
            data = retrieve_glue_data(self.document, key).data
        except RetrievalError:
            return super().run()  # myst-nb says what is missing
        # The numbers are not for myst-nb to render (it would warn of an unknown mime
        # type): set them aside while it renders the figure.
        numbers = data.pop(MIME, None)
        try:
            out = super().run()
        finally:
            if numbers is not None:
                data[MIME] = numbers
        figure = next((n for n in out if isinstance(n, nodes.figure)), None)
        if numbers is None or figure is None:
            return out
        env = self.state.document.settings.env
        name = figure["names"][0] if figure["names"] else key
        relative = FOLDER / env.docname / f"{name}.csv"
        _write(Path(env.srcdir) / relative, str(numbers))
        link = addnodes.download_reference(
            "",
            "",
            nodes.inline("", LINK_TEXT),
            reftarget="/" + relative.as_posix(),  # from the source root
            refdoc=env.docname,
            refdomain="",
            reftype="download",
            refexplicit=True,
        )
        para = nodes.paragraph("", "", link, classes=["figure-numbers"])
        only = addnodes.only(expr="html")
        only += para
        self.set_source_info(para)
        return [*out, only]
