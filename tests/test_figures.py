from __future__ import annotations

import matplotlib

matplotlib.use("agg")  # tests only; chapters must not call this

import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402

from kgkz.analysis import records  # noqa: E402
from kgkz.render import figures, style  # noqa: E402


def check(fig):
    assert style.is_labelled(fig)
    plt.close(fig)


def test_every_plot_is_labelled():
    style.use()
    ev = records.events(["background"]).dropna(subset=["mid"])
    check(figures.timeline(ev, "actor", "T", "x", "y"))
    check(figures.heatmap(pd.DataFrame([[1, 0], [2, 3]], index=["a", "b"]), "T", "x", "y"))
    check(figures.hbars(pd.Series({"a": 1, "b": 2}), "T", "x", "y"))
    per = records.escalation(records.events(["border"]))
    marks = pd.DataFrame([{"date": per.index[0], "text": "start"}])
    check(figures.escalation(per, marks, "T", "x", "y"))
    check(figures.presence(pd.DataFrame({"q": ["yes", ""]}, index=["S000", "S001"]), "T", "x", "y"))


def test_paired_bars_have_a_title_and_labels():
    fig = figures.paired_bars(
        [("one", pd.Series({"a": 1, "b": 2}), "u1"), ("two", pd.Series({"c": 3}), "u2")], "T", "y"
    )
    assert fig._suptitle.get_text() == "T"
    assert [ax.get_xlabel() for ax in fig.axes] == ["u1", "u2"]
    plt.close(fig)


def test_bars_keep_their_legend_below_and_their_values_inside_the_axes():
    """The legend sits under the plot, clear of every bar and value; the axis is long
    enough for every value label (none runs past the axes)."""
    style.use()
    values = pd.Series({"a long measure, counted by one outlet": 170, "b": 11, "c": 11})
    fig = figures.hbars(
        values,
        "T",
        "people",
        "who",
        labels=["over 170 people", "11 people", "11 people"],
        groups=pd.Series(["seed", "seed", "public record"]),
    )
    style.fit_print(fig)
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    ax = fig.axes[0]
    (legend,) = fig.legends
    box = legend.get_window_extent(renderer)
    area = ax.get_window_extent(renderer)
    assert box.y1 <= area.y0  # under the axes
    for mark in [*ax.patches, *ax.texts]:
        assert not box.overlaps(mark.get_window_extent(renderer))
    for text in ax.texts:
        assert text.get_window_extent(renderer).x1 <= area.x1
    plt.close(fig)
