"""A published figure: laid out once, then drawn once per format, glued as IPython's
formatters glue it, with its text in Type 3 fonts in the PDF."""

from __future__ import annotations

import matplotlib

matplotlib.use("agg")  # tests only; chapters must not call this

import base64  # noqa: E402
import io  # noqa: E402
import re  # noqa: E402
from collections import Counter  # noqa: E402

import matplotlib as mpl  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from matplotlib.backend_bases import FigureCanvasBase  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from kgkz.render import figure_data, figures, publish, style  # noqa: E402

TITLE = "A finding stated in a title long enough to be wrapped on the printed page, as some are"


@pytest.fixture(autouse=True)
def _style():
    style.use()
    yield
    plt.close("all")


@pytest.fixture
def shown(monkeypatch) -> list[dict]:
    from IPython.core import display_functions

    out: list[dict] = []
    monkeypatch.setattr(display_functions, "publish_display_data", lambda **kw: out.append(kw))
    return out


def _figure() -> Figure:
    """A figure with what costs a draw: a wrapped title, tick labels, a legend, value labels."""
    fig = figures.hbars(
        pd.Series({"a long category name": 12, "b": 30, "c": 7}), TITLE, "count", "category"
    )
    fig.axes[0].plot([5, 20], [0, 2], label="a line", marker=style.MARKERS[1])
    fig.axes[0].legend(loc="lower right")
    return fig


def _decoded(glued: dict, mime: str) -> bytes:
    return base64.b64decode(glued["data"][publish.GLUE_PREFIX + mime])


def test_each_format_is_drawn_once(shown, monkeypatch):
    draws: list[str] = []
    saved: Counter = Counter()
    laid_out: list[int] = []
    draw, print_figure, fit_print = Figure.draw, FigureCanvasBase.print_figure, style.fit_print

    def counting_draw(self, renderer):
        draws.append(type(renderer).__name__)
        return draw(self, renderer)

    def counting_print(self, filename, **kwargs):
        saved[kwargs["format"]] += 1
        return print_figure(self, filename, **kwargs)

    def fit(fig):
        fit_print(fig)
        laid_out.append(len(draws))

    monkeypatch.setattr(Figure, "draw", counting_draw)
    monkeypatch.setattr(FigureCanvasBase, "print_figure", counting_print)
    monkeypatch.setattr(style, "fit_print", fit)
    publish.figure("f", _figure())
    assert laid_out, "publish.figure lays the figure out with style.fit_print"
    # after the layout: one draw per format, none to find the box or redo the layout
    assert sorted(draws[laid_out[0] :]) == ["MixedModeRenderer", "RendererAgg"]
    assert saved == {"png": 1, "pdf": 1}
    assert {k.removeprefix(publish.GLUE_PREFIX) for k in shown[-1]["data"]} == {
        "text/plain",
        "image/png",
        "application/pdf",
        figure_data.MIME,
    }


def _pdf_page(pdf: bytes) -> tuple:
    """A PDF's page size and drawing, its numbers to 1e-6 pt (saved once from a box
    found without a draw, a position may differ from savefig's in the 10th decimal)."""
    from pypdf import PdfReader

    page = PdfReader(io.BytesIO(pdf)).pages[0]
    content = page.get_contents().get_data().decode("latin-1")
    content = re.sub(r"-?\d+\.\d+", lambda m: f"{float(m.group()):.6f}", content)
    return [float(v) for v in page.mediabox], content


def test_the_bundle_is_what_ipython_formatters_make_of_the_laid_out_figure(shown):
    """Same mime types in the same order, same metadata, the same images as
    ``savefig(bbox_inches="tight")`` through IPython's formatters (``style.use``): the
    same box, too (measured at the screen's resolution, a title comes out narrower than
    at the PNG's, and the box would cut its end off)."""
    from IPython.core.formatters import format_display_data

    fig = _figure()
    publish.figure("f", fig)
    glued = shown[-1]
    # The laid-out figure, through IPython's own formatters (without a layout engine:
    # savefig would run it again, and the rc would bring it back between two formats).
    with mpl.rc_context({"figure.constrained_layout.use": False}):
        bundle, metadata = format_display_data(fig)
    assert list(bundle) == ["text/plain", "image/png", "application/pdf"]
    bundle[figure_data.MIME] = figure_data.to_csv(figure_data.numbers(fig))
    assert list(glued["data"]) == [publish.GLUE_PREFIX + k for k in bundle]
    pdf = base64.b64decode(bundle.pop("application/pdf"))
    assert _pdf_page(_decoded(glued, "application/pdf")) == _pdf_page(pdf)
    assert {k: v for k, v in glued["data"].items() if not k.endswith("/pdf")} == {
        publish.GLUE_PREFIX + k: v for k, v in bundle.items()
    }
    assert glued["metadata"] == {
        **metadata,
        "scrapbook": {"name": "f", "mime_prefix": publish.GLUE_PREFIX},
    }
    assert _decoded(glued, "image/png").startswith(b"\x89PNG")


def test_the_pdf_text_is_type3_embedded_and_extractable(shown):
    from pypdf import PdfReader

    publish.figure("f", _figure())
    pdf = _decoded(shown[-1], "application/pdf")
    assert b"/Type3" in pdf and b"/ToUnicode" in pdf
    assert b"/FontFile2" not in pdf and b"/CIDFontType2" not in pdf  # no TrueType (Type 42)
    page = PdfReader(io.BytesIO(pdf)).pages[0]
    fonts = [f.get_object() for f in page["/Resources"]["/Font"].values()]
    assert fonts and {f["/Subtype"] for f in fonts} == {"/Type3"}
    text = " ".join(page.extract_text().split())
    assert "a long category name" in text and "count" in text
    assert " ".join(TITLE.split()[:4]) in text


def test_same_figure_same_glued_bytes(shown):
    for _ in range(2):
        publish.figure("f", _figure())
    first, second = shown[-2]["data"], shown[-1]["data"]
    assert first == second
