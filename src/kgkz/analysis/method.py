"""What the sources-and-method chapter computes: what the comparison rules found, the
register and the corrections as a reader scans them, and which public-record reports no
chapter cites.

Everything here takes the frames that ``compare`` and ``load`` return, so that the same
function serves the chapter and its tests, for any number of rows (none included).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

import pandas as pd

from ..data import load
from .compare import describe
from .compare import disagreeing_sources as disagreeing_sources
from .prose import count_phrase as count_phrase
from .prose import listing

# Who a pair of answers sets against each other, as compare.pairs() names it.
SIDES = ("source–source", "source–report", "report–report", "within one source")

# The comparison rules' verdicts, with what each means to a reader (compare's docstring).
VERDICTS = {
    "agree": "both can be true",
    "refines": "both can be true, one more precisely",
    "series": "counts of one measure at different dates",
    "change": "one holder's stance at different dates",
    "sides": "two parties' stances, reported side by side",
    "disagree": "they cannot both be true",
}

# The glued table that lists the unused reports: its citations do not count as use.
UNUSED_GLUE = "tbl_method_unused"


# ----------------------------------------------------------------------------- wording


def cite(ids: Iterable[str]) -> str:
    """A MyST citation of sources by id (empty when there are none)."""
    ids = list(dict.fromkeys(ids))
    return f"{{cite:p}}`{','.join(ids)}`" if ids else ""


# ----------------------------------------------------------------------------- verdicts
def verdict_counts(pairs: pd.DataFrame) -> pd.DataFrame:
    """Verdict x sides: how many pairs of answers the rules judged each way, between
    which kinds of source; every verdict and every side shown, zeros included."""
    counts = pd.crosstab(pairs["verdict"], pairs["sides"]).reindex(
        index=list(VERDICTS), columns=list(SIDES), fill_value=0
    )
    counts = counts.astype(int)
    counts.columns.name = None
    out = counts.assign(pairs=counts.sum(axis=1))
    out.insert(0, "meaning", [VERDICTS[v] for v in out.index])
    return out.rename_axis("verdict").reset_index()


def compatible_pairs(pairs: pd.DataFrame) -> int:
    """Pairs of answers the rules found NOT to be a disagreement."""
    return int((pairs["verdict"] != "disagree").sum())


def settled_questions(pairs: pd.DataFrame) -> list[str]:
    """Questions answered by more than one source whose answers all turned out to be
    compatible (agree, refine, a series or a change of stance): not disagreements."""
    if pairs.empty:
        return []
    bad = pairs.groupby("question_id")["verdict"].agg(lambda v: (v == "disagree").any())
    return sorted(bad[~bad].index)


# ----------------------------------------------------------------------------- register
def question_kinds() -> list[str]:
    """The kinds a question can be, in the order data/datapackage.json gives them."""
    fields = load.resource("questions")["schema"]["fields"]
    return next(f for f in fields if f["name"] == "kind")["constraints"]["enum"]


def register_grid(register: pd.DataFrame) -> pd.DataFrame:
    """Kind x sides: questions in the register by kind and by whom their incompatible
    answers set against each other (a question can set several sides apart). Every kind
    and side shown, zeros included, with each kind's number of questions."""
    rows = []
    for kind in question_kinds():
        mine = register[register["kind"] == kind]
        between = [set(b.split(", ")) for b in mine["between"]]
        row = {"kind": kind}
        row.update({side: sum(side in b for b in between) for side in SIDES})
        row["questions"] = len(mine)
        rows.append(row)
    return pd.DataFrame(rows, columns=["kind", *SIDES, "questions"])


def answers_cited(question_id: str, kind: str, answers: pd.DataFrame | None = None) -> str:
    """A question's answers, alike ones together, each cited to the sources giving it."""
    answers = load.table("answers") if answers is None else answers
    said: dict[str, list[str]] = {}
    for _, ans in answers[answers["question_id"] == question_id].iterrows():
        said.setdefault(describe(kind, ans), []).append(ans["source_id"])
    return "; ".join(f"{text} {cite(ids)}" for text, ids in said.items())


