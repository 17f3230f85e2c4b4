"""The background chapter's claims, checked with the functions the chapter uses."""

from __future__ import annotations

import pandas as pd
import pytest

from kgkz.analysis import background, compare, selection
from kgkz.data import aliases, load
from kgkz.render import figures, notes, style

T = pd.Timestamp


@pytest.fixture(scope="module")
def events() -> pd.DataFrame:
    return background.events()


@pytest.fixture(scope="module")
def pick() -> selection.Chapter:
    return selection.Chapter("background")


# ----------------------------------------------------------------------------- choices
def test_every_choice_of_the_chapter_names_existing_records(pick):
    sel = load.table("selections")
    for key in sel.loc[sel["chapter"] == "background", "key"].unique():
        for ref in pick.refs(key):
            table, _, rid = ref.partition(":")
            frame = load.table(table)
            assert rid in set(frame.iloc[:, 0]), f"{key}: no {ref}"


# ----------------------------------------------------------------------------- support
def test_the_main_teller_supports_most_events_and_most_of_them_alone(events):
    """Figure title: "<seed> supports n of the N background events, k of them alone"."""
    support = background.support_by_source(events)
    sid, total, alone = background.main_teller(support)
    seeds_total = support.drop(index=background.REPORT).sum(axis=1)
    assert total == seeds_total.max() == sum(sid in s for s in events["seeds"])
    assert alone == sum(
        s == [sid] and not r for s, r in zip(events["seeds"], events["reports"], strict=True)
    )
    assert total > len(events) / 2 and alone > total / 2


def test_support_counts_add_up(events):
    count = background.counts(events)
    assert count["events"] == len(events)
    assert count["reported"] == count["seed_and_report"] + count["report_only"]
    unsupported = [not s and not r for s, r in zip(events["seeds"], events["reports"], strict=True)]
    assert not any(unsupported)


def test_support_by_source_counts_each_event_once_per_source():
    ev = pd.DataFrame(
        {
            "seeds": [["S000"], ["S000", "S002"], [], ["S001"]],
            "reports": [[], [], ["R01"], ["R02"]],
        }
    )
    support = background.support_by_source(ev)
    assert support.loc["S000"].tolist() == [1, 1]
    assert support.loc["S001"].tolist() == [0, 1]
    assert support.loc[background.REPORT].tolist() == [1, 1]


def test_who_an_event_involves(events, pick):
    neighbour = pick.one("neighbour")
    involved = events[background.involving(events, neighbour)]
    country = load.table("actors").set_index("actor_id")["country"]
    home = country[neighbour]
    for _, ev in involved.iterrows():
        assert home in {country.get(ev["actor_id"]), country.get(ev["target_id"])}
    focus = pick.one("other_focus")
    about = events[background.about(events, focus)]
    assert ((about["actor_id"] == focus) | (about["target_id"] == focus)).all()


# ----------------------------------------------------------------------------- conflict
def test_conflict_peaks_in_one_year_that_outweighs_all_others(events):
    """Figure title: "Conflict ... peaks in <year> ..., more than all other years together"."""
    by_year = background.conflict_by_year(events)
    year, peak, rest = background.conflict_peak(by_year)
    assert peak == by_year.min() and peak < 0
    assert background.peak_outweighs_the_rest(by_year)
    assert abs(peak) > abs(rest)


def test_the_peak_years_conflict_is_the_revolution_and_the_blockade(events, pick):
    """The answer names the revolution and the blockade as the peak year's conflict."""
    year, _, _ = background.conflict_peak(background.conflict_by_year(events))
    assert sorted(background.conflict_in(events, year)["event_id"]) == sorted(
        pick.ids("peak_events")
    )


def test_conflict_by_year_leaves_out_events_spanning_years():
    ev = pd.DataFrame(
        {
            "goldstein": [-2.0, -9.5, 3.0, -4.0],
            "date_start": [T("2010-01-01"), T("2010-04-01"), T("2010-05-01"), T("2011-01-01")],
            "date_end": [T("2010-12-31"), T("2010-04-30"), T("2010-05-01"), T("2017-10-15")],
        }
    )
    assert background.conflict_by_year(ev).to_dict() == {2010: -11.5}


