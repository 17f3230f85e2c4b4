"""Sentence coverage: every sentence of every seed accounted for, counted per seed."""

from __future__ import annotations

import pandas as pd

from kgkz.analysis import coverage
from kgkz.data import load


def test_the_table_holds_exactly_the_sentences_of_the_seeds():
    """What the chapter claims: every sentence accounted for, none invented."""
    assert coverage.unaccounted().empty, coverage.unaccounted().head(10).to_string()


def test_a_sentence_missing_from_the_table_is_found():
    s = coverage.sentences()
    gap = coverage.unaccounted(s.iloc[1:])
    assert gap["problem"].tolist() == ["missing"]
    assert gap["text"].iloc[0] == s["text"].iloc[0]


def test_a_sentence_backs_a_record_when_it_names_one_of_an_evidenced_table():
    s = coverage.sentences()
    assert not s.loc[s["records"].isna(), "backs_record"].any()
    assert not s.loc[s["basis"] == "metadata", "backs_record"].any()  # sources only
    assert s.loc[s["basis"] == "supports", "backs_record"].all()


def test_counts_per_seed_add_up():
    s = coverage.sentences()
    per = coverage.by_source(s)
    assert list(per.index) == load.seed_ids()
    assert list(per.columns[: len(coverage.bases())]) == coverage.bases()
    assert (per[coverage.bases()].sum(axis=1) == per["sentences"]).all()
    assert per["sentences"].sum() == len(s)
    assert per["backs_record"].sum() == s["backs_record"].sum()
    assert (per["share"] == 100 * per["backs_record"] / per["sentences"]).all()


def test_the_no_record_list_is_the_complement_of_the_backing_sentences():
    s = coverage.sentences()
    none = coverage.no_record(s)
    assert len(none) == (~s["backs_record"]).sum()
    assert none["source"].str.startswith("{ref}`S00").all()
    assert (none["reason"] != "").all(), "a sentence that backs no record needs a reason"


def test_coverage_of_an_empty_table_is_zero():
    empty = coverage.sentences().iloc[0:0]
    assert coverage.share_backing(empty) == 0.0
    per = coverage.by_source(empty)
    assert (per["sentences"] == 0).all() and (per["share"] == 0).all()
    assert coverage.no_record(empty).empty


def test_share_backing_is_the_mean():
    frame = pd.DataFrame({"backs_record": [True, True, False, True]})
    assert coverage.share_backing(frame) == 75.0


def test_the_basis_table_reads_down_each_seed():
    per = coverage.by_source()
    table = coverage.basis_table(per).set_index("what the sentence yields")
    assert list(table.columns) == [*load.seed_ids(), "all"]
    assert table.at["sentences", "all"] == per["sentences"].sum()
    bases = [b.replace("_", " ") for b in coverage.bases()]
    assert (table.loc[bases].sum() == table.loc["sentences"]).all()
    share = table.loc["share backing a record (%)"]
    assert share["all"] == round(coverage.share_backing())
