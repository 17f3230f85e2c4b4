"""Computations of the border chapter: its period, the sequence the sources tell, what
followed, who said what across the border, the traffic figures, and the words that say
whether any source disagrees. The chapter chooses records by name (``selection``); these
functions only compute from the records they are given.
"""

from __future__ import annotations

import math
import re

import pandas as pd

from ..data import boundaries, load
from . import compare, geography, records
from .links import evidence_links
from .prose import BETWEEN as BETWEEN
from .prose import listing as listing

PHASE = "border"
# Kinds of statement that take a side in the dispute: hostile ones, and explanations.
STANCE_KINDS = (*records.ACCUSING, "explanation")
ANSWERING = ("denial", "explanation")  # how a side can answer an accusation without one


# ----------------------------------------------------------------------------- dates
def day_of(events: pd.DataFrame, event_id: str) -> pd.Timestamp:
    """The first day of one event."""
    return events.set_index("event_id").at[event_id, "date_start"]


def sources_end(events: pd.DataFrame) -> pd.Timestamp:
    """The last day a seed dates exactly in this chapter: where the sources' story ends."""
    ev = load.evidence("events")
    quoted = set(ev.loc[ev["quote"].notna(), "record_id"])
    mine = events[
        (events["phase"] == PHASE)
        & (events["date_precision"] == "day")
        & events["event_id"].isin(quoted)
    ]
    return mine["date_start"].max()


def days_text(starts: list[pd.Timestamp], ends: list[pd.Timestamp]) -> str:
    """Days from each of ``starts`` to each of ``ends``, as prose: "20" or "20 or 21"
    (several days where the sources date an end, or a start, differently)."""
    days = sorted({(end - start).days for start in starts for end in ends})
    return " or ".join(f"{d:,}" for d in days)


def within(events: pd.DataFrame, start: pd.Timestamp, end: pd.Timestamp) -> pd.DataFrame:
    """Events dated wholly between ``start`` and ``end`` (both included)."""
    return events[(events["date_start"] >= start) & (events["date_end"] <= end)]


# ----------------------------------------------------------------------------- events
def sequence(events: pd.DataFrame, year: int, end: pd.Timestamp) -> pd.DataFrame:
    """The chapter's events dated wholly within ``year`` and no later than ``end``."""
    mine = events[events["phase"] == PHASE]
    return within(mine, pd.Timestamp(year=year, month=1, day=1), end)


def after(events: pd.DataFrame, start: pd.Timestamp, year: int) -> pd.DataFrame:
    """The chapter's events of ``year`` that run past ``start``: what the sequence ending
    on ``start`` does not hold."""
    mine = events[events["phase"] == PHASE]
    return mine[(mine["date_end"] > start) & (mine["date_start"].dt.year == year)]


def chosen_notes(pick, key: str) -> pd.Series:
    """The notes of one choice of data/selections.csv (record id -> note), in order."""
    sel = load.table("selections")
    sel = sel[(sel["chapter"] == pick.chapter) & (sel["key"] == key)]
    return sel.set_index("record_id")["note"].reindex(pick.ids(key))


def escalation_summary(per_day: pd.DataFrame) -> dict:
    """The curve's story: when it was lowest, how low, where it ended and how much of the
    fall it had won back by then (percent; 0 if it never fell)."""
    low_day = per_day["cumulative"].idxmin()
    low, end = per_day["cumulative"].min(), per_day["cumulative"].iloc[-1]
    recovered = 100 * (end - low) / -low if low < 0 else 0.0
    return {
        "start_day": per_day.index[0],
        "low_day": low_day,
        "low": low,
        "end_day": per_day.index[-1],
        "end": end,
        "recovered": recovered,
        "weeks_down": round((low_day - per_day.index[0]).days / 7),
    }


def escalation_title(s: dict) -> str:
    """The escalation figure's title, from ``escalation_summary``."""
    return (
        f"{s['weeks_down']} weeks of escalation to {s['low_day']:%-d %B}; by "
        f"{s['end_day']:%-d %B} the curve had won back {s['recovered']:.0f} % of its fall"
    )


