"""The book's plots, all in the house style (see ``style``): each takes data and the words
of its title and axes, and returns the Figure for ``publish.figure``."""

from __future__ import annotations

import matplotlib.dates as mdates
import matplotlib.transforms as mtransforms
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from . import figure_data, style

LABEL_PT = 8  # values, annotations and legends; never below style.MIN_PT in print

_KIND = {  # marker, fill, label — readable without colour
    "coop": ("^", style.PALETTE[1], "cooperation (Goldstein > 0)"),
    "conf": ("v", style.PALETTE[2], "conflict (Goldstein < 0)"),
    "neutral": ("o", style.PALETTE[0], "neutral or context"),
}


def _kind(goldstein: float) -> str:
    if pd.isna(goldstein) or goldstein == 0:
        return "neutral"
    return "coop" if goldstein > 0 else "conf"


def legend_below(fig: Figure, handles=None, ncol: int = 2) -> None:
    """The legend under the plot, outside every axes: it can never cover a value. The
    figure's (constrained) layout makes room for it below the axis labels. Without
    ``handles``, the labelled artists of every axes, each label once."""
    if handles is None:
        found: dict = {}
        for ax in fig.axes:
            for handle, text in zip(*ax.get_legend_handles_labels(), strict=True):
                found.setdefault(text, handle)
        handles, labels = list(found.values()), list(found)
    else:
        labels = [h.get_label() for h in handles]
    fig.legend(handles, labels, loc="outside lower center", ncol=ncol, fontsize=LABEL_PT)


def room_for_labels(ax, texts: list, pad_pt: float = 3.0) -> None:
    """Widen the x axis until every text written beyond a bar's end (or a dot) lies inside
    the axes: a value label never runs past the axes or squeezes the plot from outside."""
    fig = ax.figure
    x0, base = ax.get_xlim()
    for _ in range(5):  # the axes' width moves a little with its tick labels: iterate
        fig.draw_without_rendering()  # measure the layout; only saving paints
        renderer = fig.canvas.get_renderer()
        width = ax.get_window_extent(renderer).width
        need = base
        for text in texts:
            start = text.get_position()[0]
            room = width - text.get_window_extent(renderer).width - pad_pt * fig.dpi / 72
            if room > 0 and start > x0:
                need = max(need, x0 + (start - x0) * width / room)
        if abs(need - ax.get_xlim()[1]) <= 1e-3 * abs(need - x0):
            return
        ax.set_xlim(x0, need)


def timeline(
    events: pd.DataFrame,
    lanes: str,
    title: str,
    xlabel: str,
    ylabel: str,
    width: float = style.PRINT_WIDTH - 2 * style.PAD,
) -> Figure:
    """Events on a time axis, one lane per value of ``lanes``; bars show date windows,
    marker shape shows cooperation, conflict or context."""
    dated = events.dropna(subset=["mid"])
    order = list(dict.fromkeys(dated.sort_values("mid")[lanes]))
    fig, ax = style.figure(width, 0.45 * len(order) + 1.6)
    y = {lane: i for i, lane in enumerate(order)}
    for _, ev in dated.iterrows():
        row = y[ev[lanes]]
        if ev["date_end"] > ev["date_start"]:
            ax.plot(  # to the end of the window's last day, as a bar over its days
                [ev["date_start"], ev["date_end"] + pd.Timedelta(days=1)],
                [row, row],
                color="0.55",
                lw=3,
                solid_capstyle="butt",
                zorder=1,
            )
        marker, colour, _ = _KIND[_kind(ev["goldstein"])]
        ax.scatter(
            ev["mid"],
            row,
            marker=marker,
            s=46,
            color=colour,
            edgecolor="black",
            linewidth=0.6,
            zorder=2,
        )
    ax.set_yticks(range(len(order)), order)
    ax.invert_yaxis()
    ax.grid(axis="x", color="0.9")
    handles = [
        Line2D([], [], marker=m, color=c, markeredgecolor="black", linestyle="", label=lbl)
        for m, c, lbl in _KIND.values()
    ] + [Line2D([], [], color="0.55", lw=3, label="date known only within a window")]
    legend_below(fig, handles)
    style.label(ax, title, xlabel, ylabel)
    return fig


