"""The border chapter: its computations, the claims its figure titles make, its register
and corrections for any number of questions, and its citations of the public record."""

from __future__ import annotations

import csv
import json
import re

import matplotlib

matplotlib.use("agg")  # tests only; chapters must not call this

import matplotlib.pyplot as plt  # noqa: E402
import nbformat  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from nbclient import NotebookClient  # noqa: E402

from kgkz import paths  # noqa: E402
from kgkz.analysis import border, compare, records, selection  # noqa: E402
from kgkz.data import load  # noqa: E402
from kgkz.render import figures, notes, style  # noqa: E402

D = pd.Timestamp
NOTEBOOK = paths.book() / "border.ipynb"


@pytest.fixture(scope="module")
def chapter():
    """What the notebook computes, computed the same way."""
    pick = selection.Chapter("border")
    events = records.events()
    meeting = events.set_index("event_id").loc[pick.one("meeting")]
    start, end = meeting["date_start"], border.day_of(events, pick.one("settlement"))
    told = border.sources_end(events)
    sides = border.sides(meeting)
    statements = load.table("statements")
    return {
        "pick": pick,
        "events": events,
        "start": start,
        "end": end,
        "told": told,
        "sides": sides,
        "statements": statements,
        "sequence": border.sequence(events, start.year, told),
        "after": border.after(events, told, start.year),
        "reasons": border.reasons(statements),
        "across": border.across(statements, sides, start, end),
    }


# ----------------------------------------------------------------------------- selections
def test_every_choice_names_a_record():
    sel = load.table("selections")
    for _, row in sel[sel["chapter"] == "border"].iterrows():
        frame = load.table(row["table"])
        assert row["record_id"] in set(frame.iloc[:, 0]), (row["key"], row["record_id"])


def test_the_closure_keeps_both_dates_and_every_report_gives_the_later(chapter):
    """The prose says the checks began on the seed's day or a day later, 'by all the
    reports that date it': no report gives the seed's day."""
    pick, events = chapter["pick"], chapter["events"]
    ids = pick.ids("closure")
    days = {e: border.day_of(events, e) for e in ids}
    assert len(set(days.values())) == 2  # the seed's day and the public record's, both kept
    later = [e for e, d in days.items() if d == max(days.values())]
    assert border.reports_of("events", ids) == border.reports_of("events", later)
    assert border.reports_of("events", ids)


# ----------------------------------------------------------------------------- dates
def test_days_text_gives_every_count_the_sources_allow():
    assert border.days_text([D("2017-09-19")], [D("2017-10-09")]) == "20"
    both = border.days_text([D("2017-09-19")], [D("2017-10-09"), D("2017-10-10")])
    assert both == "20 or 21"
    assert border.days_text([D("2017-10-09"), D("2017-10-10")], [D("2017-12-03")]) == "54 or 55"


def test_the_sources_end_on_the_agreement_day(chapter):
    agreement = border.day_of(chapter["events"], chapter["pick"].one("agreement"))
    assert chapter["told"] == agreement


def test_the_sequence_and_what_followed_do_not_overlap(chapter):
    seq, after = chapter["sequence"], chapter["after"]
    assert not set(seq["event_id"]) & set(after["event_id"])
    assert (seq["date_end"] <= chapter["told"]).all()
    assert (after["date_end"] > chapter["told"]).all()
    events = chapter["events"]
    year = events[
        (events["phase"] == "border") & (events["date_start"].dt.year == chapter["start"].year)
    ]
    assert set(year["event_id"]) == set(seq["event_id"]) | set(after["event_id"])
    assert chapter["pick"].one("meeting") in set(seq["event_id"])
    assert chapter["pick"].one("settlement") in set(after["event_id"])


# ----------------------------------------------------------------------------- titles
def test_the_escalation_title_states_what_the_curve_shows(chapter):
    period = border.within(chapter["events"], chapter["start"], chapter["end"])
    per_day = records.escalation(period)
    s = border.escalation_summary(per_day)
    assert s["low"] == per_day["cumulative"].min() < 0
    assert s["low_day"] == per_day["cumulative"].idxmin()
    assert s["end"] == per_day["cumulative"].iloc[-1]
    assert s["recovered"] == pytest.approx(100 * (s["end"] - s["low"]) / -s["low"])
    assert 0 < s["recovered"] < 100  # won back part of the fall, not all of it
    title = border.escalation_title(s)
    assert f"{s['weeks_down']} weeks" in title and f"{s['recovered']:.0f} %" in title


def test_a_curve_that_never_falls_wins_nothing_back():
    flat = pd.DataFrame(
        {"goldstein": [1.0, 2.0], "events": [1, 1], "cumulative": [1.0, 3.0]},
        index=[D("2017-09-19"), D("2017-09-20")],
    )
    assert border.escalation_summary(flat)["recovered"] == 0.0


