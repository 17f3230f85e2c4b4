from __future__ import annotations

import os
import subprocess
import sys

import pandas as pd

from kgkz import paths
from kgkz.data import load


def test_tables_are_typed():
    events = load.table("events")
    assert pd.api.types.is_datetime64_any_dtype(events["date_start"])
    q = load.table("quantities")
    assert q["value"].dtype == "float64"
    assert str(load.table("boilerplate")["first_line"].dtype) == "Int64"


def test_table_returns_a_copy():
    a = load.table("actors")
    a.loc[0, "name"] = "changed"
    assert load.table("actors").loc[0, "name"] != "changed"


def test_an_unknown_table_is_named():
    try:
        load.table("nope")
    except KeyError as e:
        assert "no table 'nope'" in str(e)
    else:
        raise AssertionError


def test_evidence_knows_the_line_of_each_quote():
    ev = load.evidence("events").set_index("evidence_id")
    row = ev[ev["quote"] == "On 9 October, Astana sealed the border with Kyrgyzstan"].iloc[0]
    assert row["line"] == 2 and row["source_id"] == "S001"


def test_data_is_found_from_any_working_directory(tmp_path):
    code = "from kgkz.data import load; print(len(load.table('actors')))"
    run = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True)
    assert run.returncode == 0 and int(run.stdout) == len(load.table("actors"))


def test_reads_are_logged_for_the_build(tmp_path):
    log = tmp_path / "reads.log"
    code = (
        "from kgkz.data import load; e = load.table('events');"
        "e.set_index('event_id').at['EV024', 'summary']; load.seed_lines('S002')"
    )
    env = {**os.environ, "KGKZ_READ_LOG": str(log)}
    subprocess.run([sys.executable, "-c", code], env=env, check=True)
    reads = set(log.read_text(encoding="utf-8").splitlines())
    assert "cell\tevents\tsummary\tEV024" in reads
    assert f"file\t{paths.seeds() / '002_b4df7d5c7b7aa508.txt'}" in reads
    assert not any("quantities" in line for line in reads)


def test_glue_matches_myst_nb(monkeypatch):
    """publish glues exactly as myst_nb.glue does (without importing myst-nb)."""
    import pandas as pd
    from IPython.core import display_functions
    from myst_nb import glue as myst_glue

    from kgkz.render import publish

    shown = []
    monkeypatch.setattr(display_functions, "publish_display_data", lambda **kw: shown.append(kw))
    for value in (42, "text", pd.DataFrame({"a": [1]})):
        myst_glue("x", value, display=False)
        publish._glue("x", value)
        assert shown[-1] == shown[-2]


def test_a_table_with_no_rows_is_glued_with_one_row_saying_so():
    import pandas as pd

    from kgkz.render import publish

    md = publish.markdown_table(pd.DataFrame({"a": [], "b": []}))
    assert md.count("\n") == 1  # header and rule only: the raw helper keeps it empty
    assert "(none)" in publish.table("t", pd.DataFrame({"a": [], "b": []}))


def test_memo_computes_once_returns_copies_and_forgets_with_the_loader(monkeypatch):
    calls = []

    @load.memo
    def count(phases):
        calls.append(phases)
        return pd.DataFrame({"n": [len(load.table("actors"))]})

    first = count(["a", "b"])
    first.loc[0, "n"] = -1  # a caller's change does not reach the next caller
    assert count(["a", "b"])["n"].iloc[0] == len(load.table("actors"))
    assert calls == [["a", "b"]]
    count(["c"])
    assert len(calls) == 2
    load._table.cache_clear()
    count(["a", "b"])
    assert len(calls) == 3
    monkeypatch.setenv("KGKZ_READ_LOG", "/dev/null")  # a new log sees the reads again
    count(["a", "b"])
    assert len(calls) == 4


def test_memo_hands_out_series_as_copies():
    @load.memo
    def names():
        return load.table("actors").set_index("actor_id")["name"]

    first = names()
    first.iloc[0] = "changed"
    assert names().iloc[0] != "changed"