def register_table(register: pd.DataFrame) -> pd.DataFrame:
    """The register as the chapter tables it: the question, every answer with citations
    of who gives it, between whom the answers clash, and the note that explains them."""
    answers = load.table("answers")
    return pd.DataFrame(
        {
            "question": register["question"],
            "kind": register["kind"],
            "answers": [
                answers_cited(q, k, answers)
                for q, k in zip(register["question_id"], register["kind"], strict=True)
            ],
            "between": register["between"],
            "note": register["note"],
        }
    )


# ----------------------------------------------------------------------------- corrections
def corrections_for(corrections: pd.DataFrame, records: Iterable[str]) -> pd.DataFrame:
    """The corrections of the given records (``table:id``)."""
    return corrections[corrections["record"].isin(set(records))].reset_index(drop=True)


def corrections_table(corrections: pd.DataFrame) -> pd.DataFrame:
    """Every correction as the chapter tables it: the question, what the seed says (cited),
    what the report says (cited: every report saying the same, together) and whether the
    report contradicts or refines it, with the record that holds the seed's claim."""
    questions = load.table("questions").set_index("question_id")["question"]
    keys = ["question_id", "source", "record", "source says", "correction", "report says"]
    grouped = (
        corrections.groupby(keys, sort=False)["report"]
        .agg(lambda r: list(dict.fromkeys(r)))
        .reset_index()
    )
    return pd.DataFrame(
        {
            "question": grouped["question_id"].map(questions),
            "the source says": [
                f"{said} {cite([s])}"
                for said, s in zip(grouped["source says"], grouped["source"], strict=True)
            ],
            "the report says": [
                f"{said} {cite(r)}"
                for said, r in zip(grouped["report says"], grouped["report"], strict=True)
            ],
            "the report": grouped["correction"],
            "record": grouped["record"],
        }
    )


# ----------------------------------------------------------------------------- reports
def reports() -> list[str]:
    """The public-record reports: sources of kind ``reference``, in table order."""
    sources = load.table("sources")
    return sources.loc[sources["kind"] == "reference", "source_id"].tolist()


_CITE = re.compile(r"\{cite(?::[a-z]+)?\}`([^`]*)`")
_GLUE_DIRECTIVE = re.compile(r"^\s*(?:```|:::)\{glue(?::\w+)?\}\s+(\S+)", re.M)
_GLUE_ROLE = re.compile(r"\{glue(?::\w+)?\}`([^`]+)`")


def cited_keys(markdown: str) -> set[str]:
    """The keys every ``{cite}`` role of a MyST text cites."""
    return {
        key.strip() for group in _CITE.findall(markdown) for key in group.split(",") if key.strip()
    }


def _glue_name(ref: str) -> str:
    name = ref.rsplit("::", 1)[-1]  # a name from another page: "page::name"
    return name.split(":", 1)[0]  # a role's format: "name:myst"


def pasted(markdown: str) -> set[str]:
    """The glue names a MyST text pastes (directives and roles)."""
    refs = _GLUE_DIRECTIVE.findall(markdown) + _GLUE_ROLE.findall(markdown)
    return {_glue_name(r) for r in refs}


def glued_markdown(notebook: Mapping) -> dict[str, str]:
    """name -> Markdown of every value an executed notebook glues as Markdown."""
    out = {}
    for cell in notebook["cells"]:
        for output in cell.get("outputs", []):
            name = output.get("metadata", {}).get("scrapbook", {}).get("name")
            data = output.get("data", {})
            md = data.get("application/papermill.record/text/markdown", data.get("text/markdown"))
            if name and md is not None:
                out[name] = "".join(md) if isinstance(md, list) else md
    return out


def citations(notebook: Mapping, skip: Iterable[str] = (UNUSED_GLUE,)) -> set[str]:
    """The keys an executed chapter cites: in its prose, and in the glued Markdown (tables
    with evidence links, notes) that its prose pastes; glues named in ``skip`` aside."""
    prose = "\n".join(
        "".join(c["source"]) if isinstance(c["source"], list) else c["source"]
        for c in notebook["cells"]
        if c["cell_type"] == "markdown"
    )
    glued = glued_markdown(notebook)
    keys = cited_keys(prose)
    for name in pasted(prose) - set(skip):
        keys |= cited_keys(glued.get(name, ""))
    return keys


def unused_reports(cited: Iterable[str]) -> list[str]:
    """The public-record reports that none of the given citations names."""
    cited = set(cited)
    return [r for r in reports() if r not in cited]


