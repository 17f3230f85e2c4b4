"""What the 2019 visit chapter computes: how well its events are dated, who said what when,
the article's numbered judgements, the charges and casualty figures with the titles that
state them, the register of disagreements and the public record's corrections.

The chapter chooses its records in ``data/selections.csv``; these functions take the
choices (record ids or ``table:id`` references) and return plain values and DataFrames.
"""

from __future__ import annotations

import pandas as pd

from ..data import load
from . import compare
from .links import evidence_links
from .prose import BETWEEN as BETWEEN
from .prose import listing as listing
from .records import date_label, quantity_label

PHASES = ["visit_2019", "aftermath"]


# ----------------------------------------------------------------------------- dating
def dating(events: pd.DataFrame) -> dict[str, int]:
    """How precisely a set of events is dated: how many there are, how many have dates,
    how many are known to the day, and the widest window (in days, both ends counted)."""
    dated = events.dropna(subset=["date_start"])
    span = (dated["date_end"] - dated["date_start"]).dt.days + 1
    return {
        "events": len(events),
        "dated": len(dated),
        "to_the_day": int((dated["date_precision"] == "day").sum()),
        "undated": len(events) - len(dated),
        "widest_window": int(span.max()) if len(dated) else 0,
    }


def in_order(events: pd.DataFrame) -> pd.DataFrame:
    """Events by earliest possible date (then latest, then id), the undated last, numbered
    from 1 in a "no." column so that a table and a figure can share the numbers."""
    ordered = events.sort_values(["date_start", "date_end", "event_id"], na_position="last")
    return ordered.assign(**{"no.": range(1, len(ordered) + 1)})


def dating_title(events: pd.DataFrame) -> str:
    """The timeline's finding: how many of the dated events are known to the day, and how
    wide the loosest window is."""
    d = dating(events)
    return (
        f"{d['to_the_day']} of the {d['dated']} dated events are known to the day; "
        f"the widest window spans {d['widest_window']:,} days"
    )


def days_between(first: str, then: str) -> int:
    """Days from the start of one event to the start of another (both dated events)."""
    ev = load.table("events").set_index("event_id")
    return int((ev.at[then, "date_start"] - ev.at[first, "date_start"]).days)


def event_when(event_id: str) -> str:
    """An event's date as a reader should see it."""
    ev = load.table("events").set_index("event_id").loc[event_id]
    return date_label(ev["date_start"], ev["date_end"], ev["date_precision"])


# ----------------------------------------------------------------------------- who, when
def source_when(source_id: str) -> str:
    """A source's date as readers should see it: the day, or the bounds it is known within."""
    s = load.table("sources").set_index("source_id").loc[source_id]
    if pd.notna(s["published"]):
        return date_label(s["published"], s["published"], s["date_precision"])
    early, late = s["date_earliest"], s["date_latest"]
    if pd.notna(early) and pd.notna(late):
        return date_label(early, late, "approximate")
    if pd.notna(early):
        return f"after {date_label(early, early, 'day')}"
    if pd.notna(late):
        return f"before {date_label(late, late, 'day')}"
    return "undated"


def who_when(refs: list[str]) -> pd.DataFrame:
    """Records named as ``table:id``, in that order: when, who (the actor, the speaker, or
    the outlet that judges), what (the summary) and the evidence links."""
    names = load.table("actors").set_index("actor_id")["name"]
    outlets = load.table("sources").set_index("source_id")["outlet"]
    rows = []
    for ref in refs:
        table, _, rid = ref.partition(":")
        frame = load.table(table)
        row = frame[frame[frame.columns[0]] == rid]
        if row.empty:
            raise KeyError(f"no record '{rid}' in {table}.csv")
        row = row.iloc[0]
        if table == "assessments":
            when, who = source_when(row["source_id"]), outlets[row["source_id"]]
        else:
            when = date_label(row["date_start"], row["date_end"], row["date_precision"])
            who = names[row["speaker_id"] if table == "statements" else row["actor_id"]]
        rows.append(
            {
                "when": when,
                "who": who,
                "what": row["summary"],
                "sources": evidence_links(table).get(rid, ""),
            }
        )
    return pd.DataFrame(rows, columns=["when", "who", "what", "sources"])


