"""The background chapter's computations: who tells the years before the 2017 vote, where
their conflict peaks, what the public record adds, and which of the chapter's claims the
public record corrects.

Everything returns plain values or DataFrames; the chapter only chooses, glues and
captions.
"""

from __future__ import annotations

import re

import pandas as pd

from ..data import aliases, load
from .compare import Answer, compare_dates
from .links import evidence_links
from .prose import count_phrase
from .records import date_label, quantity_label
from .records import events as _events
from .records import quantities as _quantities

PHASE = "background"
REPORT = "public record"  # the row that stands for every report together


# ----------------------------------------------------------------------------- support
def _kinds() -> pd.Series:
    return load.table("sources").set_index("source_id")["kind"]


def supporters(table: str) -> pd.DataFrame:
    """record_id -> the seeds and the reports that are evidence for it (sorted lists)."""
    ev = load.table("evidence")
    ev = ev[ev["table"] == table]
    ev = ev.assign(kind=ev["source_id"].map(_kinds()))

    def ids(kind: str) -> pd.Series:
        part = ev[ev["kind"] == kind]
        return part.groupby("record_id")["source_id"].agg(lambda s: sorted(set(s)))

    out = pd.DataFrame({"seeds": ids("seed"), "reports": ids("reference")})
    return out.map(lambda v: v if isinstance(v, list) else [])


def events() -> pd.DataFrame:
    """The background events (records.events), each with the seeds and the reports that
    support it."""
    ev = _events([PHASE])
    sup = supporters("events").reindex(ev["event_id"])
    return ev.assign(
        seeds=[v if isinstance(v, list) else [] for v in sup["seeds"]],
        reports=[v if isinstance(v, list) else [] for v in sup["reports"]],
    )


def support_by_source(ev: pd.DataFrame) -> pd.DataFrame:
    """For each seed (and the public record as one row): how many of the events it
    supports alone and how many it shares with another source."""
    rows = {}
    for sid in load.seed_ids():
        mine = ev[[sid in s for s in ev["seeds"]]]
        others = [len(s) + len(r) - 1 for s, r in zip(mine["seeds"], mine["reports"], strict=True)]
        alone = sum(n == 0 for n in others)
        rows[sid] = {"alone": alone, "shared": len(mine) - alone}
    reported = ev[[len(r) > 0 for r in ev["reports"]]]
    alone = sum(len(s) == 0 for s in reported["seeds"])
    rows[REPORT] = {"alone": alone, "shared": len(reported) - alone}
    return pd.DataFrame.from_dict(rows, orient="index")[["alone", "shared"]]


def main_teller(support: pd.DataFrame) -> tuple[str, int, int]:
    """The seed that supports most events: its id, how many it supports, how many alone."""
    seeds = support.drop(index=REPORT)
    total = seeds.sum(axis=1)
    sid = total.idxmax()
    return sid, int(total[sid]), int(seeds.at[sid, "alone"])


def counts(ev: pd.DataFrame) -> dict[str, int]:
    """How the events are supported: by two seeds or more, by a report at all, by a seed
    and a report, by reports only; and how many are undated."""
    n_seeds = ev["seeds"].map(len)
    n_reports = ev["reports"].map(len)
    return {
        "events": len(ev),
        "several_seeds": int((n_seeds >= 2).sum()),
        "reported": int((n_reports > 0).sum()),
        "seed_and_report": int(((n_seeds > 0) & (n_reports > 0)).sum()),
        "report_only": int(((n_seeds == 0) & (n_reports > 0)).sum()),
        "undated": int((ev["date_precision"] == "undated").sum()),
    }


def short_label(source_id: str) -> str:
    """A source as a figure names it: its id and outlet (the public record's row keeps its
    name)."""
    if source_id == REPORT:
        return REPORT
    outlet = load.table("sources").set_index("source_id").at[source_id, "outlet"]
    short = outlet.split(" (")[0]  # "CABAR (Central Asian Bureau ...)" -> "CABAR"
    return source_id if outlet == "unknown" else f"{source_id} ({short})"


def article_name(source_id: str) -> str:
    """A seed as prose names it: "the 112 Ukraine article", or by its id when its outlet
    is unknown."""
    outlet = load.table("sources").set_index("source_id").at[source_id, "outlet"]
    return f"article {source_id}" if outlet == "unknown" else f"the {outlet} article"