def event_table(frame: pd.DataFrame) -> pd.DataFrame:
    """Events as a reader needs them: when, who (to whom), the kind of act, what, and the
    evidence."""
    who = [
        actor if pd.isna(target) else f"{actor} → {target}"
        for actor, target in zip(frame["actor"], frame["target"], strict=True)
    ]
    return pd.DataFrame(
        {
            "when": frame["when"].to_numpy(),
            "who (to whom)": who,
            "event type": frame["cameo_label"].fillna("").to_numpy(),
            "summary": frame["summary"].to_numpy(),
            "sources": frame["sources"].to_numpy(),
        }
    )


# ----------------------------------------------------------------------------- statements
def sides(meeting: pd.Series) -> tuple[str, str]:
    """The dispute's two countries: those of the target and the actor of the event that
    started it (the Kyrgyz candidate received by the Kazakh president)."""
    country = load.table("actors").set_index("actor_id")["country"]
    return country[meeting["target_id"]], country[meeting["actor_id"]]


def across(
    statements: pd.DataFrame, sides: tuple[str, str], start: pd.Timestamp, end: pd.Timestamp
) -> pd.DataFrame:
    """Statements one side made of or to the other, dated in a window that overlaps
    ``start``–``end``, with the speaker's name and side."""
    actors = load.table("actors").set_index("actor_id")
    st = statements.assign(
        side=statements["speaker_id"].map(actors["country"]),
        target_side=statements["target_id"].map(actors["country"]),
        speaker=statements["speaker_id"].map(actors["name"]),
    )
    a, b = sides
    crossing = ((st["side"] == a) & (st["target_side"] == b)) | (
        (st["side"] == b) & (st["target_side"] == a)
    )
    dated = (st["date_start"] <= end) & (st["date_end"] >= start)
    return st[crossing & dated.fillna(False)]


def stance_counts(statements: pd.DataFrame, kinds=STANCE_KINDS) -> dict[str, pd.DataFrame]:
    """For each side: speaker x kind counts of its statements of these kinds (speakers
    with most statements first; only kinds that occur, in the order given)."""
    st = statements[statements["kind"].isin(kinds)]
    out = {}
    for side, part in st.groupby("side", sort=False):
        counts = pd.crosstab(part["speaker"], part["kind"])
        counts = counts[[k for k in kinds if k in counts.columns]]
        out[side] = counts.loc[counts.sum(axis=1).sort_values(ascending=False, kind="stable").index]
    return out


def stance_summary(counts: dict[str, pd.DataFrame], sides: tuple[str, str]) -> dict:
    """What the stance figure shows: how many accusations and protests the first side
    made, and whether the other side mostly (more than half) denied or explained."""
    first, second = (counts.get(s, pd.DataFrame()) for s in sides)

    def n(frame, kinds):
        return int(sum(frame[k].sum() for k in kinds if k in frame.columns))

    answered = n(second, ANSWERING)
    total = int(second.to_numpy().sum()) if not second.empty else 0
    return {
        "first_accusing": n(first, ("accusation", "protest")),
        "first_total": int(first.to_numpy().sum()) if not first.empty else 0,
        "second_answering": answered,
        "second_total": total,
        "second_mostly_answered": total > 0 and answered > total / 2,
    }


def stance_title(s: dict, sides: tuple[str, str]) -> str:
    """The stance figure's title, from ``stance_summary`` (it says 'mostly' only when
    more than half of the second side's statements were denials or explanations)."""
    a, b = sides
    head = f"{a}'s side made {s['first_accusing']} accusations and protests"
    if s["second_mostly_answered"]:
        return f"{head}; {b}'s mostly denied or explained"
    return f"{head}; {b}'s denied or explained {s['second_answering']} times"


MEASURES_TOPIC = "border_measures"


def reasons(statements: pd.DataFrame) -> pd.DataFrame:
    """Statements on the border measures: what each side said they were for."""
    return statements[statements["topic"] == MEASURES_TOPIC]


def table_of_statements(statements: pd.DataFrame) -> pd.DataFrame:
    """Statements as a reader needs them: when, who, what kind, what, and the evidence."""
    names = load.table("actors").set_index("actor_id")["name"]
    st = statements.sort_values(["date_start", "statement_id"], na_position="last")
    return pd.DataFrame(
        {
            "when": [
                records.date_label(a, b, p)
                for a, b, p in zip(
                    st["date_start"], st["date_end"], st["date_precision"], strict=True
                )
            ],
            "speaker": st["speaker_id"].map(names).to_numpy(),
            "kind": st["kind"].to_numpy(),
            "summary": st["summary"].to_numpy(),
            "sources": st["statement_id"].map(evidence_links("statements")).to_numpy(),
        }
    )


