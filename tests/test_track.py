"""A tracked table logs exactly the values taken out of it."""

from __future__ import annotations

import pandas as pd
import pytest

from kgkz.build import state
from kgkz.data import track


@pytest.fixture
def log(tmp_path, monkeypatch):
    path = tmp_path / "reads.log"
    monkeypatch.setenv("KGKZ_READ_LOG", str(path))
    monkeypatch.setattr(track, "_seen", set())

    def reads():
        return state.parse_reads(path.read_text(encoding="utf-8").splitlines())[1]

    return reads


def frame():
    raw = pd.DataFrame(
        {"id": ["A", "B", "C"], "phase": ["x", "y", "x"], "value": [1, 2, 3], "note": ["", "", ""]}
    )
    return track.TrackedFrame.of(raw, "t", "id")


def test_one_cell_by_key(log):
    f = frame().set_index("id")
    assert f.at["B", "value"] == 2
    assert log() == {"t": {"rows": False, "cols": {"value": ["B"]}}}


def test_a_filter_reads_its_column_and_the_row_set_then_only_the_rows_kept(log):
    f = frame()
    kept = f[f["phase"] == "x"]
    assert kept["value"].tolist() == [1, 3]
    assert log() == {"t": {"rows": True, "cols": {"phase": ["A", "B", "C"], "value": ["A", "C"]}}}


def test_counting_the_whole_table_depends_on_its_rows(log):
    assert len(frame()) == 3
    assert log() == {"t": {"rows": True, "cols": {}}}


def test_anything_else_reads_every_value_of_the_rows_still_there(log):
    f = frame()
    list(f[f["phase"] == "y"].iterrows())
    cols = log()["t"]["cols"]
    assert cols["note"] == ["B"] and cols["value"] == ["B"] and cols["phase"] == ["A", "B", "C"]


def test_a_lost_key_reads_whole_columns(log):
    f = frame().drop(columns="id").set_index("phase")  # rows no longer identifiable
    f.loc["x", "value"]
    assert log()["t"]["cols"]["value"] == "*"


def test_nothing_is_tracked_without_a_log(monkeypatch):
    from kgkz.data import load

    monkeypatch.delenv("KGKZ_READ_LOG", raising=False)
    assert type(load.table("cameo")) is pd.DataFrame


def test_a_fingerprint_changes_only_with_the_values_read(tmp_path, monkeypatch):
    (tmp_path / "data").mkdir()
    (tmp_path / "data/datapackage.json").write_text(
        '{"resources": [{"name": "t", "path": "t.csv", "schema": {"primaryKey": "id"}}]}'
    )
    csv = tmp_path / "data/t.csv"
    csv.write_text("id,value,note\nA,1,a\nB,2,b\n")
    monkeypatch.setenv("KGKZ_ROOT", str(tmp_path))
    spec, rows = {"rows": False, "cols": {"value": ["A"]}}, {"rows": True, "cols": {}}
    before, rows_before = state.table_fingerprint("t", spec), state.table_fingerprint("t", rows)
    csv.write_text("id,value,note\nA,1,changed\nB,5,b\nC,9,c\n")
    assert state.table_fingerprint("t", spec) == before  # other cells, a new row
    assert state.table_fingerprint("t", rows) != rows_before  # the set of rows changed
    csv.write_text("id,value,note\nA,7,a\n")
    assert state.table_fingerprint("t", spec) != before


def test_a_method_reads_every_value_once_and_leaves_the_frame_usable(log):
    f = frame()
    sums = f.groupby("phase")["value"].sum()
    assert sums.to_dict() == {"x": 4, "y": 2}
    assert log() == {
        "t": {"rows": True, "cols": {c: ["A", "B", "C"] for c in ["id", "note", "phase", "value"]}}
    }


def test_a_column_set_on_a_tracked_frame_stays_on_it(log):
    f = frame()
    f["double"] = [2, 4, 6]
    assert isinstance(f, track.TrackedFrame)
    assert f["double"].tolist() == [2, 4, 6]
    f.loc[:, "value"] = [7, 8, 9]
    assert f["value"].tolist() == [7, 8, 9]


def test_the_names_of_the_columns_read_no_value(log):
    f = frame()
    assert list(f.columns) == ["id", "phase", "value", "note"]
    assert f.set_index(f.columns[0]).at["B", "value"] == 2
    assert log() == {"t": {"rows": False, "cols": {"value": ["B"]}}}
