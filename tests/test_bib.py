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


def _style_and_entry():
    from pybtex.database import parse_string
    from pybtex.plugin import find_plugin

    bib.register_styles()
    style = find_plugin("pybtex.style.formatting", "kgkz")()
    data = parse_string(bib.render(), "bibtex")
    return style, data.entries["S001"], data


def test_an_entry_is_formatted_once_and_again_when_what_it_says_changes():
    from pybtex.backends.plaintext import Backend

    style, entry, _ = _style_and_entry()
    bib.FORMATTED.clear()
    first = style.format_entry("A, 2017", entry)
    assert style.format_entry("A, 2017", entry) is first  # kept
    assert style.format_entry("B, 2017", entry) is not first  # another label
    entry.fields["title"] = "Another title"
    changed = style.format_entry("A, 2017", entry)
    assert changed is not first
    assert "Another title" in changed.text.render(Backend())
    assert "Another title" not in first.text.render(Backend())


def test_the_formatted_entries_a_build_used_are_kept_for_the_next():
    from types import SimpleNamespace

    from kgkz.render import sphinxext

    style, entry, _ = _style_and_entry()
    env = SimpleNamespace()
    sphinxext._recall_formatted_entries(None, env, [])
    style.format_entry("A, 2017", entry)
    style.format_entry("B, 2017", entry)
    sphinxext._keep_formatted_entries(None, env)
    assert len(env.kgkz_formatted_entries) == 2
    # The next build asks for one of them: it is recalled, the other is dropped.
    sphinxext._recall_formatted_entries(None, env, [])
    kept = env.kgkz_formatted_entries
    assert style.format_entry("A, 2017", entry) in kept.values()
    sphinxext._keep_formatted_entries(None, env)
    assert len(env.kgkz_formatted_entries) == 1
