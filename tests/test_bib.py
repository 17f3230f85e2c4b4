from kgkz.data import load
from kgkz.render import bib


def test_references_bib_agrees_with_the_sources_table():
    assert bib.bibfile().read_text(encoding="utf-8") == bib.render(), (
        "run: python -m kgkz.render.bib"
    )


def test_one_entry_per_source():
    text = bib.render()
    for sid in load.table("sources")["source_id"]:
        assert text.count(f"@misc{{{sid},") == 1


def test_unknown_authors_are_not_invented():
    text = bib.render()
    assert "Unknown outlet (S001)" in text and "Unknown outlet (S003)" in text
