"""No text in any chapter's figure prints smaller than style.MIN_PT: each chapter's code is
run with the figures caught at publish.figure, and every Text artist is measured at the
size LaTeX prints the figure (shrunk to the page's width and height when larger)."""

from __future__ import annotations

import matplotlib

matplotlib.use("agg")

import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402

from kgkz.render import style  # noqa: E402
from tests.helpers import run_chapter  # noqa: E402

CHAPTERS = ["background", "election", "border", "russia", "visit2019", "method"]


HEIGHTS: dict[str, float] = {}  # each figure's height in print (inches)


def _figures(chapter: str, monkeypatch) -> dict:
    caught = {}

    def catch(name, fig, data=None):  # data: the numbers beside the figure, not measured
        style.fit_print(fig)
        caught[name] = style.smallest_printed_text(fig)
        HEIGHTS[name] = style.printed_size(fig)[1] * style.print_scale(fig)
        plt.close(fig)

    run_chapter(chapter, monkeypatch, catch)
    return caught


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_no_text_below_min_at_print_size(chapter, monkeypatch):
    caught = _figures(chapter, monkeypatch)
    assert caught, f"{chapter} publishes no figure"
    small = {n: v for n, v in caught.items() if v[0] < style.MIN_PT - 1e-6}
    assert not small, f"text under {style.MIN_PT} pt in print: {small}"
    # ... and each figure leaves room on its page for its caption.
    room = style.PRINT_HEIGHT - style.CAPTION_ROOM
    tall = {n: round(HEIGHTS[n], 2) for n in caught if HEIGHTS[n] > room + 0.01}
    assert not tall, f"taller than {room} in, with no room for a caption: {tall}"


def test_print_scale_counts_the_page():
    fig, ax = style.figure(13.0, 3.0)
    ax.plot([0, 1], [0, 1])
    ax.set_xlabel("x", fontsize=10)
    assert style.print_scale(fig) < 0.75
    assert style.smallest_printed_text(fig)[0] < 7
    plt.close(fig)


def test_a_figure_that_fits_keeps_its_size_before_its_first_draw():
    """Measured before any draw, a constrained layout has not run and the tick labels of a
    long-labelled plot stick out of the figure: fit_print must lay it out first, not
    narrow the figure until the plot collapses."""
    import pandas as pd

    from kgkz.render import figures

    style.use()
    names = [f"Central Election Commission of Kyrgyzstan {i}" for i in range(15)]
    matrix = pd.DataFrame([[i, 2 * i, 3, 4, 5] for i in range(15)], index=names)
    fig = figures.heatmap(matrix, "T", "source", "actor", width=6.2)
    style.fit_print(fig)
    assert tuple(fig.get_size_inches()) == (6.2, fig.get_size_inches()[1])
    assert fig.axes[0].get_position().width > 0.2
    plt.close(fig)
