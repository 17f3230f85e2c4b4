"""What the Russia chapter computes: which actors are Russian, which events involve them,
how Russia acted toward Kyrgyz actors year by year, who judges Russia's role, how much each
source talks about Russia, which reports of the public record bear on the chapter, and the
register and corrections set out for the chapter's sections.

Nothing here names a record: the chapter's choices are in ``data/selections.csv``.
"""

from __future__ import annotations

import pandas as pd

from ..data import aliases, load
from . import records
from .prose import listing

PHASE = "russia"
COUNTRY = "Russia"

# CAMEO's four "quad classes", by the two-digit root of a code (Schrodt 2012, as GDELT uses
# them): a method, not a fact about any record.
QUADS = [
    (range(1, 5), "verbal cooperation", True),
    (range(5, 9), "material cooperation", False),
    (range(9, 14), "verbal conflict", True),
    (range(14, 21), "material conflict", False),
]

# How the chapter names the assessment questions on Russia (wording only).
LABELS = {
    "russia_stance_2017": "Russia's stance in 2017",
    "russia_gain": "what Russia gains",
    "russia_stance_2019": "Russia's stance in 2019",
}


def join(items: list) -> str:
    """'a', 'a and b', 'a, b and c'."""
    return listing(str(i) for i in items)


# ----------------------------------------------------------------------------- actors, events
def country_of() -> pd.Series:
    """actor_id -> the country actors.csv gives it."""
    return load.table("actors").set_index("actor_id")["country"]


def russian_actors() -> list[str]:
    """The actors actors.csv places in Russia."""
    country = country_of()
    return country.index[country == COUNTRY].tolist()


def russian_names() -> list[str]:
    """The canonical names of the actors actors.csv places in Russia."""
    actors = load.table("actors")
    return actors.loc[actors["country"] == COUNTRY, "name"].tolist()


def involving(events: pd.DataFrame | None = None) -> pd.DataFrame:
    """Events of the chapter's phase, or in which a Russian actor acts or is acted upon."""
    events = records.events() if events is None else events
    ours = russian_actors()
    mask = (
        events["actor_id"].isin(ours) | events["target_id"].isin(ours) | (events["phase"] == PHASE)
    )
    return events[mask]


def quad(code: str | None) -> str | None:
    """The CAMEO quad class of a code ('057' -> 'material cooperation'); None if uncoded."""
    if code is None or pd.isna(code):
        return None
    root = int(str(code)[:2])
    return next(name for roots, name, _ in QUADS if root in roots)


def is_verbal(means: str) -> bool:
    return next(verbal for _, name, verbal in QUADS if name == means)


def directed(events: pd.DataFrame) -> pd.DataFrame:
    """Coded events by a Russian actor, or by another actor toward one, with their
    direction, their quad class ('means'), a lane for the timeline, and their year where
    their dates fall within one calendar year."""
    ours = russian_actors()
    by = events["actor_id"].isin(ours)
    toward = events["target_id"].isin(ours) & ~by
    sel = events[(by | toward) & events["cameo_code"].notna()]
    means = sel["cameo_code"].map(quad)
    direction = by[sel.index].map({True: f"by {COUNTRY}", False: f"toward {COUNTRY}"})
    kind = means.map(lambda m: "in words" if is_verbal(m) else "material")
    one_year = sel["date_start"].dt.year == sel["date_end"].dt.year
    return sel.assign(
        direction=direction,
        means=means,
        verbal=means.map(is_verbal),
        lane=direction + ", " + kind,
        year=sel["date_start"].dt.year.where(one_year).astype("Int64"),
    )


