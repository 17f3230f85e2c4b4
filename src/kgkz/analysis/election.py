"""What the election chapter computes: the narrowing field, the leaders' shares at each
stage of the count, turnout, the sources' rounded claims against the counts, the records
it tables, and the register and corrections as the chapter shows them.

The chapter chooses records in ``data/selections.csv`` and passes their ids here; every
other figure is computed from the data. Titles that make a claim are worded here, from
the numbers they state, so that a test can check the claim with the same function.
"""

from __future__ import annotations

import inspect
import math
import re

import pandas as pd

from ..data import load
from . import compare, records
from .links import evidence_links
from .prose import count_phrase as count_phrase
from .prose import listing as listing

COUNTED = records.STAGE_ORDER  # the stages of the count, in order (claims excluded)


# ----------------------------------------------------------------------------- records
def _record(ref: str) -> tuple[str, pd.Series]:
    """The table and the row of a ``table:id`` reference."""
    table, _, rid = ref.partition(":")
    key = load.resource(table)["schema"]["primaryKey"]
    frame = load.table(table).set_index(key, drop=False)
    if rid not in frame.index:
        raise KeyError(f"no record '{rid}' in {table}.csv")
    return table, frame.loc[rid]


def number(value: float) -> str:
    """A figure as prose writes it: thousands separated, no spurious decimals."""
    return f"{int(value):,}" if float(value).is_integer() else f"{value:,}"


def _names() -> pd.Series:
    return load.table("actors").set_index("actor_id")["name"]


def _source_when(source_id: str) -> str:
    """When a source judged: its date, or the window its date is known within."""
    s = load.table("sources").set_index("source_id").loc[source_id]
    if pd.notna(s["published"]) and s["date_precision"] == "day":
        return records.date_label(s["published"], s["published"], "day")
    if pd.notna(s["date_earliest"]) and pd.notna(s["date_latest"]):
        return records.date_label(s["date_earliest"], s["date_latest"], "approximate")
    if pd.notna(s["date_earliest"]):
        return f"on or after {records.date_label(s['date_earliest'], s['date_earliest'], 'day')}"
    return "undated"


def _source_name(source_id: str) -> str:
    outlet = load.table("sources").set_index("source_id").at[source_id, "outlet"]
    return source_id if outlet == "unknown" else f"{source_id} ({outlet})"


def figure_text(row: pd.Series) -> str:
    """An election figure as a reader should see it: "54.22% of the vote (final count)"."""
    what = {"vote_share": "of the vote", "turnout": "turnout"}.get(row["measure"], "")
    stage = str(row["stage"]).replace("_", " ")
    return f"{records.claim_label(row)} {what} ({stage})".replace("  ", " ")


def when(table: str, row: pd.Series) -> str:
    """The date of a record, showing its uncertainty."""
    if "date_precision" in row:
        return records.date_label(row["date_start"], row["date_end"], row["date_precision"])
    if table == "assessments":
        return _source_when(row["source_id"])
    if table == "election_2017" and pd.notna(row["reported"]):
        return records.date_label(row["reported"], row["reported"], "day")
    return "undated"


def who(table: str, row: pd.Series) -> str:
    """Who acts, speaks, judges or reports in a record."""
    names = _names()
    if table == "events":
        actor = names[row["actor_id"]]
        return f"{actor} → {names[row['target_id']]}" if pd.notna(row["target_id"]) else actor
    if table == "statements":
        return names[row["speaker_id"]]
    if table == "assessments":
        return _source_name(row["source_id"])
    supporting = records.record_sources(table).get(row.iloc[0], [])
    return ", ".join(_source_name(s) for s in supporting)


def what(table: str, row: pd.Series, judgement: str = "summary") -> str:
    """What a record says: its summary, a judgement's ``position`` if asked, or a figure."""
    if table == "election_2017":
        return f"{row['subject']}: {figure_text(row)}"
    if table == "assessments":
        return row[judgement]
    return row["summary"]