def heatmap(
    matrix: pd.DataFrame,
    title: str,
    xlabel: str,
    ylabel: str,
    width: float = 7.0,
    height: float | None = None,
) -> Figure:
    """A count matrix with every cell's number written in it (no colour needed to read)."""
    height = height or 0.32 * len(matrix) + 1.6
    fig, ax = style.figure(width, height)
    values = matrix.to_numpy(dtype=float)
    image = ax.imshow(values, cmap=style.SEQUENTIAL, aspect="auto")
    top = values.max() if values.size else 0
    for (i, j), v in np.ndenumerate(values):
        if v:
            ax.text(
                j,
                i,
                f"{v:g}",
                ha="center",
                va="center",
                fontsize=LABEL_PT,
                color="black" if v > top * 0.55 else "white",
            )
    ax.set_xticks(range(matrix.shape[1]), matrix.columns, rotation=30, ha="right")
    ax.set_yticks(range(matrix.shape[0]), matrix.index)
    ax.spines[:].set_visible(False)
    fig.colorbar(image, ax=ax, shrink=0.6, label="count")
    style.label(ax, title, xlabel, ylabel)
    return fig


def hbars(
    values: pd.Series,
    title: str,
    xlabel: str,
    ylabel: str,
    labels: list[str] | None = None,
    groups: pd.Series | None = None,
    width: float = style.PRINT_WIDTH - 2 * style.PAD,
) -> Figure:
    """Horizontal bars with their values written at the end, the axis long enough for
    every value; ``groups`` sets colour and hatch, named in a legend under the plot."""
    fig, ax = style.figure(width, 0.42 * len(values) + 1.4 + (0.35 if groups is not None else 0))
    written = []
    keys = list(dict.fromkeys(groups)) if groups is not None else [None]
    for i, (_name, v) in enumerate(values.items()):
        g = keys.index(groups.iloc[i]) if groups is not None else 0
        ax.barh(
            i,
            v,
            color=style.PALETTE[(g + 1) % len(style.PALETTE)],
            edgecolor="black",
            hatch=style.HATCHES[g % len(style.HATCHES)],
            linewidth=0.6,
            label=groups.iloc[i] if groups is not None else None,
        )
        text = f"  {labels[i] if labels else format(v, ',g')}"
        written.append(ax.text(v, i, text, va="center", fontsize=LABEL_PT))
    import textwrap

    names = [textwrap.fill(str(n), 36) if len(str(n)) > 44 else str(n) for n in values.index]
    ax.set_yticks(range(len(values)), names)
    ax.invert_yaxis()
    ax.set_xlim(0, values.max() * 1.05 if len(values) and values.max() > 0 else 1)
    style.label(ax, title, xlabel, ylabel)
    if groups is not None:
        legend_below(fig, ncol=len(set(groups)))
    room_for_labels(ax, written)
    return fig


def escalation(
    per_day: pd.DataFrame,
    marks: pd.DataFrame,
    title: str,
    xlabel: str,
    ylabel: str,
    level: pd.Series | None = None,
    level_label: str = "running total",
) -> Figure:
    """Daily sum of Goldstein weights as bars, and a line: ``level`` (e.g. a measure in
    which old events fade) or, without it, the running total. ``marks`` (date, text, and
    optional dx/dy offsets in points) annotates turning points on the line."""
    fig, ax = style.figure(6.4, 4.2)
    days = per_day.index
    line = level if level is not None else per_day["cumulative"]
    pos = per_day["goldstein"].clip(lower=0)
    neg = per_day["goldstein"].clip(upper=0)
    ax.bar(
        days,
        pos,
        width=1.6,
        color=style.PALETTE[1],
        edgecolor="black",
        linewidth=0.4,
        label="daily sum, cooperative",
    )
    ax.bar(
        days,
        neg,
        width=1.6,
        color=style.PALETTE[2],
        edgecolor="black",
        linewidth=0.4,
        hatch="///",
        label="daily sum, conflictual",
    )
    ax.plot(line.index, line.to_numpy(), color="black", lw=1.4, label=level_label)
    ax.axhline(0, color="0.5", lw=0.8)
    for _, m in marks.iterrows():
        ax.annotate(
            m["text"],
            (m["date"], line.asof(m["date"])),
            xytext=(m.get("dx", 0), m.get("dy", 14)),
            textcoords="offset points",
            ha="center",
            fontsize=LABEL_PT,
            arrowprops={"arrowstyle": "-", "color": "0.4", "lw": 0.7},
        )
    ax.xaxis.set_major_locator(mdates.WeekdayLocator(byweekday=mdates.MO, interval=2))
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%d %b"))
    # Below the axes: inside, the legend would cover the line wherever it dips.
    legend_below(fig)
    style.label(ax, title, xlabel, ylabel)
    return fig


