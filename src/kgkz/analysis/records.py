"""Computations the chapters show: event tables, escalation, accusations, stances, counts.

Everything returns plain DataFrames; the chapters only choose, glue and caption.
"""

from __future__ import annotations

import pandas as pd

from ..data import load
from .links import evidence_links

COMPARATORS = {
    "exact": "",
    "more_than": "over ",
    "about": "about ",
    "almost": "almost ",
    "at_least": "at least ",
    "a_bit_over": "a bit over ",
}


# ----------------------------------------------------------------------------- dates
def date_label(start, end, precision: str) -> str:
    """A date as a reader should see it, showing its uncertainty."""
    if precision == "undated" or pd.isna(start):
        return "undated"
    if precision == "day":
        return f"{start.day} {start:%b %Y}"
    if precision == "month":
        if (start.year, start.month) == (end.year, end.month):
            return f"{start:%b %Y}"
        return f"{start:%b %Y} – {end:%b %Y}"
    if precision == "year":
        return f"{start.year}" if start.year == end.year else f"{start.year}–{end.year}"
    # approximate: a window
    if start == end:
        return f"c. {start.day} {start:%b %Y}"
    if start.year == end.year and start.month == end.month:
        return f"between {start.day} and {end.day} {start:%b %Y}"
    return f"between {start.day} {start:%b %Y} and {end.day} {end:%b %Y}"


def midpoint(frame: pd.DataFrame, start: str = "date_start", end: str = "date_end") -> pd.Series:
    return frame[start] + (frame[end] - frame[start]) / 2


def record_sources(table: str) -> pd.Series:
    """record_id -> sorted list of the source ids that support it."""
    ev = load.table("evidence")
    ev = ev[ev["table"] == table]
    return ev.groupby("record_id")["source_id"].agg(lambda s: sorted(set(s)))


# ----------------------------------------------------------------------------- events
def events(phases: list[str] | None = None) -> pd.DataFrame:
    """Events with actor names, CAMEO labels, Goldstein weights, readable dates and links."""
    ev = load.table("events")
    if phases is not None:
        ev = ev[ev["phase"].isin(phases)]
    names = load.table("actors").set_index("actor_id")["name"]
    cameo = load.table("cameo").set_index("code")
    out = ev.assign(
        actor=ev["actor_id"].map(names),
        target=ev["target_id"].map(names),
        cameo_label=ev["cameo_code"].map(cameo["label"]),
        goldstein=ev["cameo_code"].map(cameo["goldstein"]).astype("float64"),
        when=[
            date_label(a, b, p)
            for a, b, p in zip(ev["date_start"], ev["date_end"], ev["date_precision"], strict=True)
        ],
        mid=midpoint(ev),
        sources=ev["event_id"].map(evidence_links("events")),
    )
    return out.sort_values(["date_start", "date_end", "event_id"], na_position="first")


def escalation(frame: pd.DataFrame, freq: str = "D") -> pd.DataFrame:
    """Sum of Goldstein weights per period for coded, dated events, and its running total."""
    coded = frame.dropna(subset=["goldstein", "mid"])
    per = coded.groupby(coded["mid"].dt.to_period(freq))["goldstein"].agg(["sum", "count"])
    per = per.rename(columns={"sum": "goldstein", "count": "events"})
    per["cumulative"] = per["goldstein"].cumsum()
    per.index = per.index.to_timestamp()
    return per


# ----------------------------------------------------------------------------- statements
ACCUSING = ("accusation", "protest", "threat", "denial", "rejection")


def accusation_matrix(kinds=ACCUSING, by: str = "name") -> pd.DataFrame:
    """Counts of hostile statements: who (rows) said them of or to whom (columns).

    ``by="name"`` groups by actor, ``by="country"`` by the country each actor belongs to.
    """
    st = load.table("statements")
    st = st[st["kind"].isin(kinds) & st["target_id"].notna()]
    key = load.table("actors").set_index("actor_id")[by]
    pairs = pd.DataFrame({"from": st["speaker_id"].map(key), "to": st["target_id"].map(key)})
    matrix = pd.crosstab(pairs["from"], pairs["to"])
    rows = matrix.sum(axis=1).sort_values(ascending=False, kind="stable").index
    cols = matrix.sum(axis=0).sort_values(ascending=False, kind="stable").index
    return matrix.loc[rows, cols]


# ----------------------------------------------------------------------------- assessments
def stance_matrix(questions: list[str]) -> pd.DataFrame:
    """Source x question: each source's position (several joined), empty where silent."""
    a = load.table("assessments")
    a = a[a["question"].isin(questions)]
    grouped = a.groupby(["source_id", "question"])["position"].agg("; ".join).unstack()
    sources = load.seed_ids()
    return grouped.reindex(index=sources, columns=questions).fillna("")