# ----------------------------------------------------------------------------- the remark
def test_the_blockade_remark_has_two_dates_that_cannot_both_be_right(pick):
    """Prose: by the rule for dates the seed's and the public record's dates disagree."""
    verdict = background.date_verdict(pick.one("remark_seed"), pick.one("remark_report"))
    assert verdict == "disagree"
    assert background.VERDICT_WORDS[verdict] == "cannot both be right"
    table = background.dated_records(pick.refs("blockade"))
    assert list(table["record"]) == pick.refs("blockade")
    assert (table["sources"] != "").all()


def test_the_refuge_is_dated_by_a_window_not_a_year(pick):
    start, end = background.date_range(pick.refs("refuge")[0])
    assert start.year < end.year


# ----------------------------------------------------------------------------- cast
def test_cast_in_every_source_and_in_one_only():
    """Figure title: "Of the n most-named actors, k are named in every source and m in one
    source only"."""
    m = pd.DataFrame(
        {"S000": [9, 4, 3, 0], "S001": [5, 0, 2, 1], "S002": [1, 0, 0, 0]},
        index=["a", "b", "c", "d"],
    )
    assert background.named_everywhere(m, 3) == ["a"]
    assert background.single_source_cast(m, 3).to_dict() == {"b": "S000"}
    assert background.single_source_cast(m, 4).to_dict() == {"b": "S000", "d": "S001"}


def test_the_real_cast_claims_hold():
    matrix = aliases.mention_matrix()
    core = background.named_everywhere(matrix, 15)
    cast = background.single_source_cast(matrix, 15)
    assert core and len(cast)
    assert (matrix.loc[core] > 0).all(axis=None)
    for actor, source in cast.items():
        assert (matrix.loc[actor] > 0).sum() == 1 and matrix.at[actor, source] > 0


def test_spellings_are_those_the_seeds_use(pick):
    table = background.spellings(pick.one("spelled"))
    assert len(table) > 1 and (table.sum(axis=1) > 0).all()
    assert list(table.columns) == load.seed_ids()


# ----------------------------------------------------------------------------- the record
def test_every_report_that_bears_on_the_chapter_is_linked_from_its_tables(events, pick):
    reports = background.reports()
    topical = load.table("public_record").query("topic == 'background'")["ref_id"]
    assert set(topical) <= set(reports)
    linked = background.cited(
        reports,
        background.events_table(events)["sources"].str.cat(sep=" "),
        background.dated_records(pick.refs("blockade"))["sources"].str.cat(sep=" "),
        background.figures_table()["sources"].str.cat(sep=" "),
    )
    assert linked == reports


def test_citations_are_read_and_written_alike():
    text = "see {cite:p}`R01,R32` and {cite:p}`R69`; not R70"
    assert background.cited(["R01", "R32", "R69", "R70"], text) == ["R01", "R32", "R69"]
    assert background.citation(["R01", "R32"]) == "{cite:p}`R01,R32`"
    assert background.citation([]) == ""


# ----------------------------------------------------------------------------- register
QUESTIONS = ["question_id", "kind", "phase", "question", "unit", "note"]
ANSWERS = ["question_id", "source_id", "table", "record_id", "value", "number", "comparator",
           "as_of", "date_start", "date_end", "holder", "said_on", "note"]  # fmt: skip


def _date_answer(qid, source, record, start, end=None):
    return {
        "question_id": qid,
        "source_id": source,
        "table": "events",
        "record_id": record,
        "date_start": T(start),
        "date_end": T(end or start),
    }


