"""The method chapter's computations, for any number of questions (none included), and
the claims its figure titles, captions and prose make, checked with the functions the
chapter calls."""

from __future__ import annotations

import shutil

import pandas as pd
import pytest

from kgkz import paths
from kgkz.analysis import compare, coverage, method, summary
from kgkz.build import execute
from kgkz.render import publish

PAIRS = compare.pairs().columns


def pair(qid, verdict, sides, a="S000", b="R01"):
    return {"question_id": qid, "verdict": verdict, "sides": sides, "a_source": a, "b_source": b}


def pairs(*rows) -> pd.DataFrame:
    return pd.DataFrame(list(rows), columns=PAIRS)


# ----------------------------------------------------------------------------- wording
@pytest.mark.parametrize(
    ("n", "text"), [(0, "no question"), (1, "1 question"), (1200, "1,200 questions")]
)
def test_count_phrase(n, text):
    assert method.count_phrase(n, "question") == text


def test_cite_joins_ids_once():
    assert method.cite(["S002", "R39", "S002"]) == "{cite:p}`S002,R39`"
    assert method.cite([]) == ""


# ----------------------------------------------------------------------------- verdicts
def test_verdicts_are_counted_by_sides_with_zeros():
    p = pairs(
        pair("QU001", "agree", "source–report"),
        pair("QU001", "disagree", "report–report", "R39", "R43"),
        pair("QU002", "series", "report–report", "R24", "R27"),
    )
    counts = method.verdict_counts(p).set_index("verdict")
    assert list(counts.index) == list(method.VERDICTS)
    assert counts.at["agree", "source–report"] == 1
    assert counts.at["series", "report–report"] == 1
    assert counts.at["change", "pairs"] == 0
    assert counts["pairs"].sum() == len(p)
    assert method.compatible_pairs(p) == 2
    assert method.settled_questions(p) == ["QU002"]
    assert method.disagreeing_sources(p) == ["R39", "R43"]


def test_no_pairs_no_verdicts():
    empty = pairs()
    counts = method.verdict_counts(empty)
    assert counts["pairs"].sum() == 0 and len(counts) == len(method.VERDICTS)
    assert method.compatible_pairs(empty) == 0
    assert method.settled_questions(empty) == []
    assert method.disagreeing_sources(empty) == []


def test_the_chapters_verdict_counts_add_up():
    p = compare.pairs()
    counts = method.verdict_counts(p)
    assert counts["pairs"].sum() == len(p)
    assert counts[list(method.SIDES)].to_numpy().sum() == len(p)


# ----------------------------------------------------------------------------- register
def test_the_register_grid_counts_every_question_by_kind_and_sides():
    reg = compare.register()
    grid = method.register_grid(reg).set_index("kind")
    assert list(grid.index) == method.question_kinds()
    assert grid["questions"].sum() == len(reg)
    for _, row in reg.iterrows():
        for side in row["between"].split(", "):
            assert grid.at[row["kind"], side] >= 1


def test_an_empty_register_is_said_to_be_empty():
    reg = compare.register().iloc[0:0]
    grid = method.register_grid(reg)
    assert grid[[*method.SIDES, "questions"]].to_numpy().sum() == 0
    assert method.register_table(reg).empty
    assert method.register_sentence(reg).startswith("No question")


def test_the_register_sentence_counts_who_clashes():
    reg = pd.DataFrame(
        {
            "question_id": ["QU001", "QU002"],
            "kind": ["place", "date"],
            "between": ["report–report, source–report", "source–report"],
        }
    )
    text = method.register_sentence(reg)
    assert text.startswith("The register holds 2 questions whose answers")
    assert "2 set an article against a report" in text
    assert "1 sets two reports against each other" in text
    assert "two articles" not in text


def test_every_answer_of_the_register_is_cited():
    reg = compare.register()
    table = method.register_table(reg)
    answers = compare.pairs()
    for qid, cell in zip(reg["question_id"], table["answers"], strict=True):
        mine = answers[answers["question_id"] == qid]
        for sid in set(mine["a_source"]) | set(mine["b_source"]):
            assert sid in method.cited_keys(cell), (qid, sid)


def test_who_disagrees_names_the_articles_and_counts_the_reports():
    labels = {"S000": "112 Ukraine", "R39": "Times of Central Asia"}
    assert method.disagreeing_sentence([], labels).startswith("No two sources")
    text = method.disagreeing_sentence(["S000", "R39", "R43"], labels)
    assert "1 article (112 Ukraine (S000))" in text and "2 reports" in text
    assert "no article" in method.disagreeing_sentence(["R39", "R43"], labels)


# ----------------------------------------------------------------------------- corrections
def test_corrections_are_tabled_with_both_sides_cited():
    corr = compare.corrections()
    table = method.corrections_table(corr)
    keys = ["question_id", "source", "record", "source says", "correction", "report says"]
    assert len(table) == len(corr.drop_duplicates(keys))
    for said in table["the source says"]:
        assert len(method.cited_keys(said)) == 1
    reports = set().union(*(method.cited_keys(c) for c in table["the report says"]))
    assert reports == set(corr["report"])
    sources = set().union(*(method.cited_keys(c) for c in table["the source says"]))
    assert sources == set(corr["source"])