def material_and_verbal_years(directed: pd.DataFrame) -> tuple[list[int], list[int]]:
    """For Russia's own dated acts: the years with a material act dated within them, and
    the years with an act in words and no material act that could fall in them."""
    own = directed[(directed["direction"] == f"by {COUNTRY}") & directed["date_start"].notna()]
    material = own[~own["verbal"]]
    sure = sorted(set(material["year"].dropna().astype(int)))
    spoken = sorted(set(own.loc[own["verbal"], "year"].dropna().astype(int)))

    def could_be_material(year: int) -> bool:
        lo, hi = pd.Timestamp(year, 1, 1), pd.Timestamp(year, 12, 31)
        return bool(((material["date_start"] <= hi) & (material["date_end"] >= lo)).any())

    words = [y for y in spoken if not could_be_material(y)]
    return sure, words


def means_title(directed: pd.DataFrame) -> str:
    """The timeline's finding: in which years Russia acted materially, in which in words
    only."""
    material, words = material_and_verbal_years(directed)
    parts = []
    if material:
        parts.append(f"material in {join(material)}")
    if words:
        parts.append(f"in words only in {join(words)}")
    if not parts:
        return f"No act of {COUNTRY}'s is dated"
    return f"{COUNTRY}'s dated acts were " + ", ".join(parts)


def asks(directed: pd.DataFrame, year: int) -> pd.DataFrame:
    """Acts of cooperation in words addressed to Russia in one year (requests, offers)."""
    mine = directed[
        (directed["direction"] == f"toward {COUNTRY}")
        & (directed["means"] == "verbal cooperation")
        & (directed["year"] == year)
    ]
    return mine[mine["cameo_code"].str.startswith("02")]


# ----------------------------------------------------------------------------- judgements
def questions() -> list[str]:
    """The assessment questions about Russia, as datapackage.json lists them."""
    fields = load.resource("assessments")["schema"]["fields"]
    enum = next(f for f in fields if f["name"] == "question")["constraints"]["enum"]
    return [q for q in enum if q.startswith(f"{PHASE}_")]


def judgements() -> pd.DataFrame:
    """The assessments on Russia, with the chapter's label of their question."""
    a = load.table("assessments")
    a = a[a["question"].isin(questions())]
    return a.assign(label=a["question"].map(LABELS).fillna(a["question"]))


def judgement_counts() -> pd.DataFrame:
    """Seed x question: how many judgements each source makes (0 where it is silent)."""
    a = judgements()
    labels = [LABELS.get(q, q) for q in questions()]
    counts = pd.crosstab(a["source_id"], a["label"])
    return counts.reindex(index=load.seed_ids(), columns=labels, fill_value=0)


def judgement_title(counts: pd.DataFrame) -> str:
    """The judgement figure's finding: how many sources judge each question, and which
    sources judge none."""
    judged = (counts > 0).sum()
    n = judged.iloc[0]
    parts = [f"{n} {'source judges' if n == 1 else 'sources judge'} {judged.index[0]}"]
    parts += [f"{n} {label}" for label, n in judged.iloc[1:].items()]
    silent = counts.index[counts.sum(axis=1) == 0].tolist()
    text = ", ".join(parts)
    if silent:
        text += f"; {join(silent)} {'judges' if len(silent) == 1 else 'judge'} none"
    return text


def stance_readings(question: str = "russia_stance_2017") -> pd.Series:
    """Per source, how many different positions it takes on one question."""
    a = judgements()
    a = a[a["question"] == question]
    return a.groupby("source_id")["position"].nunique()


# ----------------------------------------------------------------------------- mentions
def source_years() -> pd.Series:
    """Seed -> the earliest year it can date from (its publication date, or its bound)."""
    s = load.table("sources").set_index("source_id")
    s = s[s["kind"] == "seed"]
    return s["published"].fillna(s["date_earliest"]).dt.year


def mention_shares() -> pd.Series:
    """Seed -> share (%) of all its actor mentions that name a Russian actor."""
    matrix = aliases.mention_matrix()
    ours = matrix.index.intersection(russian_actors())
    return 100 * matrix.loc[ours].sum() / matrix.sum()