def involving(ev: pd.DataFrame, actor_id: str) -> pd.Series:
    """Which events have an actor or a target of the same country as ``actor_id``."""
    country = load.table("actors").set_index("actor_id")["country"]
    home = country[actor_id]
    acts = ev["actor_id"].map(country).eq(home).fillna(False)
    undergoes = ev["target_id"].map(country).eq(home).fillna(False)
    return acts | undergoes


def about(ev: pd.DataFrame, actor_id: str) -> pd.Series:
    """Which events have ``actor_id`` as their actor or their target."""
    return ev["actor_id"].eq(actor_id).fillna(False) | ev["target_id"].eq(actor_id).fillna(False)


# ----------------------------------------------------------------------------- conflict
def conflict_by_year(ev: pd.DataFrame) -> pd.Series:
    """Sum of the Goldstein weights of the conflictual events (weight below zero) whose
    dates fall within one calendar year, per year."""
    hostile = ev[(ev["goldstein"] < 0) & ev["date_start"].notna()]
    one_year = hostile[hostile["date_start"].dt.year == hostile["date_end"].dt.year]
    return one_year.groupby(one_year["date_start"].dt.year)["goldstein"].sum().sort_index()


def conflict_in(ev: pd.DataFrame, year: int) -> pd.DataFrame:
    """The conflictual events dated within one given calendar year."""
    hostile = ev[(ev["goldstein"] < 0) & ev["date_start"].notna()]
    same = (hostile["date_start"].dt.year == year) & (hostile["date_end"].dt.year == year)
    return hostile[same]


def conflict_peak(by_year: pd.Series) -> tuple[int, float, float]:
    """The year of heaviest conflict, its summed weight, and that of every other year."""
    year = int(by_year.idxmin())
    return year, float(by_year[year]), float(by_year.drop(year).sum())


def peak_outweighs_the_rest(by_year: pd.Series) -> bool:
    """Whether the peak year weighs more than all the other years together."""
    _, peak, rest = conflict_peak(by_year)
    return abs(peak) > abs(rest)


# ----------------------------------------------------------------------------- cast
def single_source_cast(matrix: pd.DataFrame, top: int) -> pd.Series:
    """Among the ``top`` most-named actors (rows of a mention matrix), those named by one
    source only: actor id -> that source."""
    head = matrix.head(top)
    named = head.gt(0)
    only = head[named.sum(axis=1) == 1]
    return named.loc[only.index].idxmax(axis=1)


def named_everywhere(matrix: pd.DataFrame, top: int) -> list[str]:
    """Among the ``top`` most-named actors, those every source names."""
    head = matrix.head(top)
    return head.index[head.gt(0).all(axis=1)].tolist()


def spellings(actor_id: str) -> pd.DataFrame:
    """How often each of an actor's spellings occurs in each seed (a full name counts
    once, not also as a surname); spellings no seed uses are left out."""
    found = {sid: aliases.seed_variants(sid) for sid in load.seed_ids()}
    al = load.table("aliases")
    mine = al.loc[al["actor_id"] == actor_id, "alias"]
    table = pd.DataFrame({a: {sid: found[sid].get(a, 0) for sid in found} for a in mine}).T
    table = table[table.sum(axis=1) > 0]
    table.index.name = "spelling (as written)"
    return table


# ----------------------------------------------------------------------------- tables
def events_table(ev: pd.DataFrame) -> pd.DataFrame:
    """The events as the chapter tables them, oldest first (undated ones lead)."""
    return ev[["when", "actor", "cameo_label", "summary", "sources"]].rename(
        columns={"cameo_label": "event type (CAMEO)"}
    )


def figures_table() -> pd.DataFrame:
    """The background's figures: what is measured, the figure as worded, as of when."""
    q = _quantities([PHASE])
    when = [
        date_label(d, d, p) if p != "undated" else "undated"
        for d, p in zip(q["as_of"], q["as_of_precision"], strict=True)
    ]
    return pd.DataFrame(
        {"measure": q["measure"], "figure": q["figure"], "as of": when, "sources": q["sources"]}
    ).reset_index(drop=True)


def quantity_support() -> pd.DataFrame:
    """The background's figures (quantity ids, in table order) with the seeds and the
    reports that support each."""
    q = load.table("quantities")
    ids = q.loc[q["phase"] == PHASE, "quantity_id"]
    sup = supporters("quantities").reindex(ids)
    return sup.map(lambda v: v if isinstance(v, list) else [])


def figure_text(row: pd.Series) -> str:
    """A quantity as its source words it ("about 1.5 months")."""
    return quantity_label(row)


