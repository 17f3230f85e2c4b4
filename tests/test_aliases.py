from __future__ import annotations

import pandas as pd
import pytest

from kgkz.data import aliases

TABLE = pd.DataFrame(
    {
        "alias": ["Almazbek Atambayev", "Atambayev", "Atambaev", "IS", "SDP", "SDPK", "Russia"],
        "actor_id": ["atambayev", "atambayev", "atambayev", "isil", "sdpk", "sdpk", "russia"],
    }
)


def test_a_full_name_counts_once():
    assert aliases.count_mentions("Almazbek Atambayev met Atambaev.", TABLE) == {"atambayev": 2}


def test_aliases_match_whole_words_only():
    text = "THIS IS it; Russian Russia's SDPK SDP"
    assert aliases.count_mentions(text, TABLE) == {"isil": 1, "russia": 1, "sdpk": 2}


def test_possessives_count():
    assert aliases.count_mentions("Atambayev’s speech", TABLE) == {"atambayev": 1}


def test_resolve_names_aliases_and_ids():
    assert aliases.resolve("Zhe’enbekov") == "jeenbekov"
    assert aliases.resolve("Sooronbay Jeenbekov") == "jeenbekov"
    assert aliases.resolve("putin") == "putin"


def test_an_unknown_actor_is_an_error():
    with pytest.raises(aliases.UnknownActorError, match="Zhenbekoff"):
        aliases.resolve("Zhenbekoff")


def test_mention_matrix_counts_from_the_seeds():
    m = aliases.mention_matrix()
    assert list(m.columns) == ["S000", "S001", "S002", "S003", "S004"]
    assert m.loc["atambayev", "S000"] > 10
    # "So’oronbay Zhe’enbekov" once, "Zhe’enbekov" alone four times.
    assert m.loc["jeenbekov", "S001"] == 5
    # Boilerplate is left out: the Eurasianet menu names Russia, the article does not.
    assert aliases.mention_matrix(body_only=False).loc["russia", "S002"] > m.loc["russia", "S002"]


# ----------------------------------------------------------------------------- mentions
FINDER = aliases.MentionFinder(
    {"Almazbek Atambayev": "atambayev", "Atambayev": "atambayev", "Russia": "russia", "IS": "isil"}
)


def _found(text: str) -> list[tuple[str, str]]:
    return [(text[m.start : m.end], m.actor_id) for m in FINDER.mentions(text)]


def test_a_mention_is_the_longest_spelling_across_a_line_break():
    assert _found("Almazbek\nAtambayev met Atambayev’s men") == [
        ("Almazbek\nAtambayev", "atambayev"),
        ("Atambayev", "atambayev"),
    ]


def test_mentions_are_whole_words_only():
    assert _found("THIS IS Russian; Russia") == [("IS", "isil"), ("Russia", "russia")]


def test_first_mentions_keep_one_per_actor_in_reading_order():
    found = FINDER.first_mentions("Russia, Atambayev, Russia, Almazbek Atambayev")
    assert [(m.start, m.actor_id) for m in found] == [(0, "russia"), (8, "atambayev")]


def test_spellings_include_the_canonical_names():
    spelled = aliases.spellings()
    assert spelled["Zhe’enbekov"] == "jeenbekov"
    # the book writes canonical names no source uses
    assert spelled["Central Election Commission of Kyrgyzstan"] == "kg_cec"
    assert spelled["Respublika–Ata-Zhurt"] == "ata_zhurt"
