"""The comparison rules: each verdict, from small fixtures."""

from __future__ import annotations

import pandas as pd
import pytest

from kgkz.analysis import compare
from kgkz.analysis.compare import Answer

D = pd.Timestamp


def dates(source, start, end=None):
    return Answer(source, date_start=D(start), date_end=D(end or start))


def fig(source, number, comparator="exact", as_of=None):
    return Answer(source, number=number, comparator=comparator, as_of=as_of and D(as_of))


@pytest.mark.parametrize(
    "a, b, verdict",
    [
        (dates("S001", "2017-10-09"), dates("R07", "2017-10-10"), "disagree"),
        (dates("S000", "2015-01-01", "2015-12-31"), dates("R36", "2015-08-12"), "refines"),
        (
            dates("S000", "2017-10-01", "2017-10-18"),
            dates("S001", "2017-10-10", "2017-10-31"),
            "agree",
        ),
        (dates("S000", "2017-10-15"), dates("S003", "2017-10-15"), "agree"),
    ],
)
def test_date_ranges_that_overlap_agree(a, b, verdict):
    assert compare.compare("date", a, b) == verdict


@pytest.mark.parametrize(
    "a, b, verdict",
    [
        (fig("S001", 54, "more_than"), fig("R01", 54.22), "refines"),  # "over 54%" and 54.22
        (fig("S001", 33, "a_bit_over"), fig("R01", 33.49), "refines"),
        (fig("S001", 56, "almost"), fig("R02", 55.93), "refines"),
        (fig("S001", 56, "almost"), fig("R02", 56.4), "disagree"),
        (fig("R03", 3.025), fig("R21", 3.025768), "refines"),  # a figure and its rounding
        (fig("S004", 5), fig("S004", 6), "disagree"),
        (fig("R11", 45), fig("R12", 45), "agree"),
        (fig("R01", 54), fig("R01", 54.22), "refines"),
    ],
)
def test_a_figure_and_its_rounding_agree(a, b, verdict):
    assert compare.compare("figure", a, b) == verdict


def test_counts_at_different_dates_are_a_series():
    a, b = fig("R24", 700, "more_than", "2017-11-01"), fig("R27", 500, as_of="2017-12-02")
    assert compare.compare("figure", a, b) == "series"


def test_values_agree_when_written_alike():
    assert compare.compare("place", Answer("S002", "Astana"), Answer("R43", "astana")) == "agree"
    assert compare.compare("place", Answer("S002", "Astana"), Answer("R39", "Almaty")) == "disagree"


def test_a_holders_change_of_stance_is_a_change():
    then = Answer("S000", "Russia must not interfere", holder="atambayev", said_on=D("2017-10-07"))
    now = Answer("S004", "Russia should help", holder="atambayev", said_on=D("2019-07-24"))
    assert compare.compare("judgement", then, now) == "change"
    other = Answer("S001", "Russia should help", holder="atambayev", said_on=D("2017-10-07"))
    assert compare.compare("judgement", then, other) == "disagree"


def test_an_answer_of_the_wrong_shape_is_refused():
    with pytest.raises(ValueError):
        compare.compare("figure", Answer("S000", "five"), fig("S004", 5))
    with pytest.raises(ValueError):
        compare.interval(5, "roughly")


def test_the_register_holds_only_questions_with_incompatible_answers():
    reg = compare.register()
    verdicts = compare.pairs()
    bad = set(verdicts.loc[verdicts["verdict"] == "disagree", "question_id"])
    assert set(reg["question_id"]) == bad
    for _, row in reg.iterrows():
        assert row["answers"].count("(") >= 2


def test_corrections_set_a_seed_against_a_report():
    corr = compare.corrections()
    assert (~corr["source"].str.startswith("R")).all()
    assert corr["report"].str.startswith("R").all()
    assert set(corr["correction"]) <= {"contradicts", "refines"}


def test_two_parties_stances_are_two_sides_not_a_disagreement():
    accuse = Answer("S000", "interfered", holder="kyrgyzstan", said_on=D("2017-10-07"))
    deny = Answer("R40", "did not interfere", holder="kazakhstan", said_on=D("2017-09-20"))
    assert compare.compare("judgement", accuse, deny) == "sides"
    assert compare.compare("cause", accuse, deny) == "sides"


def test_spellings_of_one_actor_agree():
    assert compare.compare("name", Answer("S000", "Zheenbekov"), Answer("S002", "Jeenbekov")) == (
        "agree"
    )
    assert compare.compare("actor", Answer("S000", "Utemuratov"), Answer("S001", "Nazarbayev")) == (
        "disagree"
    )


def test_a_round_figure_can_be_what_more_than_means():
    assert compare.compare("figure", fig("R76", 2), fig("S003", 2, "more_than")) in (
        compare.COMPATIBLE
    )
    assert compare.compare("figure", fig("R76", 2), fig("S003", 3, "more_than")) == "disagree"