def described(refs: list[str], judgement: str = "summary") -> pd.DataFrame:
    """Records of any table, in the order given: when, who, what, and links to evidence."""
    rows, links = [], {}
    for ref in refs:
        table, row = _record(ref)
        if table not in links:
            links[table] = evidence_links(table)
        rows.append(
            {
                "when": when(table, row),
                "who": who(table, row),
                "what": what(table, row, judgement),
                "sources": links[table].get(row.iloc[0], ""),
            }
        )
    return pd.DataFrame(rows, columns=["when", "who", "what", "sources"])


# ----------------------------------------------------------------------------- the field
def field(quantity_ids: list[str]) -> pd.DataFrame:
    """The counts of candidates, in the order chosen, each labelled with its measure and
    the sources that give it, and grouped by kind of source (seed or public record)."""
    q = load.table("quantities").set_index("quantity_id").loc[quantity_ids]
    backing = records.record_sources("quantities")
    kinds = load.table("sources").set_index("source_id")["kind"]
    kind_names = {"seed": "seed", "reference": "public record"}
    labels = [f"{m} ({', '.join(backing[i])})" for i, m in zip(q.index, q["measure"], strict=True)]
    groups = [kind_names[kinds[backing[i][0]]] for i in q.index]
    return pd.DataFrame({"value": q["value"].to_numpy(), "group": groups}, index=labels)


def field_title(start: float, end: float, registered: float) -> str:
    """The finding of the field figure: how far it shrank, and whether the public record's
    count of registered candidates matches the sources' count before the vote."""
    agree = "the same number" if registered == end else f"{registered:g}"
    return (
        f"The field shrank from {start:g} hopefuls to {end:g} candidates; "
        f"the public record registers {agree}"
    )


# ----------------------------------------------------------------------------- the count
def actors_of(result_ids: list[str]) -> list[str]:
    """The candidates (actor ids) of election records, in the order given."""
    el = load.table("election_2017").set_index("result_id")
    return el.loc[result_ids, "actor_id"].tolist()


def report_label(stage: str, source_id: str, day: pd.Timestamp) -> str:
    """A report as the figures label it: stage, outlet and date."""
    outlet = load.table("sources").set_index("source_id").at[source_id, "outlet"]
    return f"{stage.replace('_', ' ')}\n{outlet}, {day:%d %b}"


def shares(actor_ids: list[str]) -> pd.DataFrame:
    """Vote shares of these candidates in every count (not the sources' claims), in the
    order of the count, each with the report that gives it."""
    el = load.table("election_2017")
    el = el[(el["measure"] == "vote_share") & el["stage"].isin(COUNTED)]
    el = el[el["actor_id"].isin(actor_ids)]
    backing = records.record_sources("election_2017")
    el = el.assign(
        source_id=[backing[r][0] for r in el["result_id"]],
        stage=pd.Categorical(el["stage"], COUNTED, ordered=True),
    )
    el = el.sort_values(["stage", "reported", "source_id", "result_id"])
    el["report"] = [
        report_label(str(s), r, d)
        for s, r, d in zip(el["stage"], el["source_id"], el["reported"], strict=True)
    ]
    return el


def leads(frame: pd.DataFrame, winner: str, runner_up: str) -> pd.DataFrame:
    """For each report that gives both candidates' shares: both, and the winner's lead."""
    wide = frame.pivot_table(index="report", columns="actor_id", values="value", sort=False)
    wide = wide.dropna(subset=[winner, runner_up])
    return pd.DataFrame(
        {
            "winner": wide[winner],
            "runner_up": wide[runner_up],
            "lead": wide[winner] - wide[runner_up],
        }
    )


def lead_bounds(lead: pd.Series) -> tuple[float, float]:
    """The leads' range, widened to one decimal so that every lead lies within it."""
    return math.floor(lead.min() * 10) / 10, math.ceil(lead.max() * 10) / 10


