"""The numbers a figure plots are read back from the figure itself."""

from __future__ import annotations

import matplotlib

matplotlib.use("agg")  # tests only; chapters must not call this

import io  # noqa: E402

import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from kgkz.render import figure_data, figures, publish, style  # noqa: E402


@pytest.fixture(autouse=True)
def _style():
    style.use()
    yield
    plt.close("all")


def rows(fig) -> list[dict]:
    return figure_data.numbers(fig).to_dict("records")


def test_bars_by_category_with_the_axis_labels_as_columns():
    fig = figures.hbars(pd.Series({"S000": 156, "S001": 81.5}), "T", "evidence quotes", "source")
    assert rows(fig) == [
        {"source": "S000", "evidence quotes": 156},
        {"source": "S001", "evidence quotes": 81.5},
    ]


def test_bar_groups_are_series_and_panels_are_named():
    groups = pd.Series(["seed", "public record"])
    fig = figures.hbars(pd.Series({"a": 3, "b": 4}), "T", "n", "who", groups=groups)
    assert [(r["series"], r["who"], r["n"]) for r in rows(fig)] == [
        ("seed", "a", 3),
        ("public record", "b", 4),
    ]
    fig = figures.paired_bars(
        [("one", pd.Series({"a": 1, "b": 2}), "u1"), ("two", pd.Series({"c": 3}), "u2")], "T", "y"
    )
    frame = figure_data.numbers(fig)
    # A panel without a y label of its own borrows the first panel's.
    assert list(frame.columns) == ["panel", "y", "u1", "u2"]
    assert frame.loc[2].to_dict() == {"panel": "two", "y": "c", "u1": "", "u2": 3}


def test_lines_on_a_date_axis_and_their_legend_labels():
    per_day = pd.DataFrame(
        {"goldstein": [2.0, -5.0], "cumulative": [2.0, -3.0]},
        index=pd.to_datetime(["2017-10-01", "2017-10-09"]),
    )
    marks = pd.DataFrame(columns=["date", "text"])
    fig = figures.escalation(per_day, marks, "T", "day", "weight")
    frame = figure_data.numbers(fig)
    total = frame[frame["series"] == "running total"]
    assert total[["day", "weight"]].values.tolist() == [["2017-10-01", 2], ["2017-10-09", -3]]
    conflict = frame[frame["series"] == "daily sum, conflictual"]
    assert conflict[["day", "weight"]].values.tolist() == [["2017-10-01", 0], ["2017-10-09", -5]]


def test_lines_by_category_one_series_each():
    fig, ax = plt.subplots()
    ax.plot([0, 1], [1.0, 2.25], marker="o", label="a")
    ax.plot([0], [3.0], marker="s", label="b")
    ax.set_xticks([0, 1], ["p", "q"])
    ax.set_xlabel("stage")
    ax.set_ylabel("share (%)")
    assert rows(fig) == [
        {"series": "a", "stage": "p", "share (%)": 1},
        {"series": "a", "stage": "q", "share (%)": 2.25},
        {"series": "b", "stage": "p", "share (%)": 3},
    ]


def test_unlabelled_marks_take_the_legend_entry_in_their_colour():
    events = pd.DataFrame(
        {
            "actor": ["A", "B"],
            "mid": pd.to_datetime(["2017-01-05", "2017-03-01"]),
            "date_start": pd.to_datetime(["2017-01-05", "2017-02-01"]),
            "date_end": pd.to_datetime(["2017-01-05", "2017-03-29"]),
            "goldstein": [-4.0, 3.0],
        }
    )
    fig = figures.timeline(events, "actor", "T", "date", "actor")
    got = {(r["series"], r["actor"], r["date"]) for r in rows(fig)}
    assert ("conflict (Goldstein < 0)", "A", "2017-01-05") in got
    assert ("cooperation (Goldstein > 0)", "B", "2017-03-01") in got
    assert ("date known only within a window", "B", "") in got


def test_a_window_drawn_as_a_line_is_one_row_from_its_first_to_its_last_day():
    events = pd.DataFrame(
        {
            "actor": ["A", "B", "B"],
            "mid": pd.to_datetime(["2017-01-05", "2017-03-01", "2017-06-15"]),
            "date_start": pd.to_datetime(["2017-01-05", "2017-02-01", "2017-06-01"]),
            "date_end": pd.to_datetime(["2017-01-05", "2017-03-29", "2017-06-30"]),
            "goldstein": [-4.0, 3.0, 0.0],
        }
    )
    fig = figures.timeline(events, "actor", "T", "date", "actor")
    windows = [r for r in rows(fig) if r["series"] == "date known only within a window"]
    assert [(r["actor"], r["date (from)"], r["date (to)"], r["date"]) for r in windows] == [
        ("B", "2017-02-01", "2017-03-29", ""),
        ("B", "2017-06-01", "2017-06-30", ""),
    ]
    # the CSV offered under the figure: one line per window, start and end side by side
    csv = pd.read_csv(io.StringIO(figure_data.to_csv(figure_data.numbers(fig))))
    spans = csv[csv["series"] == "date known only within a window"]
    assert spans[["date (from)", "date (to)"]].values.tolist() == [
        ["2017-02-01", "2017-03-29"],
        ["2017-06-01", "2017-06-30"],
    ]


