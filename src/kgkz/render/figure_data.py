"""The numbers a figure plots, read back from the figure itself: one row per plotted
value, the axis labels as column names, so that every figure can offer its numbers as a
CSV beside it.

Read from each axes (colour bars and empty axes aside):

- lines: every (x, y) point; lines drawn in axes coordinates (``axhline``, ``axvline``:
  guides, not data) are left out; a date window drawn as a line (two points, no marker,
  along a date axis at one position across it) is one row, its first and last day;
- bars: the category and the bar's length; on a date axis, the first and last day it
  covers;
- scatter: every point's (x, y);
- images (heat maps): every cell, by row and column label, named by its colour bar;
- labelled spans (``axvspan``, ``axhspan``): where they start and end.

Marks that only decorate another (the middle of a window) carry the gid ``NOT_DATA`` and
are left out.

A position on an axis with text tick labels is written as its label; on a date axis, as
an ISO date. Each value's series is the artist's own label, else the legend entry drawn
in its colour, else (when unlabelled marks differ in shape) its marker's name. With more than
one axes, a ``panel`` column holds each axes' title.
"""

from __future__ import annotations

import math

import matplotlib.colors as mcolors
import matplotlib.dates as mdates
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.axis import Axis
from matplotlib.collections import PathCollection
from matplotlib.container import BarContainer
from matplotlib.figure import Figure
from matplotlib.image import AxesImage
from matplotlib.lines import Line2D
from matplotlib.markers import MarkerStyle
from matplotlib.patches import Patch, Rectangle
from matplotlib.ticker import FixedFormatter, FixedLocator, FuncFormatter

from .glue_types import FIGURE_NUMBERS

# The mime type of a figure's numbers in its glued output (no builder renders it).
MIME = FIGURE_NUMBERS
# The gid of a mark that plots no value of its own (``artist.set_gid(NOT_DATA)``).
NOT_DATA = "not-data"

MARKER_NAMES = {
    "o": "circle",
    "s": "square",
    "^": "triangle",
    "v": "downward triangle",
    "<": "left triangle",
    ">": "right triangle",
    "D": "diamond",
    "d": "thin diamond",
    "x": "cross",
    "X": "filled cross",
    "+": "plus",
    "P": "filled plus",
    "*": "star",
    "p": "pentagon",
    "h": "hexagon",
    ".": "point",
}


def _plain(value):
    """A number as a reader writes it: integers without '.0', no float noise."""
    if isinstance(value, (float, np.floating)):
        value = float(value)
        if math.isnan(value):
            return ""
        if value.is_integer() and abs(value) < 1e15:
            return int(value)
        return float(f"{value:.12g}")
    if isinstance(value, np.integer):
        return int(value)
    return value


def _is_date(axis: Axis) -> bool:
    converter = axis.get_converter() if hasattr(axis, "get_converter") else axis.converter
    kinds = [type(converter), type(axis.get_major_formatter())]
    return any("date" in (k.__module__ + k.__name__).lower() for k in kinds if k is not None)


def _categories(axis: Axis) -> dict[float, str]:
    """Tick position -> tick label, where an axis names its positions in words (ticks set
    with their labels: a fixed locator and a fixed or function formatter)."""
    named = isinstance(axis.get_major_formatter(), (FixedFormatter, FuncFormatter))
    if not (isinstance(axis.get_major_locator(), FixedLocator) and named):
        return {}
    labels = [_words(t.get_text()) for t in axis.get_majorticklabels()]
    return dict(zip(axis.get_majorticklocs(), labels, strict=False))


def _position(axis: Axis, value, categories: dict[float, str]):
    """A plotted position as the axis names it: tick label, ISO date or number."""
    value = float(value)
    for loc, label in categories.items():
        if abs(loc - value) < 1e-9:
            return label
    if _is_date(axis) and math.isfinite(value):
        when = mdates.num2date(value).replace(tzinfo=None)
        return when.date().isoformat() if when.time() == when.min.time() else when.isoformat()
    return _plain(value)


def _date_span(axis: Axis, start: float, length: float) -> tuple:
    """A bar on a date axis as the days it covers: a bar that ends at midnight ends with
    the day before (a bar over one whole day is one day long)."""
    end = start + length
    if length > 0 and end == math.floor(end):
        end -= 1
    return _position(axis, start, {}), _position(axis, end, {})


def _words(text: str) -> str:
    """A label as one line (a plot breaks long labels over lines)."""
    return " ".join(str(text).split())


def _rgb(color) -> tuple | None:
    try:
        return tuple(round(c, 3) for c in mcolors.to_rgb(color))
    except (ValueError, TypeError):
        return None


def _colour(artist) -> tuple | None:
    if isinstance(artist, Line2D):
        marker = artist.get_marker()
        if marker not in (None, "", "None", " "):
            return _rgb(artist.get_markerfacecolor())
        return _rgb(artist.get_color())
    if isinstance(artist, PathCollection):
        faces = artist.get_facecolor()
        return _rgb(faces[0]) if len(faces) else None
    if isinstance(artist, Patch):
        return _rgb(artist.get_facecolor())
    return None


