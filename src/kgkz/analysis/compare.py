"""Disagreements and corrections, found by rule from the answers each source gives.

Every claim that can conflict is tied to a question (``data/questions.csv``) by an answer
(``data/answers.csv``). Two answers to the same question are compared by the rule for the
question's kind; the register is every question with at least one pair of incompatible
answers. Nothing here is typed by hand: a hand-written note can only explain a difference.

The verdicts a comparison can give:

``agree``
    both can be true: date ranges that overlap, a figure and its rounding, the same place.
``refines``
    both can be true and one is more precise (a day inside a month; an exact figure inside
    a rounded one).
``disagree``
    they cannot both be true.
``series``
    counts of the same measure at different dates: a series, not a disagreement.
``change``
    the same holder's stance at different dates: a change of stance, not a contradiction.
``sides``
    the stances of two different holders (one party's accusation, the other's denial):
    the sources report both sides; they do not disagree.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from itertools import combinations

import pandas as pd

from ..data import load

COMPATIBLE = ("agree", "refines")


@dataclass(frozen=True)
class Answer:
    """One source's answer, as the comparison rules need it."""

    source_id: str
    value: str | None = None
    number: float | None = None
    comparator: str = "exact"
    as_of: pd.Timestamp | None = None
    date_start: pd.Timestamp | None = None
    date_end: pd.Timestamp | None = None
    holder: str | None = None
    said_on: pd.Timestamp | None = None

    @classmethod
    def from_row(cls, row: pd.Series | dict) -> Answer:
        def get(name):
            value = row.get(name)
            return None if value is None or pd.isna(value) else value

        return cls(
            source_id=row["source_id"],
            value=get("value"),
            number=None if get("number") is None else float(get("number")),
            comparator=get("comparator") or "exact",
            as_of=get("as_of"),
            date_start=get("date_start"),
            date_end=get("date_end"),
            holder=get("holder"),
            said_on=get("said_on"),
        )


# ----------------------------------------------------------------------------- dates
def compare_dates(a: Answer, b: Answer) -> str:
    """Date ranges that overlap agree; one strictly inside the other refines it."""
    if a.date_start is None or b.date_start is None:
        raise ValueError("a date answer needs date_start and date_end")
    a_end, b_end = a.date_end or a.date_start, b.date_end or b.date_start
    if a_end < b.date_start or b_end < a.date_start:
        return "disagree"
    if (a.date_start, a_end) == (b.date_start, b_end):
        return "agree"
    inside = (a.date_start <= b.date_start and b_end <= a_end) or (
        b.date_start <= a.date_start and a_end <= b_end
    )
    return "refines" if inside else "agree"


# ----------------------------------------------------------------------------- figures
def _decimals(x: float) -> int:
    text = format(x, "g")
    if "e" in text:
        return 0
    return len(text.split(".")[1]) if "." in text else 0


def interval(number: float, comparator: str) -> tuple[float, float, bool, bool]:
    """The values a qualified figure allows: (low, high, low included, high included).

    "About", "almost" and "a bit over" stretch by one unit of the last digit written
    ("almost 56" is 55 up to 56; "a bit over 33" is above 33 up to 34).
    """
    step = 10.0 ** -_decimals(number)
    if comparator == "exact":
        return number, number, True, True
    if comparator == "more_than":
        return number, math.inf, False, False
    if comparator == "at_least":
        return number, math.inf, True, False
    if comparator == "almost":
        return number - step, number, True, False
    if comparator == "a_bit_over":
        return number, number + step, False, True
    if comparator == "about":
        return number - step, number + step, True, True
    raise ValueError(f"unknown comparator '{comparator}'")


def _allowed(answer: Answer) -> tuple[float, float, bool, bool]:
    """Against a qualified figure, an exact one stands for every value written as it
    (rounded or cut: "2" billion allows 1.5 up to 3)."""
    if answer.comparator != "exact":
        return interval(answer.number, answer.comparator)
    step = 10.0 ** -_decimals(answer.number)
    return answer.number - step / 2, answer.number + step, True, False


def written_alike(coarse: float, fine: float) -> bool:
    """Is ``coarse`` the figure ``fine`` written with fewer digits (rounded or cut)?
    "3.025" million and 3,025,768 are; "5" charges and "6" are not."""
    digits = _decimals(coarse)
    if _decimals(fine) <= digits:
        return coarse == fine
    scale = 10.0**digits
    return round(fine, digits) == coarse or math.floor(fine * scale) / scale == coarse


def _overlap(a, b) -> bool:
    lo_a, hi_a, lo_a_in, hi_a_in = a
    lo_b, hi_b, lo_b_in, hi_b_in = b
    if hi_a < lo_b or hi_b < lo_a:
        return False
    if hi_a == lo_b:
        return hi_a_in and lo_b_in
    if hi_b == lo_a:
        return hi_b_in and lo_a_in
    return True