def test_the_labelled_timeline_gives_one_row_per_event_and_no_decoration():
    events = pd.DataFrame(
        {
            "mid": pd.to_datetime(["2017-09-05", "2017-09-20"]),
            "date_start": pd.to_datetime(["2017-09-01", "2017-09-20"]),
            "date_end": pd.to_datetime(["2017-09-10", "2017-09-20"]),
            "goldstein": [0.0, -2.0],
            "summary": ["a window", "a day"],
        }
    )
    fig = figures.labelled_timeline(events, "T", "events", "date")
    read = rows(fig)
    assert len(read) == 2  # the window's middle tick is decoration, not a value
    window = next(r for r in read if r["series"] == "date known only within a window")
    assert (window["date (from)"], window["date (to)"]) == ("2017-09-01", "2017-09-10")
    numbers = figures.labelled_timeline_numbers(events)
    assert numbers.to_dict("list") == {
        "no.": [1, 2],
        "first day": ["2017-09-01", "2017-09-20"],
        "last day": ["2017-09-10", "2017-09-20"],
        "marker": ["date known only within a window", "conflict (Goldstein < 0)"],
        "event": ["a window", "a day"],
    }


def test_unlabelled_marks_of_different_shapes_are_named_by_marker():
    matrix = pd.DataFrame({"q": ["yes", ""]}, index=["S000", "S001"])
    fig = figures.presence(matrix, "T", "question", "source")
    assert rows(fig) == [
        {"series": "square", "question": "q", "source": "S000"},
        {"series": "cross", "question": "q", "source": "S001"},
    ]


def test_heat_map_cells_are_named_by_row_column_and_colour_bar():
    matrix = pd.DataFrame([[1, 0], [2, 3]], index=["a", "b"], columns=["S0", "S1"])
    fig = figures.heatmap(matrix, "T", "source", "actor")
    assert rows(fig)[1:3] == [
        {"actor": "a", "source": "S1", "count": 0},
        {"actor": "b", "source": "S0", "count": 2},
    ]


def test_date_windows_give_the_first_and_last_day_and_spans_their_ends():
    frame = pd.DataFrame(
        {
            "date_start": pd.to_datetime(["2019-06-01", "2019-06-05"]),
            "date_end": pd.to_datetime(["2019-06-03", "2019-06-05"]),
        }
    )
    fig = figures.windows(frame, ["e1", "e2"], "T", "date", "event")
    first, second = rows(fig)
    assert (first["event"], first["date (from)"], first["date (to)"]) == (
        "e1",
        "2019-06-01",
        "2019-06-03",
    )
    assert (second["series"], second["event"], second["date"]) == (
        "known to the day",
        "e2",
        "2019-06-05",
    )
    fig = figures.interval_dots(pd.Series({"R1": 55.8}), 55, 56, "allowed", "T", "turnout", "r")
    band = [r for r in rows(fig) if r["series"] == "allowed"]
    assert band == [
        {"series": "allowed", "turnout": "", "r": "", "turnout (from)": 55, "turnout (to)": 56}
    ]


def test_a_hand_made_figure_and_guides_left_out():
    fig, ax = plt.subplots()
    ax.plot([0, 1, 2], [0.1 + 0.2, 2, 4], label="measured")
    ax.scatter([5], [6])
    ax.axhline(1)
    ax.set_xlabel("x\nunit")
    ax.set_ylabel("")
    assert rows(fig) == [
        {"series": "measured", "x unit": 0, "y": 0.3},
        {"series": "measured", "x unit": 1, "y": 2},
        {"series": "measured", "x unit": 2, "y": 4},
        {"series": "", "x unit": 5, "y": 6},
    ]


def test_publish_glues_the_numbers_with_the_figure(monkeypatch):
    from IPython.core import display_functions

    shown = []
    monkeypatch.setattr(display_functions, "publish_display_data", lambda **kw: shown.append(kw))
    fig = figures.hbars(pd.Series({"a": 1, "b": 2}), "T", "n", "who")
    publish.figure("f", fig)
    csv = shown[-1]["data"][publish.GLUE_PREFIX + figure_data.MIME]
    assert pd.read_csv(io.StringIO(csv)).to_dict("list") == {"who": ["a", "b"], "n": [1, 2]}
    fig = figures.hbars(pd.Series({"a": 1}), "T", "n", "who")
    publish.figure("g", fig, data=pd.Series({"a": 1.5}, name="share").rename_axis("who"))
    csv = shown[-1]["data"][publish.GLUE_PREFIX + figure_data.MIME]
    assert csv == "who,share\na,1.5\n"
