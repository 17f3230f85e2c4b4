"""The sentence splitter: the units the coverage table accounts for."""

from kgkz.data import sentences


def test_splits_at_full_stops_and_keeps_closing_quotes():
    line = 'He accused them of "tuft-hunting." The border closed. Why?'
    assert sentences.split(line) == [
        'He accused them of "tuft-hunting."',
        "The border closed.",
        "Why?",
    ]


def test_titles_initials_and_list_numbers_do_not_end_a_sentence():
    assert sentences.split("Mr. Babanov met Gen. A. Smith in Dec. 2017.") == [
        "Mr. Babanov met Gen. A. Smith in Dec. 2017."
    ]
    assert sentences.split("  1. Prevent persecution of his supporters;") == [
        "1. Prevent persecution of his supporters;"
    ]


def test_blank_lines_hold_no_sentence():
    assert sentences.split("   ") == []
