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
# The printed page (letter, 1 in margins): LaTeX shrinks a wider or taller figure to fit
# (Sphinx's \sphinxincludegraphics), which would shrink its text with it.
PRINT_WIDTH, PRINT_HEIGHT = 6.5, 9.0  # inches
PAD = 0.1  # inches around the tight box, as savefig(bbox_inches="tight") adds
MIN_PT = 7.0  # no text smaller than this at print size
CAPTION_ROOM = 1.1  # inches a figure leaves on its page for a caption of a few lines
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
    # Type 3 fonts: the glyphs a figure uses, embedded as drawings with a ToUnicode map
    # (the text stays searchable), written without subsetting a TrueType font each time.
    "pdf.fonttype": 3,
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


def printed_size(fig: Figure) -> tuple[float, float]:
    """The size (inches) a figure is saved at with ``bbox_inches="tight"``."""
    box = fig.get_tightbbox(fig.canvas.get_renderer())
    return box.width + 2 * PAD, box.height + 2 * PAD


def print_scale(fig: Figure) -> float:
    """How much LaTeX shrinks the figure to fit the page (1 when it fits)."""
    width, height = printed_size(fig)
    return min(1.0, PRINT_WIDTH / width, PRINT_HEIGHT / height)


def fit_print(fig: Figure, tries: int = 4) -> None:
    """Narrow a figure whose saved box is wider than the page, so that it prints at its
    own size and its text keeps its size: the axes give way, the text does not.

    The figure is left laid out at its final size, as it is saved (``publish.figure``
    keeps this layout). It is measured without painting a pixel
    (``draw_without_rendering``): only saving paints."""
    import textwrap
    import warnings

    # Measure a laid-out figure: before its first draw, a constrained layout has not run,
    # tick labels stick out of the default axes and the figure seems wider than it is.
    fig.draw_without_rendering()
    title = fig._suptitle
    if title is not None and title.get_text():
        renderer = fig.canvas.get_renderer()
        wide = title.get_window_extent(renderer).width / fig.dpi
        room = PRINT_WIDTH - 2 * PAD - 0.1
        if wide > room:  # a title wider than the page: wrap it, never shrink it
            text = " ".join(title.get_text().split())
            title.set_text(textwrap.fill(text, int(len(text) * room / wide)))
            fig.draw_without_rendering()
    original = tuple(fig.get_size_inches())
    for _ in range(tries):
        width, _height = printed_size(fig)
        if width <= PRINT_WIDTH + 0.005:
            return
        w, h = fig.get_size_inches()
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # the layout collapsed: too narrow to fit
            try:
                fig.set_size_inches(max(w - (width - PRINT_WIDTH) - 0.01, 2.0), h)
                fig.draw_without_rendering()
            except UserWarning:
                collapsed = True
            else:
                collapsed = False
        if collapsed:  # back to the size it had, laid out again
            fig.set_size_inches(*original)
            fig.draw_without_rendering()
            return


def smallest_printed_text(fig: Figure) -> tuple[float, str]:
    """The smallest visible text in a figure, in points at print size, and the text."""
    fig.canvas.draw()
    scale = print_scale(fig)
    sizes = [
        (t.get_fontsize() * scale, t.get_text())
        for t in fig.findobj(lambda a: hasattr(a, "get_fontsize") and hasattr(a, "get_text"))
        if t.get_visible() and t.get_text().strip()
    ]
    return min(sizes) if sizes else (float("inf"), "")