def compare_figures(a: Answer, b: Answer) -> str:
    """Figures agree when one could be a rounding of the other; counts at different dates
    are a series. (Different measures are different questions: a question has one unit.)"""
    if a.number is None or b.number is None:
        raise ValueError("a figure answer needs a number")
    if a.as_of is not None and b.as_of is not None and a.as_of != b.as_of:
        return "series"
    if a.comparator == "exact" and b.comparator == "exact":
        coarse, fine = sorted((a.number, b.number), key=_decimals)
        if not written_alike(coarse, fine):
            return "disagree"
        return "agree" if _decimals(coarse) == _decimals(fine) else "refines"
    ia, ib = _allowed(a), _allowed(b)
    if not _overlap(ia, ib):
        return "disagree"
    if ia == ib:
        return "agree"
    width_a, width_b = ia[1] - ia[0], ib[1] - ib[0]
    return "refines" if width_a != width_b else "agree"


# ----------------------------------------------------------------------------- values
def _norm(text: str | None) -> str:
    return " ".join((text or "").casefold().split())


def compare_values(a: Answer, b: Answer) -> str:
    """Places, names, actors and causes agree when they are written alike."""
    if a.value is None or b.value is None:
        raise ValueError("this kind of answer needs a value")
    return "agree" if _norm(a.value) == _norm(b.value) else "disagree"


def compare_judgements(a: Answer, b: Answer) -> str:
    """Judgements and causes agree when written alike. Stances of two different holders
    are two sides, not a disagreement of sources; the same holder's differing stances at
    different dates are a change of stance, not a contradiction."""
    if a.holder and b.holder and a.holder != b.holder:
        return "sides"
    if a.holder and a.holder == b.holder and a.said_on is not None and b.said_on is not None:
        if a.said_on != b.said_on and _norm(a.value) != _norm(b.value):
            return "change"
    return compare_values(a, b)


def compare_names(a: Answer, b: Answer) -> str:
    """Names and actors agree when they name the same actor: spellings that resolve
    through the alias table to one actor are variants, not a disagreement."""
    if a.value is None or b.value is None:
        raise ValueError("this kind of answer needs a value")
    return "agree" if _actor(a.value) == _actor(b.value) else "disagree"


def _actor(name: str) -> str:
    from ..data.aliases import UnknownActorError, resolve

    try:
        return resolve(name)
    except (UnknownActorError, KeyError, ValueError):
        return _norm(name)


RULES = {
    "date": compare_dates,
    "figure": compare_figures,
    "place": compare_values,
    "name": compare_names,
    "actor": compare_names,
    "cause": compare_judgements,
    "judgement": compare_judgements,
}


def compare(kind: str, a: Answer, b: Answer) -> str:
    """The verdict on two answers to one question of this kind."""
    return RULES[kind](a, b)


# ----------------------------------------------------------------------------- register
def _is_report(source_id: str) -> bool:
    return source_id.startswith("R")


@load.memo
def pairs(phases: list[str] | None = None) -> pd.DataFrame:
    """Every pair of answers to the same question from different sources (or from one
    holder at different dates), with the rule's verdict and who the two sides are; only
    the questions of ``phases`` when given (a chapter reads only its own answers)."""
    questions = load.table("questions")
    if phases is not None:
        questions = questions[questions["phase"].isin(phases)]
    questions = questions.set_index("question_id")
    answers = load.table("answers")
    answers = answers[answers["question_id"].isin(list(questions.index))]
    rows = []
    for qid, group in answers.groupby("question_id", sort=True):
        kind = questions.at[qid, "kind"]
        records = group.to_dict("records")
        built = [(x, Answer.from_row(x)) for x in records]
        for (x, a), (y, b) in combinations(built, 2):
            same_holder = a.holder is not None and a.holder == b.holder
            same_record = (x["table"], x["record_id"]) == (y["table"], y["record_id"])
            if a.source_id == b.source_id and not same_holder and same_record:
                continue  # one source, one claim: nothing to compare
            if a.source_id == b.source_id:
                sides = "within one source"
            elif _is_report(a.source_id) and _is_report(b.source_id):
                sides = "report–report"
            elif _is_report(a.source_id) or _is_report(b.source_id):
                sides = "source–report"
            else:
                sides = "source–source"
            rows.append(
                {
                    "question_id": qid,
                    "kind": kind,
                    "phase": questions.at[qid, "phase"],
                    "a_source": a.source_id,
                    "a_record": f"{x['table']}:{x['record_id']}",
                    "a": describe(kind, x),
                    "b_source": b.source_id,
                    "b_record": f"{y['table']}:{y['record_id']}",
                    "b": describe(kind, y),
                    "verdict": compare(kind, a, b),
                    "sides": sides,
                    "held": bool(a.holder or b.holder),
                }
            )
    columns = ["question_id", "kind", "phase", "a_source", "a_record", "a", "b_source",
               "b_record", "b", "verdict", "sides", "held"]  # fmt: skip
    return pd.DataFrame(rows, columns=columns)


