from kgkz.render import sources_pages as sp


def test_escape_makes_markdown_literal():
    assert sp.escape("$ 100 *x* [a](b)") == r"\$ 100 \*x\* \[a\]\(b\)"


def test_overlapping_quotes_merge_into_one_highlight():
    out = sp.highlight("abc def ghi", ["abc def", "def ghi"])
    assert out == "[abc def ghi]{.evidence}"


def test_every_occurrence_is_highlighted():
    assert sp.highlight("a b a", ["a"]).count("{.evidence}") == 2


def test_pages_have_line_anchors_and_dimmed_boilerplate(tmp_path):
    pages = sp.render_all(tmp_path)
    assert [p.name for p in pages] == ["S000.md", "S001.md", "S002.md", "S003.md", "S004.md"]
    s002 = (tmp_path / "S002.md").read_text(encoding="utf-8")
    assert "(s002-l97)=" in s002
    assert ":::{container} boilerplate" in s002
    assert "{.evidence}" in s002
