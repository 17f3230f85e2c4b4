import re

import pandas as pd

from kgkz.analysis import links
from kgkz.data import load
from kgkz.render import names_page
from kgkz.render import sources_pages as sp


def q(eid: str, text: str, line: str, table: str = "events", record: str = "EV001") -> sp.Quote:
    return sp.Quote(eid, table, record, text, 1, line.find(text))


def test_escape_makes_markdown_literal():
    assert sp.escape("$ 100 *x* [a](b)") == r"\$ 100 \*x\* \[a\]\(b\)"


def test_overlapping_quotes_merge_into_one_highlight():
    out = sp.highlight("abc def ghi", ["abc def", "def ghi"])
    assert out == "[abc def ghi]{.evidence}"


def test_every_occurrence_is_highlighted():
    assert sp.highlight("a b a", ["a"]).count("{.evidence}") == 2


def test_each_quote_gets_its_own_anchor():
    line = "one two three four"
    out = sp.mark_line(line, [q("X2", "two three", line), q("X1", "one two three four", line)])
    assert out == "[one [two three]{#x2 .evidence} four]{#x1 .evidence}"


def test_the_same_words_quoted_twice_keep_an_element_each():
    line = "a b a"
    out = sp.mark_line(line, [q("X1", "a", line), q("X2", "a", line)])
    assert out == "[[a]{#x2 .evidence}]{#x1 .evidence} b [a]{.evidence}"


def test_a_quote_that_crosses_another_is_cut_in_pieces_that_name_it():
    line = "abc def ghi"
    out = sp.mark_line(line, [q("X1", "abc def", line), q("X2", "def ghi", line)])
    assert out == "[abc [def]{#x2 .evidence}]{#x1 .evidence}[ ghi]{.evidence .part-x2}"


def test_other_occurrences_never_split_an_anchored_quote():
    line = "one two three four"
    out = sp.mark_line(line, [q("X3", "two three", line)], ["three four", "one"])
    assert "[two three]{#x3 .evidence}" in out
    assert out.count("{.evidence}") == 2  # "one" and " four"


def test_nest_keeps_every_character_once():
    spans = [(0, 5, "a"), (3, 9, "b"), (4, 6, None), (7, 12, "c")]
    marks = sp.nest(spans)

    def walk(ms):
        for m in ms:
            yield m
            yield from walk(m.children)

    for m in walk(marks):
        for child in m.children:
            assert m.start <= child.start < child.end <= m.end
    assert {m.anchor for m in walk(marks) if m.anchor} == {"a", "b", "c"}


def test_pages_have_line_and_quote_anchors_and_fold_the_furniture(tmp_path):
    pages = sp.render_all(tmp_path)
    assert [p.name for p in pages] == ["S000.md", "S001.md", "S002.md", "S003.md", "S004.md"]
    s002 = (tmp_path / "S002.md").read_text(encoding="utf-8")
    assert "(s002-l97)=" in s002
    assert '<details class="furniture"><summary>site menu (lines 1–94)</summary>' in s002
    assert ":::::{container} boilerplate" in s002
    assert "{.evidence}" in s002 or ".evidence}" in s002
    ev = load.table("evidence")
    mine = ev[(ev["source_id"] == "S002") & ev["quote"].notna()]
    for eid in mine["evidence_id"]:
        assert f"{{#{links.quote_anchor(eid)} .evidence}}" in s002, eid


def test_each_quote_lists_the_records_it_is_cited_for(tmp_path):
    sp.render_all(tmp_path)
    s000 = (tmp_path / "S000.md").read_text(encoding="utf-8")
    ev = load.table("evidence")
    row = ev[(ev["source_id"] == "S000") & ev["quote"].notna()].iloc[0]
    anchor = links.quote_anchor(row["evidence_id"])
    assert f"[{sp.escape(row['table'])} {sp.escape(row['record_id'])}]{{#cite-{anchor} " in s000
    assert f"](#{anchor})" in s000  # the quote's first words link to it


def test_a_snippet_tells_apart_quotes_that_begin_alike():
    assert sp.snippet("On 9 October, Astana sealed the border with Kyrgyzstan") == (
        "On 9 October, Astana … with Kyrgyzstan"
    )
    assert sp.snippet("short quote") == "short quote"


def test_records_are_described_in_a_few_words():
    assert sp.describe("events", pd.Series({"summary": "Something happens."})) == (
        "Something happens."
    )
    assert sp.describe("actors", pd.Series({"name": "Nur Otan"})) == "Nur Otan"
    assert sp.describe("x", None) == ""


def test_index_of_names_has_every_actor_and_spelling(tmp_path):
    path = names_page.render(tmp_path)
    text = path.read_text(encoding="utf-8")
    for actor in load.table("actors")["actor_id"]:
        assert f"({names_page.anchor(actor)})=" in text
    for alias in load.table("aliases")["alias"]:
        assert f"*{sp.escape(alias)}*" in text, alias
        assert re.search(rf"!(single|see): {re.escape(alias)}[;\n]", text), alias


def test_spellings_count_where_each_seed_writes_them():
    uses = names_page.uses("Jeenbeko", {"A": "Sooronbai Jeenbeko said", "B": "Jeenbekov"})
    assert uses == {"A": 1}