# ----------------------------------------------------------------------------- election
def comparator_holds(claim: float, comparator: str, actual: float, slack: float = 1.0) -> bool:
    """Whether a rounded claim ("over 54%") is true of a reported figure.

    ``slack`` is how far "almost", "about" and "a bit over" may stretch (percentage points).
    """
    if comparator == "exact":
        return actual == claim
    if comparator == "more_than":
        return actual > claim
    if comparator == "at_least":
        return actual >= claim
    if comparator == "a_bit_over":
        return claim < actual <= claim + slack
    if comparator == "almost":
        return claim - slack <= actual < claim
    if comparator == "about":
        return abs(actual - claim) <= slack
    raise ValueError(f"unknown comparator '{comparator}'")


def claims_check() -> pd.DataFrame:
    """Each of the seeds' rounded election claims against every count in the public record."""
    el = load.table("election_2017")
    claims = el[el["stage"] == "source_claim"]
    counts = el[(el["stage"] != "source_claim") & el["measure"].isin(["vote_share", "turnout"])]
    rows = []
    for _, c in claims.iterrows():
        same = counts[(counts["subject"] == c["subject"]) & (counts["measure"] == c["measure"])]
        for _, n in same.iterrows():
            rows.append(
                {
                    "claim": f"{c['subject']}: {COMPARATORS[c['comparator']]}{c['value']:g}%",
                    "stage": n["stage"].replace("_", " "),
                    "reported": n["reported"],
                    "figure": f"{COMPARATORS[n['comparator']]}{n['value']:g}%",
                    "holds": comparator_holds(c["value"], c["comparator"], n["value"]),
                    "result_id": n["result_id"],
                }
            )
    return pd.DataFrame(rows)


STAGE_ORDER = ["partial_count", "preliminary", "manual_count", "final"]


def shares_by_stage() -> pd.DataFrame:
    """Reported vote shares of the two leaders at each stage of the count."""
    el = load.table("election_2017")
    el = el[(el["measure"] == "vote_share") & el["stage"].isin(STAGE_ORDER)]
    el = el[el["actor_id"].isin(["jeenbekov", "babanov"])]
    el = el.assign(stage=pd.Categorical(el["stage"], STAGE_ORDER, ordered=True))
    return el.sort_values(["stage", "reported", "result_id"])


# ----------------------------------------------------------------------------- quantities
def quantity_label(row: pd.Series) -> str:
    """A figure as prose writes it: "over 100 people", "about 1 truck per hour"."""
    value = f"{row['value']:,.2f}".rstrip("0").rstrip(".")
    return f"{COMPARATORS[row['comparator']]}{value} {unit_for(row['value'], row['unit'])}"


def unit_for(value: float, unit: str) -> str:
    """The unit in the singular for one ("1 truck per hour", "1 term")."""
    first, _, rest = str(unit).partition(" ")
    if value == 1 and first.endswith("s") and not first.endswith("ss") and first != "km":
        first = first[:-1]
    return f"{first} {rest}".strip()


def claim_label(row: pd.Series) -> str:
    """A rounded claim as the source words it: "over 54%", "almost 56%"."""
    unit = "%" if row["unit"] == "percent" else f" {row['unit']}"
    return f"{COMPARATORS[row['comparator']]}{row['value']:g}{unit}"


def quantities(phases: list[str] | None = None) -> pd.DataFrame:
    q = load.table("quantities")
    if phases is not None:
        q = q[q["phase"].isin(phases)]
    return q.assign(
        figure=[quantity_label(r) for _, r in q.iterrows()],
        sources=q["quantity_id"].map(evidence_links("quantities")),
    )


def records(refs: list[str]) -> pd.DataFrame:
    """Records named as ``table:id`` (as in a sentence's records), in that order, with
    their summary (or position) and evidence links."""
    rows = []
    for ref in refs:
        table_name, _, rid = ref.partition(":")
        frame = load.table(table_name)
        (key,) = load.key(table_name)
        match = frame[frame[key] == rid]
        if match.empty:
            raise KeyError(f"no record '{rid}' in {table_name}.csv")
        row = match.iloc[0]
        text = row["summary"] if "summary" in row else row.get("name", "")
        rows.append(
            {
                "table": table_name,
                "record_id": rid,
                "summary": text,
                "sources": evidence_links(table_name).get(rid, ""),
            }
        )
    return pd.DataFrame(rows)