def votes(actor_id: str, stage: str) -> float:
    """The votes one count credits a candidate with."""
    el = load.table("election_2017")
    hit = el[(el["actor_id"] == actor_id) & (el["measure"] == "votes") & (el["stage"] == stage)]
    if len(hit) != 1:
        raise LookupError(f"expected one '{stage}' vote count for {actor_id}, found {len(hit)}")
    return float(hit["value"].iloc[0])


def others(actor_ids: list[str], stage: str) -> pd.DataFrame:
    """The figures one stage of the count gives for candidates other than these."""
    el = load.table("election_2017")
    el = el[el["measure"].isin(["vote_share", "votes"]) & (el["stage"] == stage)]
    return el[~el["actor_id"].isin(actor_ids) & el["subject"].ne("turnout")]


def others_text(frame: pd.DataFrame) -> str:
    """Other candidates' figures as one phrase: "Adakhan Madumarov about 108,000 votes"."""
    parts = []
    for _, r in frame.iterrows():
        unit = "%" if r["unit"] == "percent" else f" {r['unit']}"
        figure = f"{records.COMPARATORS[r['comparator']]}{number(r['value'])}{unit}"
        parts.append(f"{r['subject']} {figure}")
    return listing(parts, none="no other candidate")


def electorate() -> pd.DataFrame:
    """The size of the electorate as reports give it (eligible and registered voters)."""
    el = load.table("election_2017")
    return el[el["measure"].isin(["eligible_voters", "registered_voters"])]


def electorate_text(frame: pd.DataFrame) -> str:
    """Each figure for the electorate with what it counts: "3.025 million eligible voters"."""
    parts = []
    for _, r in frame.iterrows():
        scale = r["unit"].replace("people", "").strip()  # "million people" -> "million"
        words = [records.COMPARATORS[r["comparator"]] + number(r["value"]), scale, r["measure"]]
        parts.append(" ".join(w for w in words if w).replace("_", " "))
    return " and ".join(parts)


# ----------------------------------------------------------------------------- claims
def claim(actor_id: str | None, measure: str) -> pd.Series:
    """The sources' rounded claim for one candidate (or, with ``None``, turnout)."""
    el = load.table("election_2017")
    el = el[(el["stage"] == "source_claim") & (el["measure"] == measure)]
    el = el[el["actor_id"].isna()] if actor_id is None else el[el["actor_id"] == actor_id]
    if len(el) != 1:
        raise LookupError(f"expected one claim of {measure} for {actor_id}, found {len(el)}")
    return el.iloc[0]


def counts_of(measure: str, actor_id: str | None = None) -> pd.DataFrame:
    """Every count of one measure (for one candidate, or none), with who reported it and
    when (``reported_by``), that and the stage (``report``), and the figure as written."""
    el = load.table("election_2017")
    el = el[(el["measure"] == measure) & el["stage"].isin(COUNTED)]
    el = el[el["actor_id"].isna()] if actor_id is None else el[el["actor_id"] == actor_id]
    backing = records.record_sources("election_2017")
    outlets = load.table("sources").set_index("source_id")["outlet"]
    by = [
        f"{outlets[backing[r][0]]}, {d:%d %b}"
        for r, d in zip(el["result_id"], el["reported"], strict=True)
    ]
    return el.assign(
        reported_by=by,
        report=[f"{b} ({s.replace('_', ' ')})" for b, s in zip(by, el["stage"], strict=True)],
        label=[records.claim_label(r) for _, r in el.iterrows()],
    ).sort_values(["reported", "result_id"])


def holding(claimed: pd.Series, counts: pd.DataFrame) -> pd.Series:
    """For each count: does the rounded claim hold of it?"""
    value, comparator = claimed["value"], claimed["comparator"]
    verdicts = [records.comparator_holds(value, comparator, v) for v in counts["value"]]
    return pd.Series(verdicts, index=counts.index, dtype=bool)


def band(claimed: pd.Series) -> tuple[float, float]:
    """The values a rounded claim allows, by the register's rule for figures."""
    low, high, *_ = compare.interval(float(claimed["value"]), claimed["comparator"])
    return low, high


