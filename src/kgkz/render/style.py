"""One house style for every figure: sizes, fonts, a colour-blind-safe palette that stays
readable in greyscale (colours of distinct lightness, plus markers and hatches), and
deterministic output (same data, same bytes)."""

from __future__ import annotations

import os

import matplotlib as mpl
import matplotlib.pyplot as plt
from matplotlib.figure import Figure

# Okabe-Ito colours, the first five ordered by rising lightness so that they stay
# distinct in greyscale (black, blue, vermillion, sky blue, yellow).
PALETTE = ["#000000", "#0072B2", "#D55E00", "#56B4E9", "#F0E442", "#009E73", "#CC79A7"]
MARKERS = ["o", "s", "^", "D", "v", "P", "X"]
HATCHES = ["", "///", "...", "xxx", "\\\\\\", "ooo", "---"]
# Sequential map whose lightness rises monotonically: reads the same in greyscale.
SEQUENTIAL = "cividis"
DPI = 200  # PNG for the HTML book; the PDF takes the vector (PDF) version of each figure.

RC = {
    "figure.figsize": (7.0, 3.8),
    "figure.dpi": 100,
    "savefig.dpi": DPI,
    "font.size": 10,
    "axes.titlesize": 11,
    "axes.titleweight": "bold",
    "axes.titlelocation": "left",
    "axes.labelsize": 10,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.prop_cycle": mpl.cycler(color=PALETTE),
    "axes.grid": False,
    "legend.frameon": False,
    "image.cmap": SEQUENTIAL,
    "svg.hashsalt": "kgkz",
    "pdf.fonttype": 42,
    "figure.constrained_layout.use": True,
}


def use() -> None:
    """Apply the house style in this process (call once at the top of a chapter)."""
    # Fixed timestamps in PDF/SVG metadata: same data, same bytes.
    os.environ.setdefault("SOURCE_DATE_EPOCH", "0")
    mpl.rcParams.update(RC)
    try:
        from matplotlib_inline.backend_inline import set_matplotlib_formats
    except ImportError:  # pragma: no cover - outside Jupyter
        return
    # PNG for HTML, PDF (vector) for the LaTeX/PDF book; myst-nb picks per output format.
    set_matplotlib_formats("png", "pdf", dpi=DPI, bbox_inches="tight")


def figure(width: float = 7.0, height: float = 3.8, **kwargs) -> tuple[Figure, plt.Axes]:
    fig, ax = plt.subplots(figsize=(width, height), **kwargs)
    return fig, ax


def label(ax: plt.Axes, title: str, xlabel: str, ylabel: str) -> None:
    """Title (the finding) and axis labels; all three are required."""
    for name, text in (("title", title), ("xlabel", xlabel), ("ylabel", ylabel)):
        if not text or not text.strip():
            raise ValueError(f"a figure needs a {name}")
    # The title (the finding) spans the figure, left-aligned: a long title then never
    # squeezes the axes, whatever the width of the tick labels.
    ax.figure.suptitle(title, x=0.01, ha="left", fontweight="bold", fontsize=RC["axes.titlesize"])
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)


def is_labelled(fig: Figure) -> bool:
    """Every axes with data has a title (on it or the figure) and both axis labels."""
    suptitle = fig._suptitle.get_text() if fig._suptitle is not None else ""
    for ax in fig.axes:
        if getattr(ax, "_colorbar", None) is not None:  # a colour bar carries its own label
            continue
        if not ax.has_data() and not ax.images:
            continue
        titles = [ax.get_title(loc=loc) for loc in ("left", "center", "right")]
        if not (any(titles) or suptitle):
            return False
        if not ax.get_xlabel() or not ax.get_ylabel():
            return False
    return True