# ----------------------------------------------------------------------------- judgements
def numbered(question: str) -> pd.DataFrame:
    """The assessments on one numbered question, by item then assessment id (several
    assessments may share an item; an unnumbered one comes last); the sources column links
    each to the line of the source that holds it."""
    a = load.table("assessments")
    part = a[a["question"] == question].sort_values(["item", "assessment_id"], na_position="last")
    return pd.DataFrame(
        {
            "no.": part["item"].astype("string").fillna(""),
            "position": part["position"],
            "summary": part["summary"],
            "sources": part["assessment_id"].map(evidence_links("assessments")),
        }
    ).reset_index(drop=True)


def demands(topic: str) -> pd.DataFrame:
    """The numbered statements on one topic (a list of demands), in order, with evidence."""
    st = load.table("statements")
    part = st[st["topic"] == topic].sort_values(["item", "statement_id"])
    names = load.table("actors").set_index("actor_id")["name"]
    return pd.DataFrame(
        {
            "no.": part["item"].astype("string").fillna(""),
            "demand": part["summary"],
            "made to": part["target_id"].map(names),
            "when": [
                date_label(a, b, p)
                for a, b, p in zip(
                    part["date_start"], part["date_end"], part["date_precision"], strict=True
                )
            ],
            "sources": part["statement_id"].map(evidence_links("statements")),
        }
    ).reset_index(drop=True)


# ----------------------------------------------------------------------------- figures
def _evidence_place(table: str, record_id: str) -> str:
    """Where a record's figure is stated: 'S004 l.20' for a seed line, the report id else."""
    ev = load.evidence(table)
    ev = ev[ev["record_id"] == record_id]
    places = [
        f"{s} l.{int(n)}" if pd.notna(n) else s
        for s, n in zip(ev["source_id"], ev["line"], strict=True)
    ]
    return ", ".join(dict.fromkeys(places))


def stated_figures(ids: list[str]) -> pd.DataFrame:
    """Quantities with where each is stated (seed line or report), the kind of source, the
    figure as worded ("over 170 people") and the outlet, indexed by quantity id."""
    q = load.table("quantities").set_index("quantity_id").loc[ids]
    ev = load.table("evidence")
    ev = ev[(ev["table"] == "quantities") & ev["record_id"].isin(ids)]
    first = ev[["record_id", "source_id"]].groupby("record_id")["source_id"]
    first = first.agg(lambda s: sorted(set(s))[0])
    sources = load.table("sources").set_index("source_id")
    src = first.reindex(q.index)
    return q.assign(
        where=[_evidence_place("quantities", i) for i in q.index],
        source=src,
        kind=src.map(sources["kind"]).map({"seed": "seed", "reference": "public record"}),
        outlet=src.map(sources["outlet"]),
        figure=[quantity_label(r) for _, r in q.reset_index().iterrows()],
    )


def charges_title(first: float, second: float, record: float) -> str:
    """The charges figure's finding: the article's two counts of parliament's charges, and
    the public record's count of criminal counts."""
    if first == second:
        return f"The article counts {first:g} charges from parliament in both passages"
    return (
        f"The article puts parliament's charges at {first:g} in one passage and {second:g} "
        f"in another; the public record counts {record:g}"
    )


def casualty_spread(frame: pd.DataFrame) -> dict:
    """How far the outlets' casualty counts run: how many outlets, how many different
    measures, and the lowest and highest figure as worded."""
    low, high = frame["value"].idxmin(), frame["value"].idxmax()
    return {
        "outlets": frame["outlet"].nunique(),
        "measures": frame["measure"].nunique(),
        "low": frame.at[low, "figure"],
        "high": frame.at[high, "figure"],
    }


def casualties_title(frame: pd.DataFrame) -> str:
    """The casualty figure's finding, from ``casualty_spread``."""
    s = casualty_spread(frame)
    return (
        f"{s['outlets']} outlets, {s['measures']} different measures: "
        f"the count of the hurt runs from {s['low']} to {s['high']}"
    )


def report_values(table: str, record_id: str) -> list[str]:
    """The values of the public-record rows a record's evidence cites (report and measure)."""
    ev = load.table("evidence")
    ev = ev[(ev["table"] == table) & (ev["record_id"] == record_id) & ev["locator"].notna()]
    pr = load.table("public_record")
    hits = pr.merge(
        ev[["source_id", "locator"]],
        left_on=["ref_id", "measure"],
        right_on=["source_id", "locator"],
    )
    return hits["value"].dropna().tolist()


