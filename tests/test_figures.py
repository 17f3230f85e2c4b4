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
    frame = pd.DataFrame({"s": ["a", "a"], "x": ["p", "q"], "y": [1.0, 2.0]})
    check(figures.stages(frame, "s", "x", "y", "T", "x", "y"))


def test_paired_bars_have_a_title_and_labels():
    fig = figures.paired_bars(
        [("one", pd.Series({"a": 1, "b": 2}), "u1"), ("two", pd.Series({"c": 3}), "u2")], "T", "y"
    )
    assert fig._suptitle.get_text() == "T"
    assert [ax.get_xlabel() for ax in fig.axes] == ["u1", "u2"]
    plt.close(fig)
