"""The validator accepts the real dataset and rejects each kind of bad input, naming the
file, the line and the column."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from kgkz.data import validate
from tests.conftest import line_of, replace_in


def problems_in(root):
    return validate.validate(root)


def only(problems, file, column=None):
    hits = [p for p in problems if p.file == file and (column is None or p.column == column)]
    assert hits, f"no problem reported in {file} [{column}]; got: {problems}"
    return hits


def test_the_dataset_is_valid():
    assert validate.validate() == []


def test_a_date_that_is_not_a_date(project):
    f = project / "data/events.csv"
    line = line_of(f, "EV045,")
    replace_in(f, "EV045,2017-10-15,2017-10-15", "EV045,2017-13-45,2017-10-15")
    (p,) = only(problems_in(project), "data/events.csv", "date_start")
    assert p.row == line and "not a real date" in p.message


def test_a_date_in_the_wrong_format(project):
    f = project / "data/events.csv"
    replace_in(f, "EV045,2017-10-15,2017-10-15", "EV045,15 Oct 2017,2017-10-15")
    (p,) = only(problems_in(project), "data/events.csv", "date_start")
    assert "not a date (YYYY-MM-DD)" in p.message


def test_an_end_before_the_start(project):
    f = project / "data/events.csv"
    replace_in(f, "EV050,2017-10-18,2017-10-18,day", "EV050,2017-10-18,2017-10-17,approximate")
    (p,) = only(problems_in(project), "data/events.csv", "date_end")
    assert "before it starts" in p.message


def test_a_date_outside_the_period(project):
    f = project / "data/events.csv"
    replace_in(f, "EV045,2017-10-15,2017-10-15", "EV045,2027-10-15,2027-10-15")
    hits = only(problems_in(project), "data/events.csv", "date_start")
    assert any("outside the period" in p.message for p in hits)


def test_an_unknown_actor_id(project):
    f = project / "data/events.csv"
    line = line_of(f, "EV045,")
    replace_in(f, "day,stated: 'October 15',kyrgyzstan,", "day,stated: 'October 15',kirgizia,")
    (p,) = only(problems_in(project), "data/events.csv", "actor_id")
    assert p.row == line and "unknown actor_id 'kirgizia'" in p.message


def test_a_quote_altered_by_one_word(project):
    f = project / "data/evidence.csv"
    old = "Astana has denied interference in the elections."
    line = line_of(f, old)
    replace_in(f, old, "Astana has denied meddling in the elections.")
    (p,) = only(problems_in(project), "data/evidence.csv", "quote")
    assert p.row == line and "not in seed S000" in p.message


def test_a_quote_spanning_two_lines_is_not_verbatim(project):
    f = project / "data/evidence.csv"
    old = "then Kazakhstan will also throw its weight behind that person at any time"
    replace_in(f, old, "I remember all this. If the Kyrgyz people")
    only(problems_in(project), "data/evidence.csv", "quote")


def test_a_missing_column(project):
    f = project / "data/quantities.csv"
    lines = f.read_text(encoding="utf-8").splitlines()
    cut = [",".join(c for i, c in enumerate(row.split(",")) if i != 5) for row in lines[:1]]
    f.write_text("\n".join(cut + lines[1:]) + "\n", encoding="utf-8")
    hits = only(problems_in(project), "data/quantities.csv")
    assert any(p.column == "unit" and p.message == "column is missing" for p in hits)


def test_a_duplicate_id(project):
    f = project / "data/actors.csv"
    text = f.read_text(encoding="utf-8")
    f.write_text(text + "putin,Vladimir Putin,person,Russia,President of Russia\n", "utf-8")
    (p,) = only(problems_in(project), "data/actors.csv", "actor_id")  # said once
    assert "duplicate" in p.message and "'putin'" in p.message and "line 6" in p.message


def test_broken_csv_quoting(project):
    f = project / "data/statements.csv"
    line = line_of(f, "ST005,")
    replace_in(f, "ST005,", 'ST005,"2017', 1)
    hits = only(problems_in(project), "data/statements.csv")
    assert any(p.row is not None and p.row >= line for p in hits)
    assert any("CSV" in p.message or "fields" in p.message for p in hits)


def test_a_cell_over_two_lines_keeps_the_line_numbers(project):
    f = project / "data/events.csv"
    replace_in(f, "day,stated: 'October 15',", 'day,"stated:\nOctober 15",')
    line = line_of(f, "EV050,")
    replace_in(f, "EV050,2017-10-18,2017-10-18,day,", "EV050,2017-10-18,2017-10-18,days,")
    (p,) = only(problems_in(project), "data/events.csv", "date_precision")
    assert p.row == line and "'days' is not one of" in p.message


def test_a_stray_comma(project):
    f = project / "data/actors.csv"
    line = line_of(f, "putin,")
    replace_in(f, "putin,Vladimir Putin,", "putin,Vladimir, Putin,")
    (p,) = only(problems_in(project), "data/actors.csv")
    assert p.row == line and "6 fields but the header has 5" in p.message


def test_a_seed_changed_by_one_byte(project):
    f = project / "seeds/003_c12f14ff12120940.txt"
    raw = bytearray(f.read_bytes())
    raw[100] ^= 0x01
    f.write_bytes(bytes(raw))
    hits = only(problems_in(project), "data/sources.csv", "sha256")
    assert any("seeds/003_c12f14ff12120940.txt has changed" in p.message for p in hits)


def test_a_file_that_is_not_utf8(project):
    f = project / "data/quantities.csv"
    f.write_bytes(f.read_bytes().replace(b"smugglers", "smugglers\xe9".encode("latin-1")))
    (p,) = only(problems_in(project), "data/quantities.csv")
    assert "not UTF-8" in p.message and p.row == line_of_bytes(f, b"smugglers\xe9")


def test_a_missing_file(project):
    (project / "data/cameo.csv").unlink()
    assert problems_in(project) == [
        validate.Problem("data/cameo.csv", None, None, "file is missing")
    ]


def test_an_empty_file(project):
    (project / "data/cameo.csv").write_bytes(b"")
    (p,) = only(problems_in(project), "data/cameo.csv")
    assert "file is empty" in p.message


def test_a_byte_order_mark(project):
    f = project / "data/cameo.csv"
    f.write_bytes(b"\xef\xbb\xbf" + f.read_bytes())
    (p,) = only(problems_in(project), "data/cameo.csv")
    assert p.row == 1 and "byte-order mark" in p.message


def line_of_bytes(path, needle: bytes) -> int:
    raw = path.read_bytes()
    return raw[: raw.index(needle)].count(b"\n") + 1


def test_an_empty_table(project):
    f = project / "data/cameo.csv"
    f.write_text(f.read_text(encoding="utf-8").splitlines()[0] + "\n", encoding="utf-8")
    hits = only(problems_in(project), "data/cameo.csv")
    assert any("table is empty" in p.message for p in hits)


def test_a_value_outside_its_enum(project):
    f = project / "data/events.csv"
    replace_in(f, ",191,border,", ",191,borders,")
    (p,) = only(problems_in(project), "data/events.csv", "phase")
    assert "'borders' is not one of" in p.message


def test_a_record_without_evidence(project):
    f = project / "data/quantities.csv"
    text = f.read_text(encoding="utf-8")
    f.write_text(text + "Q099,made-up figure,,1,exact,things,,undated,border,\n", "utf-8")
    (p,) = only(problems_in(project), "data/quantities.csv", "quantity_id")
    assert "'Q099' has no evidence" in p.message


def test_evidence_for_a_record_that_does_not_exist(project):
    f = project / "data/evidence.csv"
    replace_in(f, ",events,EV045,", ",events,EV999,")
    hits = only(problems_in(project), "data/evidence.csv", "record_id")
    assert any("no record 'EV999'" in p.message for p in hits)


def test_a_figure_that_disagrees_with_the_public_record(project):
    f = project / "data/election_2017.csv"
    replace_in(
        f,
        "EL020,Sooronbay Jeenbekov,jeenbekov,vote_share,54.22,",
        "EL020,Sooronbay Jeenbekov,jeenbekov,vote_share,54.32,",
    )
    hits = only(problems_in(project), "data/evidence.csv", "locator")
    assert any("disagrees with public_record.csv" in p.message for p in hits)


def test_a_locator_that_is_not_in_the_public_record(project):
    f = project / "data/evidence.csv"
    replace_in(f, ",R08,,loaded trucks stuck", ",R08,,loaded lorries stuck")
    hits = only(problems_in(project), "data/evidence.csv", "locator")
    assert any("no row for R08" in p.message for p in hits)


def test_a_figure_that_is_not_in_its_quote(project):
    f = project / "data/quantities.csv"
    line = line_of(f, "Q014,")
    replace_in(f, "in the field in August,,59,", "in the field in August,,60,")
    (p,) = problems_in(project)
    assert (p.file, p.row, p.column) == ("data/quantities.csv", line, "value")
    assert p.message.startswith("60 is not in its quote: 'The candidate field has narrowed")


def test_a_sentence_that_is_not_the_seeds(project):
    f = project / "data/sentences.csv"
    line = line_of(f, "S000,3,1,")
    replace_in(f, "S000,3,1,Author : Viktor Ruzhynsky", "S000,3,1,Author: Viktor Ruzhynsky")
    (p,) = only(problems_in(project), "data/sentences.csv", "text")
    assert p.row == line and "not the sentence of the seed" in p.message


def test_an_alias_that_no_seed_uses(project):
    f = project / "data/aliases.csv"
    f.write_text(f.read_text(encoding="utf-8") + "Zheenbekoff,jeenbekov\n", "utf-8")
    (p,) = only(problems_in(project), "data/aliases.csv", "alias")
    assert "'Zheenbekoff' occurs in no seed" in p.message


def test_problems_print_file_line_and_column():
    p = validate.Problem("data/events.csv", 7, "date_start", "'x' is not a date (YYYY-MM-DD)")
    assert str(p) == "data/events.csv, line 7, column date_start: 'x' is not a date (YYYY-MM-DD)"


@pytest.mark.parametrize("broken", [False, True])
def test_the_command_exits_non_zero_on_bad_data(project, broken):
    if broken:
        replace_in(project / "data/events.csv", "EV045,2017-10-15", "EV045,2017-02-30")
    run = subprocess.run(
        [sys.executable, "-m", "kgkz.data.validate", str(project)], capture_output=True, text=True
    )
    assert run.returncode == (1 if broken else 0)
    if broken:
        assert "data/events.csv, line" in run.stderr and "column date_start" in run.stderr


def test_check_raises_with_every_problem(project):
    replace_in(project / "data/events.csv", "EV045,2017-10-15", "EV045,2017-02-30")
    with pytest.raises(validate.ValidationError) as info:
        validate.check(project)
    assert "2017-02-30" in str(info.value)


def test_the_build_stops_before_rendering_bad_data(project):
    replace_in(
        project / "data/quantities.csv",
        "Q003,Kyrgyz debt written off by Russia,russia,240",
        "Q003,Kyrgyz debt written off by Russia,russia,two hundred",
    )
    env = {**os.environ, "KGKZ_ROOT": str(project)}
    run = subprocess.run(
        [sys.executable, "-m", "kgkz.build", "html"], capture_output=True, text=True, env=env
    )
    assert run.returncode == 1
    assert "data/quantities.csv, line 4, column value: 'two hundred' is not a number" in run.stderr
    assert not (project / "_build" / "html").exists()
    assert not (project / "_build" / ".jupyter_cache").exists()


def test_data_validated_before_is_not_validated_again_until_it_changes(project, monkeypatch):
    from kgkz.build import state

    monkeypatch.setenv("KGKZ_ROOT", str(project))
    calls = []
    real = validate.check
    monkeypatch.setattr(
        validate, "check", lambda root, **kw: calls.append(root) or real(root, **kw)
    )
    state.validate_once()
    state.validate_once()
    assert len(calls) == 1
    replace_in(project / "data/events.csv", "EV045,2017-10-15", "EV045,2017-02-30")
    for _ in range(2):  # a failure is never taken for validated
        with pytest.raises(validate.ValidationError):
            state.validate_once()
    assert len(calls) == 3


# ------------------------------------------------------------------ tables kept valid
def _reading(monkeypatch) -> list[str]:
    """The tables Frictionless reads from now on, in order."""
    read, real = [], validate._read
    monkeypatch.setattr(validate, "_read", lambda res, *a: read.append(res.name) or real(res, *a))
    return read


def test_a_rerun_reads_only_the_tables_a_change_reaches(project, monkeypatch):
    keep = project / "_build" / "kept"
    assert validate.validate(project, keep, "v1") == []
    read = _reading(monkeypatch)
    assert validate.validate(project, keep, "v1") == []
    assert read == []
    # The same values, other bytes (a quoted cell): the file changed, the data did not.
    replace_in(project / "data/election_2017.csv", "Sooronbay Jeenbekov,", '"Sooronbay Jeenbekov",')
    assert validate.validate(project, keep, "v1") == []
    assert read == ["election_2017"]
    read.clear()
    # Looked up by the foreign keys of five tables: they are read again with it.
    replace_in(project / "data/actors.csv", "Almazbek Atambayev,", '"Almazbek Atambayev",')
    assert validate.validate(project, keep, "v1") == []
    assert sorted(read) == sorted(
        ["actors", "aliases", "events", "statements", "quantities", "election_2017"]
    )
    read.clear()
    assert validate.validate(project, keep, "v2") == []  # another validator: all again
    assert len(read) == 16


def test_kept_tables_find_what_a_full_reading_finds(project):
    keep = project / "_build" / "kept"
    assert validate.validate(project, keep, "v1") == []
    replace_in(
        project / "data/events.csv", "EV045,2017-10-15,2017-10-15", "EV045,2017-13-45,2017-10-15"
    )
    replace_in(project / "data/actors.csv", "\n", "\n", 1)
    found = validate.validate(project, keep, "v1")
    assert found and found == validate.validate(project)
    # A problem is never kept: fixed, the table is read again and found valid.
    replace_in(
        project / "data/events.csv", "EV045,2017-13-45,2017-10-15", "EV045,2017-10-15,2017-10-15"
    )
    assert validate.validate(project, keep, "v1") == []


def test_all_tables_kept_need_no_frictionless(project, monkeypatch):
    import frictionless

    keep = project / "_build" / "kept"
    assert validate.validate(project, keep, "v1") == []
    monkeypatch.setattr(frictionless, "Package", None)  # would fail if it were used
    (project / "seeds" / sorted(p.name for p in (project / "seeds").glob("*.txt"))[0]).write_bytes(
        b"changed"
    )
    found = validate.validate(project, keep, "v1")  # the rules still see the seeds
    assert found and all(p.file.startswith(("seeds/", "data/")) for p in found)


def test_a_damaged_kept_table_is_read_again(project, monkeypatch):
    keep = project / "_build" / "kept"
    assert validate.validate(project, keep, "v1") == []
    (keep / "events.pickle").write_bytes(b"not a pickle")
    read = _reading(monkeypatch)
    assert validate.validate(project, keep, "v1") == []
    assert read == ["events"]