def test_mostly_in_the_stance_title_is_true_of_the_data(chapter):
    """'Kazakhstan's side mostly denied or explained': counted here without the function."""
    said, sides = chapter["across"], chapter["sides"]
    counts = border.stance_counts(said)
    s = border.stance_summary(counts, sides)
    second = said[(said["side"] == sides[1]) & said["kind"].isin(border.STANCE_KINDS)]
    answered = second["kind"].isin(["denial", "explanation"]).sum()
    assert s["second_answering"] == answered
    assert s["second_total"] == len(second)
    assert s["second_mostly_answered"] == (answered > len(second) / 2)
    title = border.stance_title(s, sides)
    assert ("mostly" in title) == s["second_mostly_answered"]
    first = said[(said["side"] == sides[0]) & said["kind"].isin(["accusation", "protest"])]
    assert f"made {len(first)} accusations and protests" in title


def test_the_stance_title_drops_mostly_when_it_is_not_true():
    counts = {
        "A": pd.DataFrame({"accusation": [3]}, index=["x"]),
        "B": pd.DataFrame({"accusation": [2], "denial": [1]}, index=["y"]),
    }
    s = border.stance_summary(counts, ("A", "B"))
    assert not s["second_mostly_answered"]
    assert "mostly" not in border.stance_title(s, ("A", "B"))


def test_statements_across_the_border_go_between_the_two_sides(chapter):
    said, sides = chapter["across"], chapter["sides"]
    assert set(said["side"]) == set(sides) and set(said["target_side"]) == set(sides)
    assert (said["side"] != said["target_side"]).all()
    assert said["date_start"].notna().all()


def test_the_throughput_title_computes_its_numbers(chapter):
    pick = chapter["pick"]
    checks, road_map = pick.rows("traffic_checks"), pick.rows("traffic_road_map")
    drop, factor = border.pct(*checks["value"]), border.change(road_map)
    before, during = checks["value"]
    assert drop == pytest.approx(100 * (before - during) / before)
    assert factor == road_map["value"].iloc[1] / road_map["value"].iloc[0]
    approximate = (road_map["comparator"] != "exact").any()
    title = border.throughput_title(drop, factor, approximate)
    assert f"{drop:.0f} %" in title and f"{factor:.0f}-fold" in title
    assert title.count("about") == int(approximate)


def test_a_panel_is_labelled_from_its_measures_and_reports(chapter):
    title, values, unit = border.paired(chapter["pick"].rows("traffic_checks"))
    assert re.search(r"\(R\d+\)$", title)
    assert len(values) == 2 and unit
    assert all(label and label not in title for label in values.index)


def test_the_new_plots_are_labelled():
    style.use()
    counts = pd.DataFrame({"accusation": [2, 1], "denial": [0, 1]}, index=["a", "b"])
    fig = figures.stacked_panels([("one", counts), ("two", counts.iloc[:1])], "T", "x", "y")
    assert style.is_labelled(fig)
    plt.close(fig)
    per = records.escalation(records.events(["border"]))
    fig = figures.escalation(per, pd.DataFrame(), "T", "x", "y")
    figures.day_marks(fig.axes[0], [per.index[0]], ["start"])
    assert style.is_labelled(fig) and fig.axes[0].texts[-1].get_text() == "start"
    plt.close(fig)


# ----------------------------------------------------------------------------- register
def test_register_and_correction_words_fit_any_number():
    assert border.register_sentence(0, 0).startswith("No question")
    assert border.register_sentence(1, 0).endswith("can all be true")
    assert border.register_sentence(1, 1).endswith("cannot all be true")
    assert "none has" in border.register_sentence(3, 0)
    assert "1 has answers" in border.register_sentence(3, 1)
    assert "2 have answers" in border.register_sentence(3, 2)
    empty = border.register_table(compare.register([]))
    assert list(empty.columns) == ["question", "answers (who gives them)", "between"]
    assert len(empty) == 1 and set(empty.iloc[0]) == {"—"}  # reads as empty, not broken
    none = compare.corrections().iloc[:0]
    assert "corrects no claim" in border.corrections_sentence(none)
    assert notes.corrections_markdown(none) == ""
    many = pd.DataFrame({"question_id": ["Q1", "Q1", "Q2"], "record": ["e:1", "e:1", "e:2"]})
    said = border.corrections_sentence(many)
    assert said.startswith("On 2 questions") and "on 2 records" in said
    assert border.listing([]) == "none" and border.listing(["S002", "R39"]) == "S002 and R39"


def test_the_register_cites_every_answer(chapter):
    reg = compare.register([border.PHASE])
    table = border.register_table(reg)
    if reg.empty:
        pytest.skip("no question of this chapter has incompatible answers yet")
    answers = load.table("answers")
    for qid, cell in zip(reg["question_id"], table["answers (who gives them)"], strict=True):
        sources = set(answers.loc[answers["question_id"] == qid, "source_id"])
        assert border.cited([cell]) == sources


def test_corrections_are_filtered_by_the_records_a_section_uses():
    corr = compare.corrections([border.PHASE])
    assert border.corrections_for(corr, set()).empty
    used = set(corr["record"])
    assert len(border.corrections_for(corr, used)) == len(corr)
    assert border.corrections_elsewhere(corr, used).empty
    assert len(border.corrections_elsewhere(corr, set())) == len(corr)