def mentions_title(shares: pd.Series, years: pd.Series) -> str:
    """The mentions figure's finding: Russia's share in the latest source against the
    highest share in the earlier ones."""
    latest = years.max()
    late = shares[years[shares.index] == latest]
    early = shares[years[shares.index] < latest]
    text = f"Russia draws {late.max():.0f}% of actor mentions in the {latest} source"
    if len(early):
        text += f", at most {early.max():.0f}% in a {join(sorted(set(years[early.index])))} one"
    return text


# ----------------------------------------------------------------------------- public record
def reports(events: pd.DataFrame | None = None) -> list[str]:
    """The public-record reports that bear on the chapter: those on Russia's role (their
    topic) and those that are evidence for the chapter's events."""
    pr = load.table("public_record")
    topical = set(pr.loc[pr["topic"].str.contains(PHASE), "ref_id"])
    ev = load.table("evidence")
    ours = set(involving(events)["event_id"])
    used = ev[(ev["table"] == "events") & ev["record_id"].isin(ours)]["source_id"]
    cited = {s for s in used if s.startswith("R")}
    return sorted(topical | cited, key=lambda r: int(r[1:]))


def cited_by(table_md: str) -> set[str]:
    """The sources a glued table or text cites with {cite:p}."""
    import re

    keys = re.findall(r"\{cite:p\}`([^`]+)`", table_md)
    return {k.strip() for group in keys for k in group.split(",")}


# ----------------------------------------------------------------------------- register
SIDES = {
    "source–source": "between sources",
    "source–report": "between a source and the public record",
    "report–report": "between reports of the public record",
}


def register_table(register: pd.DataFrame) -> pd.DataFrame:
    """The register as the chapter shows it: the question, every answer with who gives
    it, and between whom the answers conflict. With no question, one row says so (a
    table needs a body row to be typeset)."""
    table = register[["question", "answers", "between"]].copy()
    table["between"] = [
        "; ".join(SIDES.get(s.strip(), s.strip()) for s in b.split(",")) for b in table["between"]
    ]
    if table.empty:
        none = register_sentence(register).capitalize() + "."
        table = pd.DataFrame({"question": [none], "answers": [""], "between": [""]})
    return table.rename(columns={"between": "between whom"})


def register_sentence(register: pd.DataFrame) -> str:
    """The register in one clause, for prose: how many questions have conflicting
    answers and between whom, or that none has."""
    n = len(register)
    if n == 0:
        return "no question has answers that conflict"
    sides = sorted({s.strip() for b in register["between"] for s in b.split(",")})
    noun = "question has" if n == 1 else "questions have"
    return f"{n} {noun} answers that conflict ({join([SIDES.get(s, s) for s in sides])})"


def corrections_sentence(corrections: pd.DataFrame) -> str:
    """The corrections in one clause, for prose: how many, from how many reports."""
    n = len(corrections)
    if n == 0:
        return "no answer from the public record corrects a source's"
    reports_ = corrections["report"].nunique()
    return (
        f"the public record corrects {n} of the sources' answers "
        f"in {reports_} report{'s' if reports_ != 1 else ''}"
    )


def place_corrections(corrections: pd.DataFrame, sections: dict[str, list[str]]) -> dict:
    """Each correction once, in the first section (in the given order) whose records
    (``table:id``) include the corrected record; the rest under ``"other"``."""
    placed: dict[str, pd.DataFrame] = {}
    left = corrections
    for name, refs in sections.items():
        mine = left["record"].isin(refs)
        placed[name] = left[mine].reset_index(drop=True)
        left = left[~mine]
    placed["other"] = left.reset_index(drop=True)
    return placed


def question_order(column: pd.Series) -> pd.Series:
    """A sort key that puts the questions on Russia in the datapackage's order (for
    ``sort_values(key=...)``); other columns sort as they are."""
    if column.name not in ("question", "label"):
        return column
    order = {LABELS.get(q, q): i for i, q in enumerate(questions())}
    order.update({q: i for i, q in enumerate(questions())})
    return column.map(order)