def presence(matrix: pd.DataFrame, title: str, xlabel: str, ylabel: str) -> Figure:
    """Which rows address which columns: a filled square where a cell has text."""
    fig, ax = style.figure(7.0, 0.5 * len(matrix) + 1.8)
    for i, row in enumerate(matrix.index):
        for j, col in enumerate(matrix.columns):
            said = bool(matrix.loc[row, col])
            if said:
                ax.scatter(
                    j,
                    i,
                    marker="s",
                    s=170,
                    color=style.PALETTE[1],
                    edgecolor="black",
                    linewidth=0.6,
                )
            else:
                ax.scatter(j, i, marker="x", s=40, color="0.6")
    ax.set_xticks(range(matrix.shape[1]), matrix.columns, rotation=20, ha="right")
    ax.set_yticks(range(matrix.shape[0]), matrix.index)
    ax.set_xlim(-0.6, matrix.shape[1] - 0.4)
    ax.set_ylim(matrix.shape[0] - 0.4, -0.6)
    style.label(ax, title, xlabel, ylabel)
    return fig


def paired_bars(panels: list[tuple[str, pd.Series, str]], title: str, ylabel: str) -> Figure:
    """Side-by-side panels of before/after bars, each panel with its own unit:
    ``panels`` is a list of (panel title, values, x-axis label)."""
    import textwrap

    fig, axes = style.figure(6.4, 2.6, ncols=len(panels))
    axes = np.atleast_1d(axes)
    texts = []
    for ax, (name, values, unit) in zip(axes, panels, strict=True):
        written: list = []
        texts.append(written)
        for i, (_label, v) in enumerate(values.items()):
            ax.barh(
                i,
                v,
                color=style.PALETTE[1 + 2 * i % 4],
                hatch=style.HATCHES[i],
                edgecolor="black",
                linewidth=0.6,
            )
            written.append(ax.text(v, i, f"  {v:,g}", va="center", fontsize=LABEL_PT))
        ax.set_yticks(range(len(values)), values.index)
        ax.invert_yaxis()
        ax.set_xlim(0, values.max() * 1.05)
        ax.set_title(textwrap.fill(name, 28), fontsize=9, fontweight="normal")
        ax.set_xlabel(unit)
    axes[0].set_ylabel(ylabel)
    for ax in axes[1:]:
        ax.set_ylabel(" ")
    fig.suptitle(title, x=0.02, ha="left", fontweight="bold", fontsize=11)
    for ax, written in zip(axes, texts, strict=True):
        room_for_labels(ax, written)
    return fig


def windows(frame: pd.DataFrame, labels: list[str], title: str, xlabel: str, ylabel: str) -> Figure:
    """How precisely each event is dated: one row per event (``date_start``/``date_end``),
    a diamond for an event known to the day, a hatched bar for the window an event is only
    known within. Rows keep the frame's order, first at the top."""
    from matplotlib.patches import Patch

    fig, ax = style.figure(6.4, 0.34 * len(frame) + 1.9)
    for i, (_, ev) in enumerate(frame.iterrows()):
        start, end = ev["date_start"], ev["date_end"]
        if end > start:
            ax.barh(
                i,
                (end - start).days + 1,
                left=start,
                height=0.5,
                color=style.PALETTE[3],
                edgecolor="black",
                hatch=style.HATCHES[1],
                linewidth=0.6,
            )
        else:
            ax.scatter(
                start, i, marker="D", s=42, color=style.PALETTE[2], edgecolor="black", zorder=3
            )
    ax.set_yticks(range(len(frame)), labels)
    ax.set_ylim(len(frame) - 0.5, -0.5)
    ax.use_sticky_edges = False  # bars start at their window: keep a margin at both ends
    ax.margins(x=0.03)
    locator = mdates.AutoDateLocator(minticks=4, maxticks=8)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
    ax.grid(axis="x", color="0.9")
    handles = [
        Line2D([], [], marker="D", color=style.PALETTE[2], markeredgecolor="black",
               linestyle="", label="known to the day"),
        Patch(facecolor=style.PALETTE[3], edgecolor="black", hatch=style.HATCHES[1],
              label="known only within this window"),
    ]  # fmt: skip
    legend_below(fig, handles)
    style.label(ax, title, xlabel, ylabel)
    return fig