# ----------------------------------------------------------------------------- figures
def quantity_table(rows: pd.DataFrame) -> pd.DataFrame:
    """Chosen quantities as a reader needs them: what, the figure as worded, the note and
    the evidence (only these rows are read, so that a change elsewhere leaves the chapter
    alone)."""
    return pd.DataFrame(
        {
            "measure": rows["measure"].to_numpy(),
            "figure": [records.quantity_label(r) for _, r in rows.iterrows()],
            "note": rows["note"].to_numpy(),
            "sources": rows["quantity_id"].map(evidence_links("quantities")).to_numpy(),
        },
        index=rows["quantity_id"].to_numpy(),
    )


def _common_prefix(texts: list[str]) -> str:
    words = [t.split() for t in texts]
    common = []
    for group in zip(*words, strict=False):
        if len(set(group)) > 1:
            break
        common.append(group[0])
    return " ".join(common)


def paired(rows: pd.DataFrame) -> tuple[str, pd.Series, str]:
    """A before/after panel from quantities that share a measure's opening words: the
    panel title (those words, with the reports cited), the values labelled by the rest
    of each measure, and the unit."""
    measures = list(rows["measure"])
    head = _common_prefix(measures)
    labels = [m[len(head) :].strip() or m for m in measures]
    cited = evidence_links("quantities").reindex(rows["quantity_id"]).fillna("")
    reports = sorted(set(re.findall(r"\bR\d+\b", " ".join(cited))))
    title = f"{head} ({', '.join(reports)})" if reports else head
    units = rows["unit"].unique()
    if len(units) != 1:
        raise ValueError(f"one panel, one unit: {list(units)}")
    return title, pd.Series(list(rows["value"]), index=labels), units[0]


def change(rows: pd.DataFrame) -> float:
    """After over before, for two quantities in that order."""
    before, after_ = rows["value"].iloc[0], rows["value"].iloc[1]
    return after_ / before


def throughput_title(drop_pct: float, factor: float, approximate: bool = False) -> str:
    """The traffic figure's title, from the two changes it shows (``approximate`` when a
    figure behind the factor is itself approximate)."""
    about = "about " if approximate else ""
    return (
        f"The checks cut daily crossings by {drop_pct:.0f} %; "
        f"the road map multiplied the truck flow {about}{factor:.0f}-fold"
    )


# ----------------------------------------------------------------------------- register


def register_table(reg: pd.DataFrame) -> pd.DataFrame:
    """The register as the chapter shows it: the question, each answer with the sources
    that give it (cited), and between whom the answers conflict. An empty register gets
    a row of dashes, so that it reads as empty rather than broken."""
    kinds = load.table("questions").set_index("question_id")["kind"]
    answers = load.table("answers")
    rows = []
    for _, r in reg.iterrows():
        said: dict[str, list[str]] = {}
        for _, ans in answers[answers["question_id"] == r["question_id"]].iterrows():
            text = compare.describe(kinds[r["question_id"]], ans)
            said.setdefault(text, []).append(ans["source_id"])
        rows.append(
            {
                "question": r["question"],
                "answers (who gives them)": "; ".join(
                    f"{text} {{cite:p}}`{','.join(dict.fromkeys(ids))}`"
                    for text, ids in said.items()
                ),
                "between": "; ".join(BETWEEN.get(x, x) for x in r["between"].split(", ")),
            }
        )
    columns = ["question", "answers (who gives them)", "between"]
    if not rows:
        rows = [dict.fromkeys(columns, "—")]
    return pd.DataFrame(rows, columns=columns)


def _count(n: int, one: str, many: str) -> str:
    return f"{n:,} {one if n == 1 else many}"


def register_sentence(n_questions: int, n_register: int) -> str:
    """What the register holds, for any number of questions recorded on the chapter's
    claims (``n_questions``) and of questions with incompatible answers (``n_register``)."""
    if n_questions == 0:
        return (
            "No question on this chapter's claims has been recorded yet, so no two answers "
            "can be set against each other"
        )
    if n_questions == 1:
        can = "cannot all be true" if n_register else "can all be true"
        return f"The one question recorded on this chapter's claims has answers that {can}"
    if n_register == 0:
        return (
            f"Of the {n_questions:,} questions recorded on this chapter's claims, none has "
            "answers that cannot all be true"
        )
    verb = "has" if n_register == 1 else "have"
    return (
        f"Of the {n_questions:,} questions recorded on this chapter's claims, "
        f"{n_register:,} {verb} answers that cannot all be true"
    )