def disagreeing_sources(p: pd.DataFrame) -> list[str]:
    """Every source on either side of an incompatible pair of ``pairs()``: seeds first,
    then reports, each by number."""
    bad = p[p["verdict"] == "disagree"]
    ids = set(bad["a_source"]) | set(bad["b_source"])
    return sorted(ids, key=lambda s: (s.startswith("R"), len(s), s))


def describe(kind: str, answer: dict) -> str:
    """An answer as a reader should see it."""
    from .records import COMPARATORS, date_label

    if kind == "date":
        start, end = answer["date_start"], answer["date_end"]
        end = start if pd.isna(end) else end
        if start == end:
            return f"{start.day} {start:%b %Y}"
        return date_label(start, end, "approximate")
    if kind == "figure":
        text = f"{COMPARATORS[answer['comparator'] or 'exact']}{answer['number']:,g}"
        if not pd.isna(answer.get("as_of")):
            text += f" (at {answer['as_of']:%d %b %Y})"
        return text
    text = str(answer["value"])
    if not pd.isna(answer.get("said_on")):
        text += f" ({answer['said_on']:%b %Y})"
    return text


@load.memo
def register(phases: list[str] | None = None) -> pd.DataFrame:
    """Every question on which two sources, or a source and the public record, give
    incompatible answers: one row per question, with every answer and who gives it."""
    p = pairs(phases)
    bad = p[p["verdict"] == "disagree"]
    questions = load.table("questions").set_index("question_id")
    answers = load.table("answers")
    rows = []
    for qid in sorted(bad["question_id"].unique()):
        q = questions.loc[qid]
        if phases is not None and q["phase"] not in phases:
            continue
        mine = answers[answers["question_id"] == qid]
        said = {}
        for _, ans in mine.iterrows():
            said.setdefault(describe(q["kind"], ans), []).append(ans["source_id"])
        rows.append(
            {
                "question_id": qid,
                "kind": q["kind"],
                "phase": q["phase"],
                "question": q["question"],
                "answers": "; ".join(f"{text} ({', '.join(s)})" for text, s in said.items()),
                "between": ", ".join(sorted(set(bad.loc[bad["question_id"] == qid, "sides"]))),
                "note": "" if pd.isna(q["note"]) else q["note"],
            }
        )
    columns = ["question_id", "kind", "phase", "question", "answers", "between", "note"]
    return pd.DataFrame(rows, columns=columns)


@load.memo
def corrections(phases: list[str] | None = None) -> pd.DataFrame:
    """Every place where a report of the public record contradicts or refines what a seed
    says: the question, the seed's answer and record, the report's answer."""
    p = pairs(phases)
    # A report that relays one party's stance does not correct a source: only answers
    # that are the report's own account count.
    seed_vs_report = p[(p["sides"] == "source–report") & ~p["held"]]
    hits = seed_vs_report[seed_vs_report["verdict"].isin(["disagree", "refines"])]
    answers = load.table("answers") if (hits["verdict"] == "refines").any() else None
    rows = []
    for _, r in hits.iterrows():
        seed_first = not _is_report(r["a_source"])
        s, rep = ("a", "b") if seed_first else ("b", "a")
        if r["verdict"] == "refines" and not _report_is_finer(r, s, rep, answers):
            continue
        rows.append(
            {
                "question_id": r["question_id"],
                "phase": r["phase"],
                "kind": r["kind"],
                "correction": "contradicts" if r["verdict"] == "disagree" else "refines",
                "source": r[f"{s}_source"],
                "record": r[f"{s}_record"],
                "source says": r[s],
                "report": r[f"{rep}_source"],
                "report says": r[rep],
            }
        )
    out = pd.DataFrame(
        rows,
        columns=[
            "question_id",
            "phase",
            "kind",
            "correction",
            "source",
            "record",
            "source says",
            "report",
            "report says",
        ],  # fmt: skip
    )
    if phases is not None:
        out = out[out["phase"].isin(phases)]
    return out.drop_duplicates().reset_index(drop=True)


def _report_is_finer(row: pd.Series, seed: str, report: str, answers: pd.DataFrame) -> bool:
    """For a 'refines' verdict: is it the report that is the more precise answer?"""
    q = answers[answers["question_id"] == row["question_id"]]

    def width(side: str) -> float:
        table, _, rid = row[f"{side}_record"].partition(":")
        ans = q[
            (q["source_id"] == row[f"{side}_source"])
            & (q["table"] == table)
            & (q["record_id"] == rid)
        ].iloc[0]
        if row["kind"] == "date":
            end = ans["date_start"] if pd.isna(ans["date_end"]) else ans["date_end"]
            return (end - ans["date_start"]).days
        if (ans["comparator"] or "exact") == "exact":
            return 10.0 ** -_decimals(float(ans["number"]))  # what its last digit allows
        lo, hi, *_ = interval(float(ans["number"]), ans["comparator"])
        return hi - lo

    return width(report) < width(seed)