def interval_dots(
    values: pd.Series,
    low: float,
    high: float,
    band_label: str,
    title: str,
    xlabel: str,
    ylabel: str,
    labels: list[str] | None = None,
) -> Figure:
    """Reported figures as dots, one row each, over the hatched band of values a rounded
    claim allows (``low`` to ``high``; an open end is drawn to the edge): which reports the
    claim fits reads off without colour."""
    fig, ax = style.figure(7.0, 0.45 * len(values) + 1.6)
    top = high if np.isfinite(high) else max(values.max(), low) + 1
    lo, hi = min(values.min(), low), max(values.max(), top)
    pad = (hi - lo) * 0.3 or 0.5
    ax.axvspan(
        low,
        top if np.isfinite(high) else hi + pad,
        facecolor=style.PALETTE[3],
        alpha=0.35,
        hatch="///",
        edgecolor="0.35",
        linewidth=0,
        label=band_label,
    )
    for i, (_name, v) in enumerate(values.items()):
        ax.plot(v, i, marker=style.MARKERS[0], color=style.PALETTE[0], linestyle="", ms=7)
        text = labels[i] if labels else f"{v:g}"
        ax.annotate(
            text, (v, i), xytext=(7, 0), textcoords="offset points", va="center", fontsize=LABEL_PT
        )
    ax.set_yticks(range(len(values)), values.index)
    ax.set_ylim(len(values) - 0.5, -0.5)
    ax.set_xlim(lo - pad, hi + pad)
    ax.grid(axis="x", color="0.9")
    legend_below(fig)
    style.label(ax, title, xlabel, ylabel)
    return fig


def stacked_hbars(
    frame: pd.DataFrame,
    title: str,
    xlabel: str,
    ylabel: str,
    width: float = style.PRINT_WIDTH - 2 * style.PAD,
) -> Figure:
    """Horizontal bars, one per row, stacked from the columns in order (each column its
    own colour and hatch, named in the legend under the plot), with each row's total
    written at its end."""
    fig, ax = style.figure(width, 0.42 * len(frame) + 2.0)
    left = np.zeros(len(frame))
    for j, col in enumerate(frame.columns):
        values = frame[col].to_numpy(dtype=float)
        ax.barh(
            range(len(frame)),
            values,
            left=left,
            color=style.PALETTE[(j + 1) % len(style.PALETTE)],
            hatch=style.HATCHES[j % len(style.HATCHES)],
            edgecolor="black",
            linewidth=0.6,
            label=col,
        )
        left += values
    written = [
        ax.text(total, i, f"  {total:g}", va="center", fontsize=LABEL_PT)
        for i, total in enumerate(left)
    ]
    ax.set_yticks(range(len(frame)), frame.index)
    ax.invert_yaxis()
    ax.set_xlim(0, (left.max() if len(left) and left.max() > 0 else 1) * 1.05)
    style.label(ax, title, xlabel, ylabel)
    legend_below(fig, ncol=min(len(frame.columns), 4))
    room_for_labels(ax, written)
    return fig


