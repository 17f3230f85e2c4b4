"""Hand computed numbers, tables and figures to the book through myst-nb's glue."""

from __future__ import annotations

import math
from collections.abc import Iterable

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.figure import Figure

from . import figure_data, headers

GLUE_PREFIX = "application/papermill.record/"


def _glue(
    name: str,
    value,
    display: bool = False,
    extra: dict | None = None,
    include: Iterable[str] | None = None,
) -> None:
    """myst-nb's ``glue``, without importing myst-nb (and Sphinx) into every kernel.

    The protocol is myst-nb's: the value's display data, its mime types prefixed when it
    is not displayed, and ``scrapbook`` metadata naming it. A test checks that the output
    is the same as ``myst_nb.glue``'s. ``include`` limits the mime types IPython's
    formatters make; ``extra`` adds mime types to the display data.
    """
    from IPython.core.formatters import format_display_data
    from IPython.display import display as ipy_display

    bundle, metadata = format_display_data(value, include=include)
    bundle.update(extra or {})
    prefix = "" if display else GLUE_PREFIX
    metadata["scrapbook"] = {"name": name, "mime_prefix": prefix}
    ipy_display({prefix + k: v for k, v in bundle.items()}, raw=True, metadata=metadata)


def md_escape(text: str) -> str:
    """Escape a cell for a Markdown pipe table (pipes and line breaks)."""
    return str(text).replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def markdown_table(frame: pd.DataFrame, raw: Iterable[str] = ()) -> str:
    """A pipe table of a DataFrame; columns named in ``raw`` keep their MyST markup."""
    raw = set(raw)
    cols = list(frame.columns)

    def cell(col, value) -> str:
        if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
            return ""
        return str(value).replace("\n", " ") if col in raw else md_escape(value)

    head = "| " + " | ".join(md_escape(c) for c in cols) + " |"
    rule = "|" + "|".join(" --- " for _ in cols) + "|"
    body = [
        "| " + " | ".join(cell(c, v) for c, v in zip(cols, row, strict=True)) + " |"
        for row in frame.itertuples(index=False)
    ]
    return "\n".join([head, rule, *body])


def text(name: str, value) -> None:
    """Glue a value for ``{glue:text}``."""
    _glue(name, value)


def number(name: str, value: float, digits: int = 0) -> str:
    """Glue a number formatted for prose (thousands separators); returns the text."""
    shown = f"{value:,.{digits}f}"
    _glue(name, shown)
    return shown


def table(name: str, frame: pd.DataFrame, raw: Iterable[str] = (), human: bool = True) -> str:
    """Glue a DataFrame as a Markdown table for ``{glue:md}`` inside a ``{table}``.
    A table with no rows gets one row saying so (an empty table breaks the print build).
    Raw field names among the columns are shown as their titles in the schema (see
    ``headers``), unless ``human`` is False."""
    from IPython.display import Markdown

    if human:
        titles = headers.titles([str(c) for c in frame.columns])
        frame = frame.rename(columns=titles)
        raw = [titles.get(c, c) for c in raw]
    if frame.empty:
        frame = pd.DataFrame([["(none)", *[""] * (len(frame.columns) - 1)]], columns=frame.columns)
    md = markdown_table(frame, raw)
    _glue(name, Markdown(md))
    return md


def figure(name: str, fig: Figure, data: pd.DataFrame | pd.Series | None = None) -> None:
    """Glue a figure for ``{glue:figure}`` and close it, so it is not shown twice.

    The numbers it plots travel with it as CSV (the book links them under the figure):
    read back from the figure itself (see ``figure_data``), or ``data`` when given.
    A figure without a title and axis labels is refused.
    """
    from .style import fit_print, is_labelled

    if not is_labelled(fig):
        plt.close(fig)
        raise ValueError(f"figure '{name}' needs a title and labels on both axes")
    fit_print(fig)
    numbers = figure_data.numbers(fig) if data is None else data
    images = _images(fig)
    # text/plain from IPython's formatter, the images as its figure formatters make them
    # (see ``style.use``), each drawn once.
    _glue(
        name,
        fig,
        include=["text/plain"],
        extra={**images, figure_data.MIME: figure_data.to_csv(numbers)},
    )
    plt.close(fig)


# The formats of a glued figure: PNG for the HTML book, PDF (vector) for the printed one.
FORMATS = {"image/png": "png", "application/pdf": "pdf"}


def _images(fig: Figure) -> dict[str, str]:
    """A figure laid out by ``style.fit_print``, saved in each of ``FORMATS`` as IPython's
    formatters save it (``style.use``: ``savefig(bbox_inches="tight")`` at ``style.DPI``,
    base64), with one draw per format.

    ``bbox_inches="tight"`` draws the figure once before saving it, to run its layout
    and find its box. Here the layout already ran (``fit_print``) and is kept; the box is
    measured on it with the renderer of the format (its text metrics and resolution,
    which move a text's extent by a few pixels), so the bytes are those savefig's "tight"
    makes of the laid-out figure (a test checks).
    """
    from binascii import b2a_base64
    from io import BytesIO

    import matplotlib as mpl
    from matplotlib import cbook
    from matplotlib.backend_bases import _get_renderer

    from .style import DPI, PAD

    out = {}
    # No layout engine: savefig would otherwise run it in a draw of its own. (Outside
    # this context, savefig would put the rc's constrained layout back when done.)
    with mpl.rc_context({"figure.autolayout": False, "figure.constrained_layout.use": False}):
        fig.set_layout_engine(None)
        for mime, fmt in FORMATS.items():
            # The renderer savefig would draw with (its draw stops before it starts).
            with (
                cbook._setattr_cm(fig, dpi=DPI),
                fig.canvas._switch_canvas_and_return_print_method(fmt) as print_method,
            ):
                box = fig.get_tightbbox(_get_renderer(fig, print_method)).padded(PAD)
            buf = BytesIO()
            fig.savefig(
                buf,
                format=fmt,
                dpi=DPI,
                bbox_inches=box,
                facecolor=fig.get_facecolor(),
                edgecolor=fig.get_edgecolor(),
            )
            out[mime] = b2a_base64(buf.getvalue(), newline=False).decode("ascii")
    return out


def markdown(name: str, md: str) -> str:
    """Glue MyST Markdown (notes, lists) for ``{glue:md}`` with ``:format: myst``."""
    from IPython.display import Markdown

    _glue(name, Markdown(md))
    return md