def _marker(artist) -> str | None:
    if isinstance(artist, Line2D):
        symbol = artist.get_marker()
        return MARKER_NAMES.get(symbol) if isinstance(symbol, str) else None
    if isinstance(artist, PathCollection) and artist.get_paths():
        drawn = artist.get_paths()[0].vertices
        for symbol, name in MARKER_NAMES.items():
            style = MarkerStyle(symbol)
            path = style.get_path().transformed(style.get_transform()).vertices
            if path.shape == drawn.shape and np.allclose(path, drawn):
                return name
    return None


def _legend(ax: Axes) -> list[tuple[tuple, str]]:
    """(colour, entry) of the axes' legend and of the figure's (a legend under the plot)."""
    legends = [ax.get_legend(), *ax.figure.legends]
    return [
        (_colour(handle), _words(text.get_text()))
        for legend in legends
        if legend is not None
        for handle, text in zip(legend.legend_handles, legend.get_texts(), strict=False)
        if _colour(handle) is not None
    ]


def _own_label(artist) -> str:
    label = artist.get_label() if artist is not None else ""
    return "" if not label or str(label).startswith("_") else _words(label)


def _series(ax: Axes, artists: list, given: dict[int, str]) -> list[str]:
    """The series each artist belongs to: its label, the legend entry in its colour, or
    (when unlabelled marks differ in shape) its marker."""
    legend = _legend(ax)
    names = []
    for artist, colour in ((a, _colour(a)) for a in artists):
        name = _own_label(artist) or given.get(id(artist), "")
        if not name and colour is not None:
            name = next((text for c, text in legend if c == colour), "")
        names.append(name)
    unnamed = [a for a, n in zip(artists, names, strict=True) if not n]
    if len({_marker(a) for a in unnamed}) > 1:
        names = [n or _marker(a) or "" for a, n in zip(artists, names, strict=True)]
    return names


def _label(fig: Figure, ax: Axes, which: str) -> str:
    """An axis label; a blank one borrows the same axis' label from another panel."""
    text = _words(ax.get_xlabel() if which == "x" else ax.get_ylabel())
    if text:
        return text
    for other in _data_axes(fig):
        other_text = _words(other.get_xlabel() if which == "x" else other.get_ylabel())
        if other_text:
            return other_text
    return which


def _data_axes(fig: Figure) -> list[Axes]:
    return [
        ax
        for ax in fig.axes
        if getattr(ax, "_colorbar", None) is None and (ax.has_data() or ax.images)
    ]


def _title(ax: Axes, i: int) -> str:
    for loc in ("center", "left", "right"):
        if ax.get_title(loc=loc):
            return _words(ax.get_title(loc=loc))
    return f"panel {i + 1}"


def _bars(ax: Axes, xname: str, yname: str, given: dict[int, str]) -> tuple[list, list[dict]]:
    artists, rows = [], []
    for container in ax.containers:
        if not isinstance(container, BarContainer):
            continue
        horizontal = container.orientation == "horizontal"
        if horizontal:
            along, across, name, cat_name = ax.yaxis, ax.xaxis, xname, yname
        else:
            along, across, name, cat_name = ax.xaxis, ax.yaxis, yname, xname
        cats = _categories(along)
        for bar in container.patches:
            if horizontal:
                centre = bar.get_y() + bar.get_height() / 2
                start, length = bar.get_x(), bar.get_width()
            else:
                centre = bar.get_x() + bar.get_width() / 2
                start, length = bar.get_y(), bar.get_height()
            row = {cat_name: _position(along, centre, cats)}
            if _is_date(across):
                row[f"{name} (from)"], row[f"{name} (to)"] = _date_span(across, start, length)
            else:
                row[name] = _plain(length)
            if not _own_label(bar) and _own_label(container):
                given[id(bar)] = _own_label(container)  # a bar takes its container's label
            artists.append(bar)
            rows.append(row)
    return artists, rows


def _window(ax: Axes, line: Line2D, names: tuple[str, str], cats: tuple[dict, dict]):
    """A date window drawn as a line, as one row (first and last day), else None: two
    points without a marker, along a date axis, at one position across it. A line to
    midnight ends with the day before, as a bar does."""
    xs = np.atleast_1d(line.get_xdata(orig=False)).astype(float)
    ys = np.atleast_1d(line.get_ydata(orig=False)).astype(float)
    if len(xs) != 2 or line.get_marker() not in (None, "", "None", " "):
        return None
    (xname, yname), (xcats, ycats) = names, cats
    for along, across, a, c, name, cname, ccats in (
        (ax.xaxis, ax.yaxis, xs, ys, xname, yname, ycats),
        (ax.yaxis, ax.xaxis, ys, xs, yname, xname, xcats),
    ):
        if _is_date(along) and c[0] == c[1] and a[1] != a[0]:
            start, end = _date_span(along, min(a), abs(a[1] - a[0]))
            return {cname: _position(across, c[0], ccats), f"{name} (from)": start,
                    f"{name} (to)": end}  # fmt: skip
    return None