def timeline_weighted(
    events: pd.DataFrame,
    lanes: str,
    title: str,
    xlabel: str,
    ylabel: str,
    width: float = style.PRINT_WIDTH - 2 * style.PAD,
) -> Figure:
    """``timeline``, with each coded event's Goldstein weight written beside its marker:
    below it, or above it where the weight of an event just before in the same lane
    already stands below (two close events never write over each other)."""
    fig = timeline(events, lanes, title, xlabel, ylabel, width)
    ax = fig.axes[0]
    fig.draw_without_rendering()
    dated = events.dropna(subset=["mid"])
    order = list(dict.fromkeys(dated.sort_values("mid")[lanes]))
    coded = dated[dated["goldstein"].notna() & (dated["goldstein"] != 0)].sort_values("mid")
    per_pt = fig.dpi / 72
    ends: dict[tuple, float] = {}  # (lane, slot) -> right end of the last label, in pixels
    for _, ev in coded.iterrows():
        text = f"{ev['goldstein']:+g}"
        row = order.index(ev[lanes])
        x = ax.transData.transform((mdates.date2num(ev["mid"]), row))[0] + 6 * per_pt
        wide = len(text) * LABEL_PT * 0.62 * per_pt
        slot = next((k for k in range(3) if ends.get((row, k), -np.inf) + per_pt < x), 0)
        ends[(row, slot)] = x + wide
        dy, va = [(-3, "top"), (3, "bottom"), (-3 - 1.2 * LABEL_PT, "top")][slot]
        ax.annotate(
            text,
            (ev["mid"], row),
            xytext=(6, dy),
            textcoords="offset points",
            fontsize=LABEL_PT,
            va=va,
        )
    return fig


def stacked_panels(
    panels: list[tuple[str, pd.DataFrame]], title: str, xlabel: str, ylabel: str
) -> Figure:
    """Counts by row and category as stacked horizontal bars, one panel per group, on a
    shared scale: ``panels`` is a list of (panel title, rows x categories counts). Each
    category keeps its colour and hatch in every panel; each segment carries its count."""
    from matplotlib.patches import Patch

    kinds = list(dict.fromkeys(k for _, counts in panels for k in counts.columns))
    style_of = {
        k: (style.PALETTE[(i + 1) % len(style.PALETTE)], style.HATCHES[i % len(style.HATCHES)])
        for i, k in enumerate(kinds)
    }
    heights = [max(len(counts), 1) for _, counts in panels]
    fig, axes = style.figure(
        7.5,
        0.42 * sum(heights) + 0.9 * len(panels) + 1.2,
        nrows=len(panels),
        sharex=True,
        gridspec_kw={"height_ratios": heights},
    )
    axes = np.atleast_1d(axes)
    top = max((counts.sum(axis=1).max() for _, counts in panels if len(counts)), default=1)
    for ax, (name, counts) in zip(axes, panels, strict=True):
        left = np.zeros(len(counts))
        for k in counts.columns:
            colour, hatch = style_of[k]
            values = counts[k].to_numpy(dtype=float)
            ax.barh(
                range(len(counts)),
                values,
                left=left,
                color=colour,
                hatch=hatch,
                edgecolor="black",
                linewidth=0.6,
                label=k,
            )
            for i, (x, v) in enumerate(zip(left, values, strict=True)):
                if v:
                    ax.text(
                        x + v / 2,
                        i,
                        f"{v:g}",
                        ha="center",
                        va="center",
                        fontsize=LABEL_PT,
                        bbox={"boxstyle": "round,pad=0.15", "fc": "white", "lw": 0},
                    )
            left += values
        ax.set_yticks(range(len(counts)), counts.index)
        ax.invert_yaxis()
        ax.set_xlim(0, top * 1.05)
        ax.set_title(name, fontsize=9, fontweight="normal")
        ax.set_ylabel(ylabel)
        ax.set_xlabel(xlabel)
    handles = [
        Patch(facecolor=style_of[k][0], hatch=style_of[k][1], edgecolor="black", label=k)
        for k in kinds
    ]
    legend_below(fig, handles, ncol=min(len(kinds), 3))
    fig.suptitle(title, x=0.01, ha="left", fontweight="bold", fontsize=style.RC["axes.titlesize"])
    return fig