def corrections_sentence(corr: pd.DataFrame) -> str:
    """One sentence on the public record's corrections, right for any number."""
    if corr.empty:
        return (
            "On the questions recorded so far, the public record corrects no claim of the "
            "sources in this chapter"
        )
    return (
        f"On {_count(corr['question_id'].nunique(), 'question', 'questions')}, reports of the "
        f"public record contradict or refine what the sources say, on "
        f"{_count(corr['record'].nunique(), 'record', 'records')} of this chapter"
    )


def refs(frame: pd.DataFrame, table: str, key: str) -> set[str]:
    """The records of a frame as ``table:id`` references."""
    return {f"{table}:{r}" for r in frame[key]}


def corrections_for(corr: pd.DataFrame, used: set[str]) -> pd.DataFrame:
    """The corrections that bear on the records a section uses."""
    return corr[corr["record"].isin(used)].reset_index(drop=True)


def corrections_elsewhere(corr: pd.DataFrame, shown: set[str]) -> pd.DataFrame:
    """The corrections of records no section shows, so that each is given somewhere."""
    return corr[~corr["record"].isin(shown)].reset_index(drop=True)


def disagreeing_sources(phases: list[str]) -> list[str]:
    """The sources with an answer to these phases' questions that conflicts with
    another's, seeds first."""
    return compare.disagreeing_sources(compare.pairs(phases))


# ----------------------------------------------------------------------------- citations
def reports_of(table: str, ids: list[str]) -> list[str]:
    """The reports of the public record that are evidence for these records."""
    ev = load.table("evidence")
    hit = ev[(ev["table"] == table) & ev["record_id"].isin(ids)]
    return sorted({s for s in hit["source_id"] if s.startswith("R")}, key=lambda s: int(s[1:]))


def report_value(ref_id: str) -> str:
    """What a report of the public record reports, when it reports one thing: its value
    (and unit), as written."""
    public = load.table("public_record")
    rows = public[public["ref_id"] == ref_id]
    if len(rows) != 1:
        raise ValueError(f"{ref_id} reports {len(rows)} things, not one")
    row = rows.iloc[0]
    unit = "" if pd.isna(row["unit"]) else f" {row['unit']}"
    return f"{row['value']}{unit}".strip()


CITE = re.compile(r"\{cite:p\}`([^`]+)`")


def cited(texts) -> set[str]:
    """Every source id cited with ``{cite:p}`` in these texts."""
    out: set[str] = set()
    for text in texts:
        for group in CITE.findall(str(text)):
            out |= {s.strip() for s in group.split(",")}
    return out


def reports_bearing(shown: dict[str, set[str]]) -> set[str]:
    """The reports of the public record that bear on this chapter: those filed under its
    topic, and those that are evidence for a record it shows (``shown``: table -> ids)."""
    public = load.table("public_record")
    mine = set(public.loc[public["topic"] == PHASE, "ref_id"])
    ev = load.table("evidence")
    for table, ids in shown.items():
        hit = ev[(ev["table"] == table) & ev["record_id"].isin(ids)]
        mine |= {s for s in hit["source_id"] if s.startswith("R")}
    return mine


def pct(before: float, after_: float) -> float:
    """The fall from ``before`` to ``after_``, in percent of ``before``."""
    if before == 0 or math.isnan(before):
        raise ValueError("no fall from zero")
    return 100 * (1 - after_ / before)


def percent(value: float) -> str:
    """A percentage for prose, its sign kept with the figure (no-break space)."""
    return f"{value:,.0f}\u00a0%"


def tension(per_day: pd.DataFrame, half_life: float = 14.0) -> pd.Series:
    """A measure of the quarrel in which old events fade: each day, the Goldstein weights
    of all earlier events, each halved for every ``half_life`` days since it happened.
    Unlike a running total, it returns towards zero when nothing new happens."""
    days = pd.date_range(per_day.index.min(), per_day.index.max(), freq="D")
    daily = per_day["goldstein"].reindex(days, fill_value=0.0).to_numpy(dtype=float)
    keep = 0.5 ** (1 / half_life)
    level, out = 0.0, []
    for weight in daily:
        level = level * keep + weight
        out.append(level)
    return pd.Series(out, index=days, name="tension")