def _spans(ax: Axes, xname: str, yname: str, in_bars: set) -> tuple[list, list[dict]]:
    artists, rows = [], []
    for patch in ax.patches:
        if id(patch) in in_bars or not isinstance(patch, Rectangle) or not _own_label(patch):
            continue
        frame = patch.get_data_transform()
        x0, x1 = patch.get_x(), patch.get_x() + patch.get_width()
        y0, y1 = patch.get_y(), patch.get_y() + patch.get_height()
        if frame is ax.get_xaxis_transform():
            row = {f"{xname} (from)": _position(ax.xaxis, x0, {}),
                   f"{xname} (to)": _position(ax.xaxis, x1, {})}  # fmt: skip
        elif frame is ax.get_yaxis_transform():
            row = {f"{yname} (from)": _position(ax.yaxis, y0, {}),
                   f"{yname} (to)": _position(ax.yaxis, y1, {})}  # fmt: skip
        else:
            continue
        artists.append(patch)
        rows.append(row)
    return artists, rows


def _axes_rows(fig: Figure, ax: Axes) -> list[dict]:
    xname, yname = _label(fig, ax, "x"), _label(fig, ax, "y")
    xcats, ycats = _categories(ax.xaxis), _categories(ax.yaxis)

    def point(x, y) -> dict:
        return {xname: _position(ax.xaxis, x, xcats), yname: _position(ax.yaxis, y, ycats)}

    artists: list = []
    rows: list[dict] = []

    for image in ax.images:
        if not isinstance(image, AxesImage):
            continue
        values = np.ma.filled(np.ma.asarray(image.get_array(), dtype=float), np.nan)
        bar = image.colorbar
        vname = _words(bar.ax.get_ylabel() or bar.ax.get_xlabel()) if bar is not None else ""
        for (i, j), v in np.ndenumerate(values):
            artists.append(image)
            rows.append(
                {
                    yname: _position(ax.yaxis, i, ycats),
                    xname: _position(ax.xaxis, j, xcats),
                    vname or "value": _plain(v),
                }
            )

    given: dict[int, str] = {}
    bar_artists, bar_rows = _bars(ax, xname, yname, given)
    artists += bar_artists
    rows += bar_rows
    in_bars = {id(p) for c in ax.containers if isinstance(c, BarContainer) for p in c.patches}

    for line in ax.lines:
        if line.get_transform() is not ax.transData or line.get_gid() == NOT_DATA:
            continue
        window = _window(ax, line, (xname, yname), (xcats, ycats))
        if window is not None:
            artists.append(line)
            rows.append(window)
            continue
        xs, ys = line.get_xdata(orig=False), line.get_ydata(orig=False)
        for x, y in zip(np.atleast_1d(xs), np.atleast_1d(ys), strict=False):
            artists.append(line)
            rows.append(point(x, y))

    for coll in ax.collections:
        if not isinstance(coll, PathCollection) or coll.get_offset_transform() is not ax.transData:
            continue
        if coll.get_gid() == NOT_DATA:
            continue
        for x, y in np.asarray(coll.get_offsets(), dtype=float).reshape(-1, 2):
            artists.append(coll)
            rows.append(point(x, y))

    span_artists, span_rows = _spans(ax, xname, yname, in_bars)
    artists += span_artists
    rows += span_rows

    distinct = list(dict.fromkeys(artists))
    names = dict(zip(map(id, distinct), _series(ax, distinct, given), strict=True))
    return [{"series": names[id(a)], **row} for a, row in zip(artists, rows, strict=True)]


def numbers(fig: Figure) -> pd.DataFrame:
    """Every value the figure plots, one row each (see the module's docstring)."""
    axes = _data_axes(fig)
    rows = []
    for i, ax in enumerate(axes):
        panel = {"panel": _title(ax, i)} if len(axes) > 1 else {}
        rows += [{**panel, **row} for row in _axes_rows(fig, ax)]
    frame = pd.DataFrame(rows, dtype=object)
    if "series" in frame and not frame["series"].astype(bool).any():
        frame = frame.drop(columns="series")
    return frame.fillna("") if len(frame) else frame


def to_csv(frame: pd.DataFrame | pd.Series) -> str:
    """A table as CSV text (UTF-8, '\\n' line ends); a named or non-default index is kept
    as columns."""
    if isinstance(frame, pd.Series):
        frame = frame.to_frame()
    if not isinstance(frame.index, pd.RangeIndex) or any(frame.index.names):
        frame = frame.reset_index()
    return frame.to_csv(index=False, lineterminator="\n")