def day_marks(ax, dates: list, labels: list[str], room: float = 0.45) -> None:
    """Mark days on a time axis: a dotted line across the plot at each date and its label
    written along the line at the top, in room made above the data (``room``, a share of
    the data's height), so that labels never cross the data. A label too close to the
    next one to stand beside it is written on the other side of its line."""
    low, high = ax.get_ylim()
    ax.set_ylim(low, high + room * (high - low))
    xs = [ax.transData.transform((mdates.date2num(pd.Timestamp(d)), 0))[0] for d in dates]
    gap = 72 / ax.figure.dpi * 1.0  # display units per point
    for i, (day, text) in enumerate(zip(dates, labels, strict=True)):
        close = i + 1 < len(xs) and (xs[i + 1] - xs[i]) * gap < 2.6 * LABEL_PT
        ax.axvline(day, color="0.45", lw=0.8, linestyle=":", zorder=0)
        ax.annotate(
            text,
            (day, 1),
            xycoords=("data", "axes fraction"),
            xytext=(-2 if close else 2, -3),
            textcoords="offset points",
            rotation=90,
            ha="right" if close else "left",
            va="top",
            fontsize=LABEL_PT,
            color="0.2",
        )


def _short_when(start: pd.Timestamp, end: pd.Timestamp) -> str:
    """'19 Sep' for a day, '1–10 Sep' or '30 Sep–9 Oct' for a window."""
    if end <= start:
        return f"{start.day} {start:%b}"
    if start.month == end.month:
        return f"{start.day}–{end.day} {end:%b}"
    return f"{start.day} {start:%b}–{end.day} {end:%b}"


def _lanes(spans: list[tuple[pd.Timestamp, pd.Timestamp]]) -> list[int]:
    """Greedy interval lanes: each span goes to the first lane free by its start."""
    ends: list[pd.Timestamp] = []
    out = []
    for start, end in spans:
        for i, last in enumerate(ends):
            if start > last:
                ends[i] = end
                out.append(i)
                break
        else:
            ends.append(end)
            out.append(len(ends) - 1)
    return out


def _in_date_order(events: pd.DataFrame) -> pd.DataFrame:
    return events.sort_values(["date_start", "date_end"], kind="stable").reset_index(drop=True)


def labelled_timeline_numbers(events: pd.DataFrame) -> pd.DataFrame:
    """The numbers ``labelled_timeline`` plots, one row per event under its number in the
    figure: its first and last day (the same day for an event known to the day), what kind
    of event its marker shows, and its label."""
    evs = _in_date_order(events)
    windows_ = evs["date_end"] > evs["date_start"]
    kinds = evs["goldstein"].map(lambda g: _KIND[_kind(g)][2])
    return pd.DataFrame(
        {
            "no.": range(1, len(evs) + 1),
            "first day": evs["date_start"].dt.date.astype(str),
            "last day": evs["date_end"].dt.date.astype(str),
            "marker": kinds.where(~windows_, "date known only within a window"),
            "event": evs["summary"].astype(str),
        }
    )