def tension_summary(level: pd.Series) -> dict:
    """When the fading measure was lowest, how low, and where and when it last crossed
    back above zero (None if it never did)."""
    low_day = level.idxmin()
    after = level[low_day:]
    above = after[after >= 0]
    return {
        "start_day": level.index[0],
        "low_day": low_day,
        "low": float(level.min()),
        "end_day": level.index[-1],
        "end": float(level.iloc[-1]),
        "back_day": above.index[0] if len(above) else None,
        "high_day": level.idxmax(),
        "high": float(level.max()),
    }


def tension_title(s: dict) -> str:
    """The escalation figure's title, from ``tension_summary``."""
    back = (
        f"back above zero by {s['back_day']:%-d %B}"
        if s["back_day"] is not None
        else ("still below zero at the end")
    )
    return f"Tension deepest on {s['low_day']:%-d %B} ({s['low']:.1f}), {back}"


def busiest_month(frame: pd.DataFrame) -> tuple[pd.Timestamp, int]:
    """The month (its first day) in which most of the events start, and how many."""
    counts = frame["date_start"].dt.to_period("M").value_counts().sort_index()
    month = counts.idxmax()
    return month.to_timestamp(), int(counts.max())


def autumn_title(frame: pd.DataFrame, busiest: tuple[pd.Timestamp, int]) -> str:
    """The labelled timeline's title: how many events, and how many in the busiest month."""
    first, last = frame["date_start"].min(), frame["date_end"].max()
    return (
        f"{busiest[1]} of the {len(frame)} events of {first:%B}–{last:%B %Y} "
        f"fall in {busiest[0]:%B}"
    )


# ----------------------------------------------------------------------------- map
CHECKPOINT = re.compile(r"\b([A-Z][a-z]+(?:-[A-Z][a-z]+)*) checkpoint\b")  # one field's words
AT_PLACE = re.compile(r"\bat ([A-Z][a-z]+(?:-[A-Z][a-z]+)+)\b")  # "at Chon-Kapka"


def _border_texts() -> pd.DataFrame:
    """The words of every border record that can name a place: the public record's
    subject, measure and note, and the quantities' measure and note (record, text)."""
    public = load.table("public_record")
    public = public[public["topic"] == PHASE]
    quantities = load.table("quantities")
    quantities = quantities[quantities["phase"] == PHASE]
    rows = []
    for table, frame, key, columns in (
        ("public_record", public, "ref_id", ["subject", "measure", "note"]),
        ("quantities", quantities, "quantity_id", ["measure", "note"]),
    ):
        for record, *texts in zip(frame[key], *(frame[c] for c in columns), strict=True):
            # Fields apart: no name may run from one field into the next.
            words = "\n".join(str(t) for t in texts if not pd.isna(t))
            rows.append({"table": table, "record": record, "text": words})
    return pd.DataFrame(rows, columns=["table", "record", "text"])


def named_places() -> pd.DataFrame:
    """The crossings and places at the border that the data names: a name the border
    records call a checkpoint ("Kordai checkpoint"), or a hyphenated name they count
    traffic at ("at Chon-Kapka"); with what the data calls it and every record that
    names it (reports of the public record, then quantities); the most often named
    first. The data gives no coordinates for any of them."""
    texts = _border_texts()
    checkpoints = {m for t in texts["text"] for m in CHECKPOINT.findall(t)}
    places = {m for t in texts["text"] for m in AT_PLACE.findall(t)}
    rows = []
    for name in sorted(checkpoints | places):
        word = re.compile(rf"\b{re.escape(name)}\b")
        hits = texts[texts["text"].map(lambda t, w=word: bool(w.search(t)))]
        reports = hits.loc[hits["table"] == "public_record", "record"]
        quantities = hits.loc[hits["table"] == "quantities", "record"]
        rows.append(
            {
                "place": name,
                "called": "checkpoint" if name in checkpoints else "place",
                "reports": ", ".join(sorted(set(reports), key=lambda s: int(s[1:]))),
                "quantities": ", ".join(sorted(set(quantities))),
            }
        )
    frame = pd.DataFrame(rows, columns=["place", "called", "reports", "quantities"])
    n_records = frame["reports"].str.count("R") + frame["quantities"].str.count("Q")
    return (
        frame.assign(_n=n_records)
        .sort_values(["_n", "place"], ascending=[False, True], kind="stable")
        .drop(columns="_n")
        .reset_index(drop=True)
    )


