"""Hand computed numbers, tables and figures to the book through myst-nb's glue."""

from __future__ import annotations

import math
from collections.abc import Iterable

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.figure import Figure

from . import figure_data, headers

GLUE_PREFIX = "application/papermill.record/"


def _glue(name: str, value, display: bool = False, extra: dict | None = None) -> None:
    """myst-nb's ``glue``, without importing myst-nb (and Sphinx) into every kernel.

    The protocol is myst-nb's: the value's display data, its mime types prefixed when it
    is not displayed, and ``scrapbook`` metadata naming it. A test checks that the output
    is the same as ``myst_nb.glue``'s. ``extra`` adds mime types to the display data.
    """
    from IPython.core.formatters import format_display_data
    from IPython.display import display as ipy_display

    bundle, metadata = format_display_data(value)
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
    _glue(name, fig, extra={figure_data.MIME: figure_data.to_csv(numbers)})
    plt.close(fig)


def markdown(name: str, md: str) -> str:
    """Glue MyST Markdown (notes, lists) for ``{glue:md}`` with ``:format: myst``."""
    from IPython.display import Markdown

    _glue(name, Markdown(md))
    return md