def labelled_timeline(
    events: pd.DataFrame,
    title: str,
    xlabel: str,
    ylabel: str,
    width: float = 6.3,
    chars: int = 76,
) -> Figure:
    """Every event of a period on a vertical time axis, each with its own label. Time runs
    down the left; a day is a marker (shape: cooperation, conflict or context), a window a
    bar in its own lane so that no two bars overlap. The labels stand one to a row on the
    right, in date order, numbered, each joined to its date by a thin line: no label can
    cover another, however close the dates."""
    import textwrap

    from matplotlib.patches import Patch

    evs = _in_date_order(events)
    n = len(evs)
    # One row per label; a long period's rows close up (and their text shrinks, never
    # below the print minimum) so that the figure and its caption fit on one page.
    room = (style.PRINT_HEIGHT - style.CAPTION_ROOM - 1.25 - 2 * style.PAD) * 72 / max(n, 1)
    size = max(style.MIN_PT, min(LABEL_PT, room / 1.15))
    row_pt = max(size * 1.15, min(size * 1.22, room))
    height = (n * row_pt) / 72 + 1.25
    fig, ax = style.figure(width, height, layout="none")
    top, bottom = 1 - 0.55 / height, 0.7 / height
    ax.set_position([0.13, bottom, 0.1, top - bottom])
    windows_ = [(s, e) for s, e in zip(evs["date_start"], evs["date_end"], strict=True) if e > s]
    lane_of = iter(_lanes(windows_))
    lanes_used = 0
    xs = []
    for _, ev in evs.iterrows():
        start, end = ev["date_start"], ev["date_end"]
        if end > start:
            lane = next(lane_of) + 1
            lanes_used = max(lanes_used, lane)
            ax.plot(
                [lane, lane],
                [start, end + pd.Timedelta(days=1)],
                color=style.PALETTE[3],
                lw=2.6,
                solid_capstyle="butt",
                zorder=1,
                label="date known only within a window",
            )
            ax.plot(
                [lane], [ev["mid"]], marker="|", color="black", ms=5, zorder=2,
                gid=figure_data.NOT_DATA,
            )  # fmt: skip
            xs.append((lane, ev["mid"]))
        else:
            marker, colour, kind = _KIND[_kind(ev["goldstein"])]
            ax.scatter(
                0,
                start,
                label=kind,
                marker=marker,
                s=22,
                color=colour,
                edgecolor="black",
                linewidth=0.5,
                zorder=3,
            )
            xs.append((0, start))
    first = evs["date_start"].min().to_period("M").to_timestamp()
    last = (evs["date_end"].max().to_period("M") + 1).to_timestamp()
    ax.set_ylim(last, first)
    ax.set_xlim(-0.7, lanes_used + 0.7)
    ax.set_xticks([])
    ax.spines[["top", "right", "bottom"]].set_visible(False)
    ax.yaxis.set_major_locator(mdates.MonthLocator())
    ax.yaxis.set_major_formatter(mdates.DateFormatter("1 %b"))
    ax.yaxis.set_minor_locator(mdates.MonthLocator(bymonthday=15))
    ax.yaxis.set_minor_formatter(mdates.DateFormatter("15 %b"))
    ax.tick_params(axis="y", which="both", labelsize=size)
    ax.grid(axis="y", which="major", color="0.85", lw=0.6)
    # The axes have a fixed place and fixed limits: a label's row (a fraction of the axes'
    # height) is a date on its axis, so each joining line is a plain line in data units
    # (much cheaper to draw than an annotation's arrow, which is clipped at every draw).
    label_x = lanes_used + 1.2
    y_top, y_bottom = ax.get_ylim()
    row_text = mtransforms.blended_transform_factory(ax.transData, ax.transAxes)
    for i, ((x, y), (_, ev)) in enumerate(zip(xs, evs.iterrows(), strict=True)):
        head = f"{i + 1}. {_short_when(ev['date_start'], ev['date_end'])}  "
        label = head + textwrap.shorten(str(ev["summary"]), chars - len(head), placeholder="…")
        frac = 1 - (i + 0.5) / n
        ax.text(
            label_x, frac, label, transform=row_text, fontsize=size, va="center",
            ha="left", clip_on=False,
        )  # fmt: skip
        ax.plot(
            [label_x, x], [y_top + (y_bottom - y_top) * frac, mdates.date2num(y)],
            color="0.6", lw=0.4, clip_on=False, zorder=0, gid=figure_data.NOT_DATA,
        )  # fmt: skip
    handles = [
        Line2D([], [], marker=m, color=c, markeredgecolor="black", linestyle="", label=lbl)
        for m, c, lbl in _KIND.values()
    ] + [
        Patch(
            facecolor=style.PALETTE[3], label="date known only within a window (its middle marked)"
        )
    ]
    fig.legend(
        handles=handles,
        loc="lower left",
        bbox_to_anchor=(0.01, 0.0),
        ncol=2,
        fontsize=LABEL_PT,
        frameon=False,
    )
    ax.set_xlabel(xlabel, fontsize=LABEL_PT)
    ax.set_ylabel(ylabel)
    fig.suptitle(
        title,
        x=0.01,
        y=1 - 0.12 / height,
        ha="left",
        va="top",
        fontweight="bold",
        fontsize=style.RC["axes.titlesize"],
    )
    return fig