def _write(path, rows, head):
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f, lineterminator="\n").writerows([head, *rows])


def _read(path):
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    return rows[0], rows[1:]


def _run_chapter(root, monkeypatch) -> dict[str, str]:
    """Execute the chapter in a fresh kernel against the dataset in ``root``; return its
    glued values (texts without their quotes, Markdown as written)."""
    nb = nbformat.read(NOTEBOOK, as_version=4)
    monkeypatch.setenv("KGKZ_ROOT", str(root))  # the kernel inherits it
    monkeypatch.delenv("KGKZ_READ_LOG", raising=False)
    NotebookClient(nb, timeout=300, kernel_name="python3").execute()
    glued = {}
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            name = out.get("metadata", {}).get("scrapbook", {}).get("name")
            if not name:
                continue
            data = {k.split("/", 1)[-1] if k.count("/") > 1 else k: v
                    for k, v in out.get("data", {}).items()}  # fmt: skip
            data = {k.removeprefix("papermill.record/"): v for k, v in data.items()}
            if "text/markdown" in data:
                glued[name] = "".join(data["text/markdown"])
            else:
                glued[name] = "".join(data.get("text/plain", "")).strip("'\"")
    return glued


def _keep_questions(data, keep) -> None:
    """Keep only these questions (and their answers) in a copy of the dataset."""
    for name in ("questions", "answers"):
        head, rows = _read(data / f"{name}.csv")
        _write(data / f"{name}.csv", [r for r in rows if r[0] in keep], head)


def test_the_chapter_reads_right_with_no_question(project, monkeypatch):
    _keep_questions(project / "data", set())
    glued = _run_chapter(project, monkeypatch)
    assert glued["b_n_questions"] == "0"
    assert glued["b_register_says"].startswith("No question")
    assert "corrects no claim" in glued["b_corrections_says"]
    assert glued["b_n_disagreeing"] == "0" and glued["b_disagreeing"] == "none"
    for note in ("b_corr_sequence", "b_corr_reasons", "b_corr_after", "b_corr_elsewhere"):
        assert glued[note] == ""


def test_the_chapter_reads_right_with_one_question(project, monkeypatch):
    _keep_questions(project / "data", {"QU001"})
    glued = _run_chapter(project, monkeypatch)
    assert glued["b_n_questions"] == "1"
    assert glued["b_register_says"].startswith("The one question")
    assert "Where did Nazarbayev receive Babanov" in glued["b_corr_sequence"]
    assert glued["b_corr_after"] == ""


def test_the_chapter_reads_right_with_another_question(project, monkeypatch):
    """A question added to those recorded (the day of the Astana talks, answered
    differently by a seed and a report) joins the register and puts its correction
    beside the sequence table, which shows the record."""
    data = project / "data"
    n_before = len(compare.register([border.PHASE]))  # the register as the data stands
    head, rows = _read(data / "questions.csv")
    asked = sum(r[2] == "border" for r in rows)
    rows.append(["QU990", "date", "border", "On which day were the Astana talks held?", "", ""])
    _write(data / "questions.csv", rows, head)
    head, rows = _read(data / "answers.csv")
    blank = dict.fromkeys(head, "")
    for source, day in (("S001", "2017-10-18"), ("R87", "2017-10-19")):
        row = {**blank, "question_id": "QU990", "source_id": source, "table": "events"}
        row.update(record_id="EV050", date_start=day, date_end=day)
        rows.append([row[c] for c in head])
    _write(data / "answers.csv", rows, head)
    glued = _run_chapter(project, monkeypatch)
    assert glued["b_n_questions"] == str(n_before + 1)
    assert glued["b_register_says"].startswith(f"Of the {asked + 1} questions")
    assert "On which day were the Astana talks held?" in glued["b_corr_sequence"]
    assert "R87" in glued["b_disagreeing"]


# ----------------------------------------------------------------------------- citations
def test_every_report_bearing_on_the_chapter_is_cited(chapter):
    """Every report filed under the chapter's topic, or evidence for a record it shows,
    is cited: in the prose, or through the evidence links of a table it glues."""
    pick = chapter["pick"]
    figures_shown = border.quantity_table(pick.rows("figures"))
    shown = {
        "events": set(chapter["sequence"]["event_id"]) | set(chapter["after"]["event_id"]),
        "statements": set(chapter["reasons"]["statement_id"])
        | set(chapter["across"]["statement_id"]),
        "quantities": set(figures_shown.index),
    }
    cells = json.loads(NOTEBOOK.read_text(encoding="utf-8"))["cells"]
    prose = ["".join(c["source"]) for c in cells if c["cell_type"] == "markdown"]
    tables = [
        *border.event_table(chapter["sequence"])["sources"],
        *border.event_table(chapter["after"])["sources"],
        *border.table_of_statements(chapter["reasons"])["sources"],
        *figures_shown["sources"],
    ]
    missing = border.reports_bearing(shown) - border.cited(prose + tables)
    assert not missing, sorted(missing, key=lambda r: int(r[1:]))