def dated_records(refs: list[str]) -> pd.DataFrame:
    """Records named as ``table:id`` (events or statements), in that order: when, who,
    what, and the evidence links."""
    names = load.table("actors").set_index("actor_id")["name"]
    rows = []
    for ref in refs:
        table, _, rid = ref.partition(":")
        frame = load.table(table).set_index(table[:-1] + "_id")
        row = frame.loc[rid]
        who = row["actor_id"] if table == "events" else row["speaker_id"]
        rows.append(
            {
                "record": ref,
                "when": date_label(row["date_start"], row["date_end"], row["date_precision"]),
                "who": names.get(who, who),
                "what": row["summary"],
                "sources": evidence_links(table).get(rid, ""),
            }
        )
    return pd.DataFrame(rows, columns=["record", "when", "who", "what", "sources"])


def date_range(ref: str) -> tuple[pd.Timestamp, pd.Timestamp]:
    """The first and last possible day of a dated event or statement named ``table:id``."""
    table, _, rid = ref.partition(":")
    row = load.table(table).set_index(table[:-1] + "_id").loc[rid]
    return row["date_start"], row["date_end"]


VERDICT_WORDS = {
    "disagree": "cannot both be right",
    "agree": "can both be right",
    "refines": "agree, one more precisely than the other",
}


def date_verdict(event_a: str, event_b: str) -> str:
    """The comparison rule's verdict (kgkz.analysis.compare) on the dates of two events."""
    (a0, a1), (b0, b1) = date_range(f"events:{event_a}"), date_range(f"events:{event_b}")
    return compare_dates(
        Answer("a", date_start=a0, date_end=a1), Answer("b", date_start=b0, date_end=b1)
    )


# ----------------------------------------------------------------------------- the record
def reports() -> list[str]:
    """Every report that bears on the chapter: its topic in the public record is the
    background, or it is evidence for a background record."""
    pr = load.table("public_record")
    topical = set(pr.loc[pr["topic"] == PHASE, "ref_id"])
    ev = load.table("evidence")
    kinds = _kinds()
    ev = ev[ev["source_id"].map(kinds) == "reference"]
    mine = set()
    for table, key in (("events", "event_id"), ("quantities", "quantity_id")):
        frame = load.table(table)
        ids = set(frame.loc[frame["phase"] == PHASE, key])
        mine |= set(ev.loc[(ev["table"] == table) & ev["record_id"].isin(ids), "source_id"])
    return sorted(topical | mine, key=lambda r: int(r[1:]))


def cited(report_ids: list[str], *texts: str) -> list[str]:
    """The reports that a citation or evidence link in ``texts`` names."""
    keys = set()
    for text in texts:
        for group in re.findall(r"\{cite:p\}`([^`]+)`", text):
            keys |= {k.strip() for k in group.split(",")}
    return [r for r in report_ids if r in keys]


def citation(report_ids: list[str]) -> str:
    """One MyST citation of several reports (empty when there are none)."""
    return f"{{cite:p}}`{','.join(report_ids)}`" if report_ids else ""


# ----------------------------------------------------------------------------- corrections
def register_table(register: pd.DataFrame) -> pd.DataFrame:
    """The register as readers need it: the question, the answers with who gives them,
    and between whom they disagree. An empty register is one row that says so (a table
    without rows cannot be typeset)."""
    table = register[["question", "answers", "between"]].rename(
        columns={"between": "disagreement between"}
    )
    if table.empty:
        table = pd.DataFrame(
            [{"question": register_sentence(register), "answers": "", "disagreement between": ""}]
        )
    return table.reset_index(drop=True)


def register_sentence(register: pd.DataFrame) -> str:
    """What the register holds, in words (for none, one, or several questions)."""
    n = len(register)
    if n == 0:
        return "No question of this chapter has answers that disagree."
    # A sentence never opens on a figure.
    return f"This chapter has {count_phrase(n, 'question')} whose answers disagree."


def corrections_for(corrections: pd.DataFrame, refs: list[str]) -> pd.DataFrame:
    """The corrections that bear on the records named (``table:id``)."""
    return corrections[corrections["record"].isin(refs)].reset_index(drop=True)


NO_CORRECTION = "The public record corrects none of the claims used in this section."


def corrections_note(markdown: str, none: str = NO_CORRECTION) -> str:
    """A corrections note, or a sentence saying that the public record corrects nothing
    here (a glued note is never empty)."""
    return markdown or none


def unplaced(corrections: pd.DataFrame, placed: list[list[str]]) -> pd.DataFrame:
    """The corrections whose record no section uses."""
    used = {ref for refs in placed for ref in refs}
    return corrections[~corrections["record"].isin(used)].reset_index(drop=True)