def locator_map(
    layers: dict,
    panel_head: str,
    panel_lines: list[str],
    title: str,
    xlabel: str,
    ylabel: str,
    min_label_area: float = 5.0,
) -> Figure:
    """A locator map (see ``analysis.border.map_layers``): the first country hatched, the
    second filled, the neighbours pale, the part of the first country's outline the second
    shares drawn heavy, each country named where its visible part is large enough
    (``min_label_area``, in square degrees). Under the map, a panel of text: places the
    map cannot draw (``panel_head``, then one line each)."""
    import textwrap

    from matplotlib.patches import Patch, Polygon

    look = {  # fill, hatch, edge, label size: readable without colour
        "first": (style.PALETTE[4], "///", "black", 9),
        "second": (style.PALETTE[3], "", "black", 9),
        "context": ("0.93", "", "0.45", LABEL_PT),
    }
    west, south, east, north = layers["view"]
    aspect = 1 / np.cos(np.radians(layers["lat0"]))
    # Laid out by hand, in inches: the map keeps its aspect, the text its size.
    width, left, right = 6.4, 0.62, 0.12
    map_w = width - left - right
    map_h = map_w * (north - south) * aspect / (east - west)
    lines = [textwrap.fill(panel_head, 92)] + [f"•  {line}" for line in panel_lines]
    n_lines = sum(line.count("\n") + 1 for line in lines)
    top, below, panel = 0.55, 0.85, 0.2 + n_lines * LABEL_PT * 1.5 / 72
    height = top + map_h + below + panel
    fig, ax = style.figure(width, height, layout="none")
    ax.set_position([left / width, (below + panel) / height, map_w / width, map_h / height])
    for country in sorted(layers["countries"], key=lambda c: c["role"] != "context"):
        fill, hatch, edge, _size = look[country["role"]]
        for piece in country["pieces"]:
            ax.add_patch(
                Polygon(
                    piece, closed=True, facecolor=fill, hatch=hatch, edgecolor=edge, linewidth=0.5
                )
            )
    for line in layers["shared"]:
        ax.plot(line[:, 0], line[:, 1], color="black", lw=2.4, solid_capstyle="round")
    for country in layers["countries"]:
        if country["label_at"] is None or country["visible_area"] < min_label_area:
            continue
        size = look[country["role"]][3]
        weight = "bold" if country["role"] != "context" else "normal"
        ax.text(
            *country["label_at"],
            country["name"],
            ha="center",
            va="center",
            fontsize=size,
            fontweight=weight,
            color="black" if country["role"] != "context" else "0.25",
            bbox={"facecolor": "white", "edgecolor": "none", "alpha": 0.75, "pad": 1.2},
        )
    ax.set_xlim(west, east)
    ax.set_ylim(south, north)
    ax.set_aspect(aspect)
    # A neighbour's name that would stick out of the map (a corner of a country) is left
    # out: it would run into the axis labels.
    renderer = fig.canvas.get_renderer()
    frame = ax.get_window_extent(renderer)
    for text in list(ax.texts):
        box = text.get_window_extent(renderer)
        if not (
            frame.x0 <= box.x0 and box.x1 <= frame.x1 and frame.y0 <= box.y0 and box.y1 <= frame.y1
        ):
            text.remove()
    ax.spines[["top", "right"]].set_visible(True)
    ax.xaxis.set_major_formatter(lambda v, _pos: f"{v:g}°")
    ax.yaxis.set_major_formatter(lambda v, _pos: f"{v:g}°")
    names = {c["role"]: c["name"] for c in layers["countries"]}
    handles = [
        Patch(facecolor=look["first"][0], hatch="///", edgecolor="black", label=names["first"]),
        Patch(facecolor=look["second"][0], edgecolor="black", label=names["second"]),
        Patch(facecolor=look["context"][0], edgecolor="0.45", label="neighbouring countries"),
        Line2D([], [], color="black", lw=2.4, label="their shared border"),
    ]
    legend_at = (left / width, (below + panel - 0.42) / height)
    fig.legend(handles=handles, loc="upper left", bbox_to_anchor=legend_at, ncol=4,
               fontsize=LABEL_PT, handlelength=1.6, columnspacing=1.2)  # fmt: skip
    fig.text(0.1 / width, (panel + 0.05) / height, "\n".join(lines), va="top", ha="left",
             fontsize=LABEL_PT, linespacing=1.5)  # fmt: skip
    style.label(ax, title, xlabel, ylabel)
    fig.suptitle(title, x=0.1 / width, y=1 - 0.08 / height, ha="left", va="top",
                 fontweight="bold", fontsize=style.RC["axes.titlesize"])  # fmt: skip
    return fig