def reports(phases: list[str] = PHASES) -> list[str]:
    """The public-record reports that bear on this chapter: those cited as evidence for its
    events and quantities, and those whose topic is what followed the visit."""
    ev = load.table("evidence")
    mine = set()
    for table in ("events", "quantities"):  # the tables whose records carry a phase
        frame = load.table(table)
        mine |= {(table, i) for i in frame.loc[frame["phase"].isin(phases), frame.columns[0]]}
    cited = {
        s
        for t, r, s in zip(ev["table"], ev["record_id"], ev["source_id"], strict=True)
        if (t, r) in mine and s.startswith("R")
    }
    pr = load.table("public_record")
    topical = set(pr.loc[pr["topic"] == "aftermath_2019", "ref_id"])
    return sorted(cited | topical)


# ----------------------------------------------------------------------------- register
def questions(phases: list[str] = PHASES) -> pd.DataFrame:
    """The questions recorded on this chapter's claims."""
    q = load.table("questions")
    return q[q["phase"].isin(phases)]


def register(phases: list[str] = PHASES) -> pd.DataFrame:
    """The register of disagreements as readers see it: the question, each answer with the
    sources that give it (cited), and between whom the answers conflict."""
    reg = compare.register(phases)
    qs = load.table("questions").set_index("question_id")
    answers = load.table("answers")
    rows = []
    for _, r in reg.iterrows():
        said: dict[str, list[str]] = {}
        for _, ans in answers[answers["question_id"] == r["question_id"]].iterrows():
            said.setdefault(compare.describe(qs.at[r["question_id"], "kind"], ans), []).append(
                ans["source_id"]
            )
        rows.append(
            {
                "question": r["question"],
                "answers": "; ".join(
                    f"{text} {{cite:p}}`{','.join(dict.fromkeys(s))}`" for text, s in said.items()
                ),
                "between": "; ".join(BETWEEN[side] for side in r["between"].split(", ")),
            }
        )
    return pd.DataFrame(rows, columns=["question", "answers", "between"])


def shown(frame: pd.DataFrame) -> pd.DataFrame:
    """A table as readers should see it: an empty one gets a row of dashes, so that it
    reads as empty rather than broken."""
    if not frame.empty:
        return frame
    return pd.DataFrame([dict.fromkeys(frame.columns, "—")], columns=frame.columns)


def register_sentence(phases: list[str] = PHASES) -> str:
    """What the register holds, in words, for any number of questions (including none)."""
    n_q, n_reg = len(questions(phases)), len(compare.register(phases))
    if n_q == 0:
        return (
            "No question on this chapter's claims has been recorded yet, so no two answers "
            "can be set against each other"
        )
    if n_q == 1:
        return (
            "One question on this chapter's claims has been recorded so far, and its answers "
            + ("cannot all be true" if n_reg else "can all be true")
        )
    if n_reg == 0:
        return (
            f"Of the {n_q} questions recorded so far on this chapter's claims, none has "
            "answers that cannot all be true"
        )
    verb = "has" if n_reg == 1 else "have"
    return (
        f"Of the {n_q} questions recorded so far on this chapter's claims, {n_reg} {verb} "
        "answers that cannot all be true"
    )


def disagreeing_sources(phases: list[str] = PHASES) -> list[str]:
    """The sources whose answers stand on the register, seeds first."""
    return compare.disagreeing_sources(compare.pairs(phases))


def corrections(
    refs: list[str] | None = None,
    phases: list[str] = PHASES,
    exclude: list[str] = (),
) -> pd.DataFrame:
    """The public record's corrections of this chapter's claims: only those of the records
    a section uses (``table:id`` references) when ``refs`` is given, and none of those in
    ``exclude`` (records another section shows)."""
    corr = compare.corrections(phases)
    if refs is not None:
        corr = corr[corr["record"].isin(refs)]
    corr = corr[~corr["record"].isin(list(exclude))]
    return corr.reset_index(drop=True)


def no_corrections(frame: pd.DataFrame, what: str = "these records") -> str:
    """What to say where the public record corrects none of a section's records."""
    if not frame.empty:
        return ""
    return f"On the questions recorded so far, no report of the public record corrects {what}."


def numbered_items(frame: pd.DataFrame) -> int:
    """How many numbered items a ``numbered`` table holds (unnumbered rows not counted)."""
    return frame.loc[frame["no."] != "", "no."].nunique()
