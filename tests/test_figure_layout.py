"""Every chapter's figures, drawn as the book prints them: no legend covers a plotted
value (a bar, a line, a marker, a value label), and no two texts overlap (tick labels,
value labels, annotations, titles, legend entries)."""

from __future__ import annotations

from itertools import combinations

import matplotlib

matplotlib.use("agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.text import Text  # noqa: E402

from kgkz.render import publish, style  # noqa: E402
from tests.helpers import run_chapter  # noqa: E402

CHAPTERS = ["background", "election", "border", "russia", "visit2019", "method"]
TOLERANCE = 1.0  # pixels: boxes that only touch do not overlap


def _figures(chapter: str, monkeypatch) -> dict:
    """Run a chapter's code; return each published figure, laid out for print."""
    caught = {}

    def catch(name, fig, data=None):
        style.fit_print(fig)  # then saved as the book saves it: its layout is the printed one
        publish._images(fig)
        fig.canvas.draw()
        caught[name] = fig

    run_chapter(chapter, monkeypatch, catch)
    return caught


def _overlap(a, b) -> bool:
    return (
        min(a.x1, b.x1) - max(a.x0, b.x0) > TOLERANCE
        and min(a.y1, b.y1) - max(a.y0, b.y0) > TOLERANCE
    )


def _corners(text: Text, renderer) -> np.ndarray:
    """The four corners of a text's own (rotated) box, in pixels: the box of a rotated
    label is not its axis-aligned extent, which would make neighbours seem to overlap."""
    extent = Text.get_window_extent  # an annotation's own extent includes its arrow
    box = extent(text, renderer)
    angle = text.get_rotation()
    text.set_rotation(0)
    flat = extent(text, renderer)
    text.set_rotation(angle)
    w, h = flat.width, flat.height
    angle = np.deg2rad(angle)
    centre = np.array([(box.x0 + box.x1) / 2, (box.y0 + box.y1) / 2])
    along = np.array([np.cos(angle), np.sin(angle)])
    across = np.array([-np.sin(angle), np.cos(angle)])
    return np.array(
        [centre + sx * w / 2 * along + sy * h / 2 * across for sx in (-1, 1) for sy in (-1, 1)]
    )


def _texts_overlap(a: np.ndarray, b: np.ndarray) -> bool:
    """Two rotated rectangles overlap unless some edge's normal separates them (by more
    than the tolerance)."""
    for quad in (a, b):
        for edge in (quad[1] - quad[0], quad[2] - quad[0]):
            normal = np.array([-edge[1], edge[0]]) / np.hypot(*edge)
            pa, pb = a @ normal, b @ normal
            if min(pa.max(), pb.max()) - max(pa.min(), pb.min()) <= TOLERANCE:
                return False
    return True


def _texts(fig) -> list[Text]:
    """The texts drawn: tick labels only of the ticks in view (an axis keeps labels for
    ticks beyond its limits, and does not draw them)."""
    drawn = set()
    for ax in fig.axes:
        for axis in (ax.xaxis, ax.yaxis):
            for tick in axis._update_ticks():  # the ticks Axis.draw draws
                drawn.update({id(tick.label1), id(tick.label2)})
    axes = [axis for ax in fig.axes for axis in (ax.xaxis, ax.yaxis)]
    ticks = {id(t) for axis in axes for t in axis.get_ticklabels(which="both")}
    return [
        t
        for t in fig.findobj(Text)
        if t.get_visible()
        and t.get_text().strip()
        and t.figure is fig
        and (id(t) not in ticks or id(t) in drawn)
    ]


def _marks(fig) -> list:
    """What an axes plots: bars and patches, lines in data coordinates, markers, images,
    and the texts written on the axes (values, annotations)."""
    marks = []
    for ax in fig.axes:
        marks += [p for p in ax.patches if p.get_visible()]
        marks += [ln for ln in ax.lines if ln.get_transform() is ax.transData]
        marks += list(ax.collections) + list(ax.images)
        marks += [t for t in ax.texts if t.get_visible() and t.get_text().strip()]
    return marks


def legend_overlaps(fig) -> list[str]:
    renderer = fig.canvas.get_renderer()
    legends = [*fig.legends, *(ax.get_legend() for ax in fig.axes if ax.get_legend())]
    hits = []
    for legend in legends:
        box = legend.get_window_extent(renderer)
        for mark in _marks(fig):
            if _overlap(box, mark.get_window_extent(renderer)):
                hits.append(f"legend covers {mark}")
    return hits


def text_overlaps(fig) -> list[str]:
    renderer = fig.canvas.get_renderer()
    texts = [(t, _corners(t, renderer)) for t in _texts(fig)]
    return [
        f"{a.get_text()!r} overlaps {b.get_text()!r}"
        for (a, box_a), (b, box_b) in combinations(texts, 2)
        if _texts_overlap(box_a, box_b)
    ]


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_no_legend_covers_a_value_and_no_two_texts_overlap(chapter, monkeypatch):
    caught = _figures(chapter, monkeypatch)
    assert caught, f"{chapter} publishes no figure"
    covered = {name: legend_overlaps(fig) for name, fig in caught.items()}
    crossed = {name: text_overlaps(fig) for name, fig in caught.items()}
    plt.close("all")
    assert not {n: h for n, h in covered.items() if h}
    assert not {n: h for n, h in crossed.items() if h}
