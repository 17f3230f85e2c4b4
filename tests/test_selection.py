"""Editorial choices are data: chapters ask for them by name."""

import json
import re

import pytest

from kgkz import paths
from kgkz.analysis import selection
from kgkz.data import load


def test_a_choice_is_read_by_name_in_order():
    sel = load.table("selections")
    first = sel.iloc[0]
    pick = selection.Chapter(first["chapter"])
    assert first["record_id"] in pick.ids(first["key"])
    assert list(pick.rows(first["key"]).index) == pick.ids(first["key"])


def test_unknown_choices_are_refused_by_name():
    with pytest.raises(selection.SelectionError, match="no choice for chapter 'nowhere'"):
        selection.Chapter("nowhere")
    chapter = load.table("selections")["chapter"].iloc[0]
    with pytest.raises(selection.SelectionError, match="no key 'no_such_key'"):
        selection.Chapter(chapter).ids("no_such_key")


RECORD_ID = re.compile(
    r"""["'](EV\d{3}|ST\d{3}|AS\d{3}|Q\d{3}|EL\d{3}|X\d{4}|D\d{2}|QU\d{3}|R\d{2,3})["']"""
)


@pytest.mark.parametrize("nb", sorted(paths.book().glob("*.ipynb")), ids=lambda p: p.stem)
def test_notebooks_name_no_record(nb):
    """A notebook that names a record id holds data in the wrong place."""
    cells = json.loads(nb.read_text(encoding="utf-8"))["cells"]
    code = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "code")
    assert RECORD_ID.findall(code) == []