def listed_unused() -> pd.DataFrame:
    """The reports data/selections.csv lists as unused (chapter ``method``, key
    ``unused_report``), in order, with the note saying why; empty when none is."""
    sel = load.table("selections")
    mine = sel[(sel["chapter"] == "method") & (sel["key"] == "unused_report")]
    mine = mine.sort_values(["order", "record_id"], na_position="last")
    return mine[["record_id", "table", "note"]].reset_index(drop=True)


def unused_table(listed: pd.DataFrame) -> pd.DataFrame:
    """The unused reports as the chapter tables them: the citation (outlet and date), what
    the report gives in the public record (subject: measure), and why no chapter uses it."""
    record = load.table("public_record")
    gives = (record["subject"] + ": " + record["measure"]).groupby(record["ref_id"])
    gives = gives.agg(lambda g: "; ".join(dict.fromkeys(g)))
    ids = listed["record_id"].tolist()
    return pd.DataFrame(
        {
            "report": [cite([r]) for r in ids],
            "what it gives": [gives.get(r, "") for r in ids],
            "why no chapter uses it": listed["note"].fillna("").tolist(),
        }
    )


# ----------------------------------------------------------------------------- prose
SIDE_WORDS = {
    "source–source": "two articles against each other",
    "source–report": "an article against a report",
    "report–report": "two reports against each other",
    "within one source": "a source against itself",
}


def _none(n: int) -> str:
    return "none" if n == 0 else f"{n:,}"


def register_sentence(register: pd.DataFrame) -> str:
    """What the register holds, in one sentence for the prose (right when it is empty)."""
    if register.empty:
        return "No question has answers that cannot all be true: the register is empty."
    grid = register_grid(register)
    n = len(register)
    sides = [
        f"{k:,} {'sets' if k == 1 else 'set'} {SIDE_WORDS[side]}"
        for side in SIDES
        if (k := int(grid[side].sum()))
    ]
    listed = listing(sides)
    return (
        f"The register holds {count_phrase(n, 'question')} whose answers cannot all be true; "
        f"counted by who clashes, {listed}."
    )


def corrections_sentence(corrections: pd.DataFrame) -> str:
    """What the corrections are, in one sentence for the prose (right when there are none)."""
    if corrections.empty:
        return "No report of the public record contradicts or refines an article."
    kinds = corrections["correction"].value_counts()
    return (
        f"The rules find {count_phrase(len(corrections), 'correction')}: "
        f"{_none(int(kinds.get('contradicts', 0)))} where a report contradicts an article, "
        f"and {_none(int(kinds.get('refines', 0)))} where it gives the article's answer "
        "more precisely."
    )


def source_list(ids: list[str], labels: Mapping[str, str]) -> str:
    """Sources for prose: "label (id), label (id) and label (id)"; "none" when empty."""
    return listing(f"{labels[s]} ({s})" if s in labels else s for s in ids)


def disagreeing_sentence(ids: list[str], labels: Mapping[str, str]) -> str:
    """Who stands on either side of the register's questions, in one sentence: the
    articles by name, the reports by number (right when there are none)."""
    if not ids:
        return "No two sources give incompatible answers."
    seeds = [s for s in ids if not s.startswith("R")]
    n_reports = len(ids) - len(seeds)
    named = f" ({source_list(seeds, labels)})" if seeds else ""
    return (
        f"On either side of them stand {count_phrase(len(seeds), 'article')}{named} "
        f"and {count_phrase(n_reports, 'report')} of the public record."
    )


def unused_clause(n: int) -> str:
    """The unused reports, as a clause for the chapter's answer (right when there are none)."""
    if n == 0:
        return "every report of the public record is cited by a chapter"
    verb = "is" if n == 1 else "are"
    return (
        f"{count_phrase(n, 'report')} of the public record {verb} cited by no chapter, "
        "each listed with why"
    )


def unused_sentence(n: int) -> str:
    """The unused reports, as a sentence for their section (right when there are none)."""
    if n == 0:
        return "No report is left unused: the table below is empty."
    verb = "is" if n == 1 else "are"
    return (
        f"{count_phrase(n, 'report').capitalize()} {verb} cited by no chapter; the table "
        "below lists each with what it gives and why no chapter uses it."
    )
