"""Print layout: tables keep every column within the page; names are never broken."""

from docutils import nodes
from sphinx import addnodes

from kgkz.render import print_layout


def _table(rows):
    tgroup = nodes.tgroup(cols=len(rows[0]))
    for _ in rows[0]:
        tgroup += nodes.colspec()
    body = nodes.tbody()
    for r in rows:
        row = nodes.row()
        for cell in r:
            row += nodes.entry("", nodes.paragraph(text=cell))
        body += row
    tgroup += body
    return nodes.table("", tgroup)


def test_every_table_becomes_long_with_given_widths():
    doc = nodes.section()
    doc += _table([["EV024", "Nazarbayev receives Babanov " * 4], ["EV036", "closure"]])
    assert print_layout.long_wrapped_tables(doc) == 1
    (table,) = doc.findall(nodes.table)
    assert "longtable" in table["classes"]
    widths = [c["colwidth"] for c in table.findall(nodes.colspec)]
    assert widths[0] < widths[1] <= print_layout.MAX_WIDTH + print_layout.PAD


def test_widths_fit_the_longest_word_and_have_a_floor():
    assert print_layout.column_widths([["a", "Zhe’enbekov-Atambayev"]]) == [6, 23]


def test_long_text_gives_way_to_the_short_columns_words():
    long = " ".join(["word"] * 60)
    widths = print_layout.column_widths([["source", "words", long, long, long]])
    total = sum(widths)
    # Each short column keeps at least its word's share of the line (plus padding).
    assert widths[0] / total >= (len("source") + print_layout.PAD) / print_layout.LINE
    assert widths[1] / total >= (len("words") + print_layout.PAD) / print_layout.LINE
    assert widths[2] == widths[3] == widths[4]


def test_names_are_listed_for_no_hyphenation():
    text = print_layout.hyphenation()
    assert text.startswith("\n% Names") and "Jeenbekov" in text and "Atambayev" in text
    assert "’" not in text


def test_columns_are_ragged_right_with_the_given_shares():
    doc = nodes.section()
    doc += _table([["EV024", "Nazarbayev receives Babanov " * 4]])
    print_layout.long_wrapped_tables(doc)
    spec, table = doc.children
    assert isinstance(spec, addnodes.tabular_col_spec) and isinstance(table, nodes.table)
    ragged = r">{\raggedright\arraybackslash}"
    assert spec["spec"] == rf"{ragged}\X{{7}}{{49}}{ragged}\X{{42}}{{49}}"
