"""Print (LaTeX) layout that the data decides: tables that keep every row and column,
and names that are never hyphenated."""

from __future__ import annotations

import re

from docutils import nodes
from sphinx import addnodes

from ..data import load

MIN_WIDTH, MAX_WIDTH = 4, 40  # characters a column is given at least / at most
LINE = 90  # characters of table text a printed line holds, about
PAD = 2  # a column's padding, in characters


def column_widths(rows: list[list[str]]) -> list[int]:
    """Relative widths for a table's columns from the length of their text: long text
    gets a wide column (capped), short codes a narrow one (not below a floor).

    Every column keeps room for its longest word (a word is never broken): when the
    text wants more than a line, the long-text columns give way, not the short ones."""
    if not rows:
        return []
    count = max(len(r) for r in rows)
    text, word = [0] * count, [0] * count
    for row in rows:
        for i, cell in enumerate(row):
            text[i] = max(text[i], min(len(cell), MAX_WIDTH))
            word[i] = max(word[i], max((len(w) for w in cell.split()), default=0))
    floor = [max(MIN_WIDTH, w) + PAD for w in word]
    want = [max(f, t + PAD) for f, t in zip(floor, text, strict=True)]
    room = LINE - sum(floor)
    if sum(want) <= LINE or room <= 0:
        return want if room > 0 else floor
    extra = [w - f for w, f in zip(want, floor, strict=True)]
    return [f + room * e // sum(extra) for f, e in zip(floor, extra, strict=True)]


# A wrapping column of the given share of the line, set ragged-right: justified, a narrow
# column stretches the spaces between its few words into gaps.
RAGGED = r">{\raggedright\arraybackslash}\X{%d}{%d}"


def column_spec(widths: list[int]) -> str:
    r"""The LaTeX column spec of a table with these relative widths: wrapping columns
    (Sphinx's ``\X``: a share of the line), ragged-right, no rules between them."""
    total = sum(widths)
    return "".join(RAGGED % (w, total) for w in widths)


def long_wrapped_tables(doctree: nodes.Node) -> int:
    """Make every table a long table with given column widths (LaTeX: longtable with
    wrapping ragged-right p-columns). Returns how many tables were changed."""
    changed = 0
    for table in list(doctree.findall(nodes.table)):
        groups = list(table.findall(nodes.tgroup))
        if not groups:
            continue
        tgroup = groups[0]
        colspecs = [c for c in tgroup.children if isinstance(c, nodes.colspec)]
        rows = [
            [entry.astext() for entry in row.children if isinstance(entry, nodes.entry)]
            for row in tgroup.findall(nodes.row)
        ]
        widths = column_widths(rows)
        for spec, width in zip(colspecs, widths, strict=False):
            spec["colwidth"] = width
        drop = ("longtable", "colwidths-auto", "colwidths-given")
        table["classes"] = [*(c for c in table.get("classes", []) if c not in drop), "longtable"]
        # The writer takes a spec given just before a table (as `tabularcolumns` gives
        # it) in place of the one it would make from the widths.
        if widths:
            spec = addnodes.tabular_col_spec(spec=column_spec(widths))
            table.parent.insert(table.parent.index(table), spec)
        changed += 1
    return changed


def hyphenation() -> str:
    """A LaTeX \\hyphenation list of every word of every actor's name and alias (letters
    only), so that no name is broken across lines."""
    words = set()
    for text in [*load.table("aliases")["alias"], *load.table("actors")["name"]]:
        for word in re.findall(r"[A-Za-z]+", str(text)):
            if len(word) >= 5 and word[0].isupper():
                words.add(word)
    if not words:
        return ""
    return "\n% Names are never hyphenated.\n\\hyphenation{" + " ".join(sorted(words)) + "}\n"
