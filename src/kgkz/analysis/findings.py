"""The book's findings, as the introduction states them: which records and questions stand
behind each (editorial data: ``data/selections.csv``, chapter ``intro``, one key per
finding), how many seeds support it, and whether the public record agrees with it,
contradicts it or is silent.

Support is computed, never typed: the seeds and the reports come from ``evidence.csv``
(and from the answers to the finding's questions), the contradictions and refinements
from the rule-based corrections of ``kgkz.analysis.compare``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from ..data import load
from . import compare, selection
from .records import date_label

CHAPTER = "intro"


def pick() -> selection.Chapter:
    return selection.Chapter(CHAPTER)


def keys() -> list[str]:
    """The findings, in the order the introduction states them (their keys sort in that
    order: f1_…, f2_…)."""
    sel = load.table("selections")
    return sorted(sel.loc[sel["chapter"] == CHAPTER, "key"].unique())


# ----------------------------------------------------------------------------- support
@dataclass
class Support:
    """Who stands behind a finding."""

    seeds: list[str] = field(default_factory=list)
    agree: list[str] = field(default_factory=list)
    refine: list[str] = field(default_factory=list)
    contradict: list[str] = field(default_factory=list)

    @property
    def verdict(self) -> str:
        """What the public record does with the finding: agrees, refines (agrees and is
        more precise), contradicts, is divided, or is silent."""
        if self.contradict and (self.agree or self.refine):
            return "divided"
        if self.contradict:
            return "contradicts"
        if self.refine:
            return "refines"
        if self.agree:
            return "agrees"
        return "silent"


def _kinds() -> pd.DataFrame:
    """The sources by id, to read the kind of each one asked about (a public-record
    report is a "reference")."""
    return load.table("sources").set_index("source_id")


def support(refs: list[str]) -> Support:
    """The seeds and reports behind the records and questions named (``table:id``)."""
    records = [r for r in refs if not r.startswith("questions:")]
    questions = [r.partition(":")[2] for r in refs if r.startswith("questions:")]
    ev = load.table("evidence")
    ev = ev[(ev["table"] + ":" + ev["record_id"]).isin(records)]
    answers = load.table("answers")
    answers = answers[answers["question_id"].isin(questions)]
    sources = set(ev["source_id"]) | set(answers["source_id"])
    corr = compare.corrections()
    corr = corr[corr["record"].isin(records) | corr["question_id"].isin(questions)]
    contradict = set(corr.loc[corr["correction"] == "contradicts", "report"])
    refine = set(corr.loc[corr["correction"] == "refines", "report"]) - contradict
    kinds = _kinds() if sources else None
    reports = {s for s in sources if kinds.at[s, "kind"] == "reference"}
    return Support(
        seeds=sorted(sources - reports),
        agree=sorted(reports - contradict - refine, key=_number),
        refine=sorted(refine, key=_number),
        contradict=sorted(contradict, key=_number),
    )


def _number(report: str) -> int:
    return int(report[1:])


def _cite(ids: list[str]) -> str:
    return f"{{cite:p}}`{','.join(ids)}`"


def support_markdown(s: Support) -> str:
    """How well a finding is supported, in words, citing the seeds and the reports."""
    n = len(s.seeds)
    seeds = "no seed" if n == 0 else f"{n} seed{'s' if n > 1 else ''} {_cite(s.seeds)}"
    record = {
        "silent": "the public record is silent",
        "agrees": f"the public record bears it out {_cite(s.agree)}",
        "refines": f"the public record bears it out, more precisely {_cite(s.refine)}",
        "contradicts": f"the public record contradicts it {_cite(s.contradict)}",
        "divided": (
            f"the public record bears out part of it {_cite(s.agree + s.refine)} and "
            f"contradicts part {_cite(s.contradict)}"
        ),
    }[s.verdict]
    return f"{seeds}; {record}"


# ----------------------------------------------------------------------------- claims
def by_support(refs: list[str], table: str = "events") -> tuple[list[str], list[str]]:
    """The finding's records of one table, split (in their chosen order) into those a
    seed supports and those only reports support."""
    ev = load.table("evidence")
    mine = [r for r in refs if r.startswith(f"{table}:")]
    seeded, kinds = [], None
    for ref in mine:
        rid = ref.partition(":")[2]
        for s in ev.loc[(ev["table"] == table) & (ev["record_id"] == rid), "source_id"]:
            kinds = _kinds() if kinds is None else kinds
            if kinds.at[s, "kind"] != "reference":
                seeded.append(ref)
                break
    return seeded, [r for r in mine if r not in seeded]


def value(ref: str) -> float:
    """The figure of a quantity or an election result."""
    return float(_row(ref)["value"])


def positions_by_question(refs: list[str]) -> dict[str, str]:
    """The finding's assessments grouped by the question they judge: question ->
    positions with their sources (cited), and how many seeds judge it."""
    rows = [_row(r) for r in refs if r.startswith("assessments:")]
    out: dict[str, list[pd.Series]] = {}
    for r in rows:
        out.setdefault(r["question"], []).append(r)
    return {
        q: "; ".join(f"*{r['position']}* {_cite([r['source_id']])}" for r in rs)
        for q, rs in out.items()
    }


def judges(question: str) -> list[str]:
    """The seeds that hold any judgement on an assessment question."""
    a = load.table("assessments")
    return sorted(set(a.loc[a["question"] == question, "source_id"]))


def _row(ref: str) -> pd.Series:
    table, _, rid = ref.partition(":")
    frame = load.table(table)
    return frame.set_index(frame.columns[0]).loc[rid]


def when(ref: str) -> str:
    """The date of a dated event or statement, as a reader should see it."""
    row = _row(ref)
    return date_label(row["date_start"], row["date_end"], row["date_precision"])


def days_between(earlier: str, later: str) -> int:
    """Days from the first possible day of one dated record to that of another."""
    return int((_row(later)["date_start"] - _row(earlier)["date_start"]).days)


def date_verdict(a: str, b: str) -> str:
    """The comparison rule's verdict on the dates of two dated records."""
    ra, rb = _row(a), _row(b)
    return compare.compare_dates(
        compare.Answer("a", date_start=ra["date_start"], date_end=ra["date_end"]),
        compare.Answer("b", date_start=rb["date_start"], date_end=rb["date_end"]),
    )


def answers_markdown(question_ref: str) -> str:
    """Every answer to a question, with the sources that give it (cited)."""
    qid = question_ref.partition(":")[2]
    kind = load.table("questions").set_index("question_id").at[qid, "kind"]
    answers = load.table("answers")
    said: dict[str, list[str]] = {}
    for _, ans in answers[answers["question_id"] == qid].iterrows():
        said.setdefault(compare.describe(kind, ans), []).append(ans["source_id"])
    return "; ".join(f"{text} {_cite(sorted(s))}" for text, s in said.items())


def quantity_text(ref: str) -> str:
    """A figure as its source words it ("about 1.5 months")."""
    from .records import quantity_label

    return quantity_label(_row(ref))


def seed_count() -> int:
    return len(load.seed_ids())