def test_no_corrections_are_said_to_be_none():
    empty = compare.corrections().iloc[0:0]
    assert method.corrections_table(empty).empty
    assert method.corrections_sentence(empty).startswith("No report")
    assert method.corrections_for(empty, ["events:EV000"]).empty


def test_corrections_are_filtered_by_record():
    corr = compare.corrections()
    mine = method.corrections_for(corr, corr["record"].head(1))
    assert set(mine["record"]) == set(corr["record"].head(1))
    assert method.corrections_for(corr, []).empty


# ----------------------------------------------------------------------------- citations
NOTEBOOK = {
    "cells": [
        {"cell_type": "markdown", "source": "As {cite:p}`S000,R01` say.\n```{glue:md} tbl_a\n"},
        {"cell_type": "markdown", "source": ["Also {cite:t}`R02` and {glue:md}`note_b:myst`."]},
        {"cell_type": "markdown", "source": ":::{table} x\n```{glue:md} tbl_method_unused\n```"},
        {
            "cell_type": "code",
            "source": "",
            "outputs": [
                {
                    "metadata": {"scrapbook": {"name": name}},
                    "data": {"application/papermill.record/text/markdown": md},
                }
                for name, md in [
                    ("tbl_a", "| a |\n| --- |\n| {cite:p}`R03` |"),
                    ("note_b", "see {cite:p}`R04, R05`"),
                    ("tbl_unpasted", "{cite:p}`R06`"),
                    ("tbl_method_unused", "{cite:p}`R07`"),
                ]
            ],
        },
    ]
}


def test_a_chapter_cites_its_prose_and_what_its_prose_pastes():
    assert method.citations(NOTEBOOK) == {"S000", "R01", "R02", "R03", "R04", "R05"}
    assert "R07" in method.citations(NOTEBOOK, skip=())


def test_unused_reports_are_those_cited_nowhere():
    everything = method.reports()
    assert method.unused_reports(everything) == []
    assert method.unused_reports([]) == everything
    assert method.unused_reports(everything[1:]) == everything[:1]


def test_the_unused_table_lists_each_report_with_its_note():
    listed = method.listed_unused()
    table = method.unused_table(listed)
    assert len(table) == len(listed)
    assert list(table["why no chapter uses it"]) == listed["note"].fillna("").tolist()
    assert method.unused_table(listed.iloc[0:0]).empty


@pytest.mark.parametrize("n", [0, 1, 14])
def test_the_unused_reports_are_worded_for_any_number(n):
    clause, sentence = method.unused_clause(n), method.unused_sentence(n)
    if n == 0:
        assert clause.startswith("every report") and sentence.startswith("No report")
    else:
        assert clause.startswith(method.count_phrase(n, "report"))
        assert sentence.startswith(method.count_phrase(n, "report"))
        assert (" is " in sentence) == (n == 1)


# ----------------------------------------------------------------------------- claims
def test_sentences_figure_claims_at_least_its_minimum_in_each_seed():
    """Title: "…at least N% in each seed"; alt text: backing segments fill most of every
    bar."""
    per = coverage.by_source()
    assert (per["share"] >= per["share"].min()).all()
    assert (per["share"] > 50).all()


def test_quotes_every_seed_is_quoted_and_the_longest_leads():
    """Prose: the longest article "alone supplies" the largest share of the quotes, and no
    seed goes unquoted."""
    per = summary.quotes_per_source().set_index("source_id")
    words = summary.corpus()["words"]
    assert (per["quotes"] > 0).all()
    assert per["quotes"].idxmax() == words.idxmax()
    assert (per["quotes"] == per["quotes"].max()).sum() == 1


def test_corroboration_most_events_rest_on_one_article():
    """Prose: confirmation is scarce; alt text: the single-seed bar is the longest."""
    corr = summary.corroboration("events")
    by = corr.groupby("seeds").size()
    single = by.get(1, 0)
    assert single > by.drop(1, errors="ignore").max()
    assert single > (corr["seeds"] >= 2).sum()


# ----------------------------------------------------------------------------- no questions
@pytest.fixture(scope="module")
def without_questions(tmp_path_factory):
    """A copy of the project in which questions.csv and answers.csv hold no row."""
    root = tmp_path_factory.mktemp("noquestions")
    for name in ("data", "seeds", "book"):
        shutil.copytree(paths.root() / name, root / name)
    for table in ("questions", "answers"):
        path = root / "data" / f"{table}.csv"
        head = path.read_text(encoding="utf-8").splitlines()[0]
        path.write_text(head + "\n", encoding="utf-8")
    return root


def test_the_chapter_runs_and_says_so_with_no_questions(without_questions, monkeypatch):
    monkeypatch.setenv("KGKZ_ROOT", str(without_questions))
    done = execute.execute_one(str(without_questions / "book" / "method.ipynb"))
    assert not done.error, done.error
    glued = {}
    for cell in done.notebook.cells:
        for out in cell.get("outputs", []):
            name = out.get("metadata", {}).get("scrapbook", {}).get("name")
            if name:
                glued[name] = "".join(out["data"].get(publish.GLUE_PREFIX + "text/plain", ""))
    assert glued["r_questions"] == "'no question'"
    assert glued["r_summary"].startswith("'No question")
    assert glued["c_summary"].startswith("'No report")
    assert glued["v_pairs"] == "'no pair'"
    assert glued["x_sides"] == "'No two sources give incompatible answers.'"
