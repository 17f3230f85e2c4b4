"""Index the chapters by name: an index entry before each actor's mention."""

from docutils import nodes
from sphinx import addnodes

from kgkz.render import name_index


def _doc(*paragraphs: nodes.paragraph) -> nodes.section:
    doc = nodes.section()
    for p in paragraphs:
        doc += p
    return doc


def _entries(node: nodes.Node) -> list[tuple[str, str]]:
    return [(e[1], e[2]) for i in node.findall(addnodes.index) for e in i["entries"]]


def test_an_entry_stands_just_before_the_first_mention_of_each_actor():
    p = nodes.paragraph("", "", nodes.Text("Kazakhstan closed the border; Sooronbay\nJeenbekov"))
    p += nodes.Text(" said Kazakhstan had")
    assert name_index.mark(p) == ["kazakhstan", "jeenbekov"]
    assert p.astext() == "Kazakhstan closed the border; Sooronbay\nJeenbekov said Kazakhstan had"
    kinds = [type(c).__name__ for c in p.children]
    assert kinds == ["index", "Text", "index", "Text", "Text"]
    assert str(p[1]).startswith("Kazakhstan") and str(p[3]).startswith("Sooronbay")
    assert _entries(p) == [("Kazakhstan", ""), ("Sooronbay Jeenbekov", "")]


def test_a_mention_inside_emphasis_is_indexed_before_it():
    p = nodes.paragraph("", "", nodes.Text("as "), nodes.emphasis("", "Zhe’enbekov"))
    p += nodes.literal("", "Atambayev")  # code is not prose
    assert name_index.mark(p, target=True) == ["jeenbekov"]
    assert [type(c).__name__ for c in p.children] == [
        "Text", "target", "index", "emphasis", "literal"
    ]  # fmt: skip
    assert p[1]["ids"] == ["mention-jeenbekov"]
    assert _entries(p) == [("Sooronbay Jeenbekov", "mention-jeenbekov")]


def test_a_page_indexes_each_actor_once_and_print_every_paragraph():
    doc = _doc(
        nodes.paragraph("", "Atambayev went to Moscow."),
        nodes.paragraph("", "Putin met Atambayev."),
    )
    assert name_index.index_first_mentions(doc) == 3
    assert _entries(doc) == [
        ("Almazbek Atambayev", "mention-atambayev"),
        ("Russia", "mention-russia"),
        ("Vladimir Putin", "mention-putin"),
    ]
    # print: the second paragraph (another page, maybe) is indexed under Atambayev too,
    # and nothing is indexed twice
    assert name_index.index_every_mention(doc) == 1
    assert name_index.index_every_mention(doc) == 0
    assert [e for e, _ in _entries(doc)].count("Almazbek Atambayev") == 2


def test_column_headers_are_not_indexed():
    head = nodes.thead("", nodes.row("", nodes.entry("", nodes.paragraph("", "Russia"))))
    body = nodes.tbody("", nodes.row("", nodes.entry("", nodes.paragraph("", "Kremlin"))))
    doc = _doc()
    doc += nodes.table("", nodes.tgroup("", head, body))
    assert name_index.index_first_mentions(doc) == 1
    assert _entries(body) == [("Russia", "mention-russia")] and _entries(head) == []


def test_print_indexes_only_the_chapters_paragraphs():
    # In print the book is one doctree; the chapters' paragraphs were marked when read.
    chapter = _doc(nodes.paragraph("", "Putin spoke."), nodes.paragraph("", "Putin again."))
    name_index.index_first_mentions(chapter)
    book = _doc(*chapter.children, nodes.paragraph("", "Putin, in a source page."))
    assert name_index.index_every_mention(book) == 1
    assert [len(_entries(p)) for p in book.children] == [1, 1, 0]


def test_the_xindy_style_marks_page_ranges_once(tmp_path):
    style = tmp_path / "sphinx.xdy"
    style.write_text('(markup-locref-list :sep ", ")\n', encoding="utf-8")
    assert name_index.xindy_style(style) is True
    assert name_index.xindy_style(style) is False
    text = style.read_text(encoding="utf-8")
    assert text.count("(markup-range") == 1 and '"\\textendash{}"' in text
