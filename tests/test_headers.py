"""Tables show the schema's titles, not raw field names."""

from __future__ import annotations

import pandas as pd

from kgkz.data import load
from kgkz.render import headers, publish


def test_every_field_has_a_title():
    untitled = [
        (res["name"], f["name"])
        for res in load.datapackage()["resources"]
        for f in res["schema"]["fields"]
        if not f.get("title", "").strip()
    ]
    assert untitled == []


def test_raw_names_become_titles():
    assert headers.titles(["when", "cameo_label", "record_id", "date_start", "date_end"]) == {
        "cameo_label": "event type (CAMEO)",
        "record_id": "record",
        "date_start": "earliest date",
        "date_end": "latest date",
    }


def test_a_slice_of_a_table_takes_that_tables_titles():
    assert headers.source_table(["question_id", "kind", "question", "sources"]) == "questions"
    assert headers.titles(["question_id", "kind", "question", "sources"]) == {
        "question_id": "question id",
        "kind": "kind of answer",
    }
    # Without the key, a plain word is the chapter's own heading: left as it is.
    assert headers.titles(["kind", "summary", "stage", "reported"]) == {}


def test_a_title_that_would_repeat_a_heading_is_not_used():
    assert "record_id" not in headers.titles(["record", "record_id"])


def test_publish_table_shows_titles_and_keeps_raw_markup():
    frame = pd.DataFrame({"event_id": ["EV001"], "phase": ["border"], "sources": ["[S000](x)"]})
    md = publish.table("t", frame, raw=["sources"])
    assert md.splitlines()[0] == "| event | chapter | sources |"
    assert "[S000](x)" in md
    plain = publish.table("t", frame, human=False)
    assert plain.splitlines()[0] == "| event_id | phase | sources |"