CASES = {
    "none": ([], []),
    "one": (
        [
            {
                "question_id": "QU900",
                "kind": "date",
                "phase": "background",
                "question": "When did Atambayev recall the 2010 blockade?",
            }
        ],  # fmt: skip
        [
            _date_answer("QU900", "S000", "EV014", "2016-01-01", "2016-12-31"),
            _date_answer("QU900", "R67", "EV230", "2017-02-17"),
        ],
    ),
    "several": (
        [
            {
                "question_id": "QU900",
                "kind": "date",
                "phase": "background",
                "question": "When did Atambayev recall the 2010 blockade?",
            },
            {
                "question_id": "QU901",
                "kind": "date",
                "phase": "background",
                "question": "When did Kyrgyzstan join the Eurasian Economic Union?",
            },
            {
                "question_id": "QU902",
                "kind": "date",
                "phase": "border",
                "question": "A question of another chapter",
            },
        ],  # fmt: skip
        [
            _date_answer("QU900", "S000", "EV014", "2016-01-01", "2016-12-31"),
            _date_answer("QU900", "R67", "EV230", "2017-02-17"),
            _date_answer("QU901", "S000", "EV013", "2015-01-01", "2015-12-31"),
            _date_answer("QU901", "R36", "EV013", "2015-08-12"),
            _date_answer("QU901", "S001", "EV013", "2014-01-01", "2014-12-31"),
            _date_answer("QU902", "S001", "EV037", "2017-10-09"),
            _date_answer("QU902", "R07", "EV037", "2017-10-10"),
        ],
    ),
}


@pytest.fixture(params=list(CASES))
def answered(request, monkeypatch):
    """The chapter's register and corrections with none, one or several questions."""
    questions, answers = CASES[request.param]
    q = pd.DataFrame(questions, columns=QUESTIONS)
    a = pd.DataFrame(answers, columns=ANSWERS)
    for col in ("as_of", "date_start", "date_end", "said_on"):
        a[col] = pd.to_datetime(a[col])
    a["number"] = a["number"].astype("float64")
    original = load.table
    fake = {"questions": q, "answers": a}
    monkeypatch.setattr(
        load, "table", lambda name: fake[name].copy() if name in fake else original(name)
    )
    return request.param


def test_the_register_and_its_sentence_are_right_for_any_number_of_questions(answered):
    register = compare.register(["background"])
    expected = {"none": 0, "one": 1, "several": 2}[answered]
    assert len(register) == expected
    table = background.register_table(register)
    assert list(table.columns) == ["question", "answers", "disagreement between"]
    assert len(table) == max(expected, 1)  # never empty: an empty table cannot be typeset
    sentence = background.register_sentence(register)
    if expected == 0:
        assert sentence == "No question of this chapter has answers that disagree."
    else:
        assert sentence.startswith(f"This chapter has {expected} question")


def test_corrections_land_in_the_section_that_uses_the_record(answered, pick):
    corrections = compare.corrections(["background"])
    blockade = background.corrections_for(corrections, pick.refs("blockade"))
    note = background.corrections_note(notes.corrections_markdown(blockade))
    if answered == "none":
        assert corrections.empty and note == background.NO_CORRECTION
    else:
        assert list(blockade["record"]) == ["events:EV014"]
        assert list(blockade["correction"]) == ["contradicts"]
        assert "admonition" in note and "R67" in note
    rest = background.unplaced(corrections, [pick.refs("blockade")])
    assert len(rest) + len(blockade) == len(corrections)
    if answered == "several":  # the EAEU year: refined by R36, contradicted by nothing
        assert set(rest["record"]) == {"events:EV013"}
        assert "QU902" not in set(corrections["question_id"])


# ----------------------------------------------------------------------------- figures
def test_the_chapters_plots_are_labelled():
    frame = pd.DataFrame({"alone": [3, 1], "shared": [1, 0]}, index=["S000", "S001"])
    fig = figures.stacked_hbars(frame, "S000 supports 4", "events", "source")
    assert style.is_labelled(fig)
    ev = pd.DataFrame(
        {
            "actor": ["a", "b"],
            "mid": [T("2010-06-01"), T("2016-06-01")],
            "date_start": [T("2010-01-01"), T("2016-01-01")],
            "date_end": [T("2010-12-31"), T("2016-12-31")],
            "goldstein": [-9.5, float("nan")],
        }
    )
    fig = figures.timeline_weighted(ev, "actor", "Conflict peaks in 2010", "year", "actor")
    assert style.is_labelled(fig)
    assert [t.get_text() for t in fig.axes[0].texts] == ["-9.5"]
