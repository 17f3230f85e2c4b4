"""The corrections a reader meets where a claim is used."""

from kgkz.analysis import compare
from kgkz.render import notes


def test_every_correction_is_in_the_note_with_both_sides_cited():
    corr = compare.corrections()
    md = notes.corrections_markdown(corr)
    assert md.startswith(":::{admonition}") and md.rstrip().endswith(":::")
    for _, row in corr.iterrows():
        assert row["report"] in md and row["source"] in md
    assert "events:" not in md  # records are shown by what they say, not by id


def test_no_corrections_no_note():
    assert notes.corrections_markdown(compare.corrections().iloc[0:0]) == ""