def place_lines(places: pd.DataFrame) -> list[str]:
    """One line per named place for the map's panel: the name, what the data calls it,
    and the records that name it."""
    out = []
    for _, p in places.iterrows():
        name = p["place"] if p["called"] == "place" else f"{p['place']} {p['called']}"
        records = ", ".join(x for x in (p["reports"], p["quantities"]) if x)
        out.append(f"{name}: {records}")
    return out


def map_layers(
    side_names: tuple[str, str], margin: float = 1.0, step: float = 0.03, inset: float = 0.3
) -> dict:
    """Everything the locator map draws, from the DCW outlines: the two sides (named as
    the actors table names them), every country whose outline reaches into the window
    around them, each cut down to that window, with a label point inside its largest
    visible piece; the part of the first side's outline the second shares; and what that
    part amounts to (its share of the first side's outline, and the side it lies on)."""
    codes = [boundaries.code_of(name) for name in side_names]
    a, b = (boundaries.outline(c) for c in codes)
    boxes = [o.bounds for o in (a, b)]
    box = (
        min(x[0] for x in boxes) - margin,
        min(x[1] for x in boxes) - margin,
        max(x[2] for x in boxes) + margin,
        max(x[3] for x in boxes) + margin,
    )
    west, south, east, north = box
    view = (west + inset, south + inset, east - inset, north - inset)
    lat0 = (south + north) / 2
    near = [  # countries (two-letter codes: the file also holds states and provinces)
        code
        for code, (w, s, e, n) in sorted(boundaries.all_bounds().items())
        if len(code) == 2 and code not in codes
        and w < east and e > west and s < north and n > south
    ]  # fmt: skip
    countries = []
    for code in [*codes, *near]:
        outline = a if code == codes[0] else b if code == codes[1] else boundaries.outline(code)
        pieces = [
            geography.clamp(p, box, step)
            for p, hole in zip(outline.polygons, outline.holes, strict=True)
            if not hole and geography.visible(p, box)
        ]
        pieces = [p for p in pieces if len(p) >= 3]
        if not pieces:
            continue
        label_at, area = geography.label_point(pieces, view, lat0)
        countries.append(
            {
                "code": code,
                "name": outline.name,
                "role": ("first", "second")[codes.index(code)] if code in codes else "context",
                "pieces": pieces,
                "label_at": label_at,
                "visible_area": area,
            }
        )
    shared = geography.shared_lines(a, b)
    own = geography.reference_latitude(a)
    return {
        "box": box,
        "view": view,
        "lat0": lat0,
        "countries": countries,
        "shared": shared,
        "share": 100 * geography.length(shared, own) / geography.perimeter(a),
        "side": geography.side(a, shared),
        "version": boundaries.version(),
    }


def map_title(layers: dict, side_names: tuple[str, str]) -> str:
    """The locator map's title: which side of the first country the second lies along,
    and what share of the first country's outline that border is."""
    a, b = side_names
    return (
        f"{b} runs along {a}'s {layers['side']}: the border between them is "
        f"{layers['share']:.0f} % of {a}'s outline"
    )


def place_sources(place: pd.Series) -> list[str]:
    """The sources behind one named place: the reports that name it, and the sources
    of the evidence for the quantities that name it (seeds first)."""
    ids = {s.strip() for s in place["reports"].split(",") if s.strip()}
    quantities = [q.strip() for q in place["quantities"].split(",") if q.strip()]
    if quantities:
        ev = load.table("evidence")
        ids |= set(ev.loc[(ev["table"] == "quantities") & ev["record_id"].isin(quantities),
                          "source_id"])  # fmt: skip
    return sorted(ids, key=lambda s: (s.startswith("R"), int(s[1:])))


def places_markdown(places: pd.DataFrame) -> str:
    """The named places as a Markdown list, each with its sources cited:
    "- Ak-Tilek checkpoint {cite:p}`R07,R09`"; a line saying so when there are none."""
    if places.empty:
        return "- (the data names no crossing or place at the border)"
    items = []
    for _, p in places.iterrows():
        name = p["place"] if p["called"] == "place" else f"{p['place']} {p['called']}"
        items.append(f"- {name} {{cite:p}}`{','.join(place_sources(p))}`")
    return "\n".join(items)
