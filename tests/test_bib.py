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
    for sid in ("S001", "S003", "S004"):  # unsigned: no person stands in the author field
        entry = text.split(f"@misc{{{sid},")[1].split("\n}")[0]
        assert "author = {{" in entry


def test_the_book_can_be_cited():
    import yaml

    from kgkz import paths

    cff = yaml.safe_load((paths.root() / "CITATION.cff").read_text(encoding="utf-8"))
    config = yaml.safe_load((paths.root() / "_config.yml").read_text(encoding="utf-8"))
    assert cff["cff-version"] == "1.2.0"
    assert cff["title"] == config["title"]
    assert cff["authors"][0]["name"] == config["author"]


def test_unsigned_sources_are_cited_by_what_they_are_and_their_best_date():
    text = bib.render()
    assert "Unknown outlet" not in text
    assert "author = {{Untitled analysis}}" in text and "year = {after Oct 2017}" in text