def slack() -> str:
    """How far "almost", "about" and "a bit over" stretch when the claims are checked: the
    default of ``records.comparator_holds``, in words ("1 percentage point")."""
    points = inspect.signature(records.comparator_holds).parameters["slack"].default
    return f"{points:g} percentage point" + ("" if points == 1 else "s")


def bears_out(n_hold: int, n: int) -> str:
    """How many counts bear a claim out, in words: "every count", "no count", "2 of 3"."""
    if n and n_hold == n:
        return "every count bears out"
    if n_hold == 0:
        return "no count bears out"
    return f"{n_hold} of {n} counts bear out"


def turnout_title(source_id: str, claimed: str, verdict: str, spread: float) -> str:
    """The finding of the turnout figure: whether the counts bear the claim out, and how
    far apart the counts lie."""
    head = f"{verdict[0].upper()}{verdict[1:]} {source_id}'s '{claimed}'"
    return f"{head}; the counts lie {spread:.2f} points apart"


def claims_table() -> pd.DataFrame:
    """Each rounded claim against each count, for a reader: dates, figures, verdict, link."""
    check = records.claims_check()
    if check.empty:
        columns = ["claim", "stage", "reported", "figure", "claim holds?", "source"]
        return pd.DataFrame(columns=columns)
    return pd.DataFrame(
        {
            "claim": check["claim"],
            "stage": check["stage"],
            "reported": check["reported"].dt.strftime("%d %b %Y"),
            "figure": check["figure"],
            "claim holds?": check["holds"].map({True: "yes", False: "no"}),
            "source": check["result_id"].map(evidence_links("election_2017")),
        }
    )


def same_day_figures(actor_id: str, stage: str) -> pd.DataFrame:
    """The distinct shares that reports of one stage, on one day, give one candidate:
    one row per day and figure (more than one per day means the reports differ)."""
    counts = counts_of("vote_share", actor_id)
    counts = counts[counts["stage"] == stage]
    return counts.drop_duplicates(["reported", "value"])[["reported", "value"]]


# ----------------------------------------------------------------------------- judgements
def judgements(question: str) -> pd.DataFrame:
    """Every source's position on one assessment question."""
    a = load.table("assessments")
    return a[a["question"] == question][["source_id", "position"]]


# ----------------------------------------------------------------------------- register
_CITED = re.compile(r"\(((?:S\d{3}|R\d{2,3})(?:, (?:S\d{3}|R\d{2,3}))*)\)")


def cite(text: str) -> str:
    """Turn the source ids a register gives in parentheses into citations."""
    return _CITED.sub(lambda m: "{cite:p}`" + m.group(1).replace(", ", ",") + "`", text)


def register_table(reg: pd.DataFrame) -> pd.DataFrame:
    """The register for a reader: the question, each answer with who gives it (cited), and
    between whom the answers conflict."""
    return pd.DataFrame(
        {
            "question": reg["question"],
            "answers, and who gives them": [cite(a) for a in reg["answers"]],
            "between": reg["between"].str.replace("–", " and ", regex=False),
        }
    )


# ----------------------------------------------------------------------------- citations
def reports_on(topic: str) -> list[str]:
    """The public-record reports with at least one row on this topic."""
    pr = load.table("public_record")
    ids = pr.loc[pr["topic"] == topic, "ref_id"].unique()
    return sorted(ids, key=lambda r: int(r[1:]))


def cited(markdown: str) -> set[str]:
    """The source ids a MyST text cites with ``{cite:p}`` (or ``{cite:t}``)."""
    found = re.findall(r"\{cite:[pt]\}`([^`]+)`", markdown)
    return {s.strip() for group in found for s in group.split(",")}


def evidenced_by(refs: list[str]) -> set[str]:
    """The sources that the evidence of these records names."""
    ev = load.table("evidence")
    keys = {tuple(r.split(":", 1)) for r in refs}
    mine = [(t, r) in keys for t, r in zip(ev["table"], ev["record_id"], strict=True)]
    return set(ev.loc[mine, "source_id"])
