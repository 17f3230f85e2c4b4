"""The build's key for a chapter: which inputs it read, down to a quote's place in a seed."""

from __future__ import annotations

import json
from pathlib import Path

import nbformat

from kgkz.build import state
from kgkz.data import track


def _root(tmp_path, monkeypatch):
    monkeypatch.setenv("KGKZ_ROOT", str(tmp_path))
    (tmp_path / "seeds").mkdir()
    seed = tmp_path / "seeds" / "s.txt"
    seed.write_text("A first line.\nThe border was closed.\nA last line.\n", encoding="utf-8")
    nb = tmp_path / "chapter.ipynb"
    nbformat.write(nbformat.v4.new_notebook(), nb)
    return seed, nb


def _quote(seed, quote):
    return f"quote\t{seed}\t{json.dumps(quote)}"


def test_a_chapter_that_cites_a_quote_depends_on_its_place_not_on_the_whole_seed(
    tmp_path, monkeypatch
):
    seed, nb = _root(tmp_path, monkeypatch)
    entry = state.entry_for(nb, [_quote(seed, "border was closed")])
    assert entry["inputs"] == {}
    assert list(entry["places"]) == ["seeds/s.txt"]
    args = (nb, entry, entry["package"], entry["environment"])

    seed.write_text("A first line, reworded.\nThe border was closed.\nA last line.\n")
    assert state.why_stale(*args) in (None, "its code changed")  # not the seed

    seed.write_text("A new line.\nA first line.\nThe border was closed.\nA last line.\n")
    assert "quote it cites in seeds/s.txt" in state.why_stale(*args)

    seed.write_text("A first line.\nThe border was opened.\nA last line.\n")
    assert "quote it cites in seeds/s.txt" in state.why_stale(*args)


def test_a_seed_read_whole_covers_the_quotes_in_it(tmp_path, monkeypatch):
    seed, nb = _root(tmp_path, monkeypatch)
    entry = state.entry_for(nb, [_quote(seed, "border was closed"), f"file\t{seed}"])
    assert entry["places"] == {}
    assert list(entry["inputs"]) == ["seeds/s.txt"]
    seed.write_text("A first line, reworded.\nThe border was closed.\nA last line.\n")
    assert state.why_stale(nb, entry, entry["package"], entry["environment"]) == (
        "seeds/s.txt changed"
    )


@track.derived
def words_in(path: str) -> int:
    """A value derived from a whole file (as a seed's word count is)."""
    track.record_file(Path(path))
    return len(Path(path).read_text(encoding="utf-8").split())


def test_a_value_derived_from_a_seed_is_computed_again_and_only_its_change_counts(
    tmp_path, monkeypatch
):
    seed, nb = _root(tmp_path, monkeypatch)
    log = tmp_path / "reads.log"
    monkeypatch.setenv("KGKZ_READ_LOG", str(log))
    monkeypatch.setattr(track, "_seen", set())
    assert words_in(str(seed)) == 10
    monkeypatch.delenv("KGKZ_READ_LOG")
    entry = state.entry_for(nb, log.read_text(encoding="utf-8").splitlines())
    assert entry["inputs"] == {}  # the file is not a whole-file input
    (derived,) = entry["derived"]
    assert derived["call"] == "tests.test_state:words_in"
    assert list(derived["files"]) == ["seeds/s.txt"]
    args = (nb, entry, entry["package"], entry["environment"])

    seed.write_text("A first line.\nThe border was shut.\nA last line.\n", encoding="utf-8")
    assert state.why_stale(*args) in (None, "its code changed")  # same count

    seed.write_text("A first line.\nThe border was closed again.\nA last line.\n")
    assert "tests.test_state:words_in" in state.why_stale(*args)
