"""Typed loaders for the tables in data/ and the seed texts in seeds/.

When $KGKZ_READ_LOG is set (the build sets it for each chapter it executes), every file
read and every value taken out of a table is logged (see ``kgkz.data.track``), so that
the build knows exactly which inputs each chapter depends on.
"""

from __future__ import annotations

import functools
import json
from functools import cache
from pathlib import Path

import pandas as pd

from .. import paths
from . import track
from .lines import first_line_with

_DTYPES = {"integer": "Int64", "number": "float64"}  # dates are parsed; the rest are strings


def _record_read(path: Path) -> None:
    track.record_file(path.resolve())


@cache
def datapackage() -> dict:
    """The Frictionless descriptor of the dataset."""
    _record_read(paths.datapackage())
    return json.loads(paths.datapackage().read_text(encoding="utf-8"))


def evidenced() -> list[str]:
    """The tables every record of which needs evidence (``x-evidence-required``)."""
    return [r["name"] for r in datapackage()["resources"] if r.get("x-evidence-required")]


def key(name: str) -> list[str]:
    """The columns of a table's primary key."""
    pk = resource(name)["schema"].get("primaryKey", [])
    return [pk] if isinstance(pk, str) else list(pk)


def resource(name: str) -> dict:
    for res in datapackage()["resources"]:
        if res["name"] == name:
            return res
    known = ", ".join(r["name"] for r in datapackage()["resources"])
    raise KeyError(f"no table '{name}' in data/datapackage.json (tables: {known})")


_TABLES: dict[tuple[str, str], pd.DataFrame] = {}
_GENERATION = [0]  # counts the clearings of the loader's caches


def _table(name: str) -> pd.DataFrame:
    key = (str(paths.data()), name)
    if key not in _TABLES:
        _TABLES[key] = _read_table(name)
    return _TABLES[key]


def _clear_tables() -> None:
    _TABLES.clear()
    seed_path.cache_clear()
    _seed_file_lines.cache_clear()
    _GENERATION[0] += 1


_table.cache_clear = _clear_tables  # as functools.cache offers it


def _read_table(name: str) -> pd.DataFrame:
    res = resource(name)
    path = paths.data() / res["path"]
    schema = res["schema"]
    types = {f["name"]: f.get("type", "string") for f in schema["fields"]}
    return pd.read_csv(
        path,
        dtype={col: _DTYPES.get(t, "string") for col, t in types.items() if t != "date"},
        parse_dates=[col for col, t in types.items() if t == "date"],
        date_format="%Y-%m-%d",
        keep_default_na=False,
        na_values=schema.get("missingValues", [""]),
        encoding=res.get("encoding", "utf-8"),
    )


def memo(func):
    """Keep a function's results for this process: a computation over the dataset (a
    register of answer pairs, a lookup of names) done once, however many cells ask.

    Keyed on the arguments (lists are taken as tuples), the data directory, the loader's
    caches (clearing them clears this too), the loader and the read log: under a log the first call
    logs what it reads, and the values it returns stay the values read. A DataFrame,
    Series or dict comes back as a copy, so a caller cannot change what the next one
    gets."""
    results: dict = {}

    @functools.wraps(func)
    def wrapper(*args):
        frozen = tuple(tuple(a) if isinstance(a, list) else a for a in args)
        # The loader itself is part of the key: whoever stands another in (a test with
        # made-up tables) gets results computed from it.
        key = (frozen, str(paths.data()), _GENERATION[0], track.log_path(), globals()["table"])
        if key not in results:
            results[key] = func(*args)
        value = results[key]
        return value.copy() if isinstance(value, pd.DataFrame | pd.Series | dict) else value

    wrapper.cache_clear = results.clear
    return wrapper


def table(name: str) -> pd.DataFrame:
    """One table of the dataset, with dates parsed and numbers typed (a fresh copy;
    tracked when the build logs what a chapter reads)."""
    frame = _table(name).copy()
    if track.log_path():
        key = resource(name)["schema"].get("primaryKey")
        return track.TrackedFrame.of(frame, name, key)
    return frame


@cache
def seed_path(source_id: str) -> Path:
    sources = table("sources").set_index("source_id")
    if source_id not in sources.index or sources.at[source_id, "kind"] != "seed":
        raise KeyError(f"'{source_id}' is not a seed in data/sources.csv")
    return paths.seeds() / sources.at[source_id, "file"]


@cache
def _seed_file_lines(path: Path) -> tuple[str, ...]:
    return tuple(path.read_text(encoding="utf-8").splitlines())


def seed_lines(source_id: str) -> tuple[str, ...]:
    """The lines of one seed, exactly as stored (no newline characters)."""
    path = seed_path(source_id)
    _record_read(path)
    return _seed_file_lines(path)


seed_lines.cache_clear = _clear_tables  # as functools.cache offers it


@track.derived
def seed_words(source_id: str) -> int:
    """How many words a seed holds (whitespace-separated)."""
    return len(seed_text(source_id).split())


def seed_text(source_id: str) -> str:
    return "\n".join(seed_lines(source_id))


def seed_ids() -> list[str]:
    sources = table("sources")
    return sources.loc[sources["kind"] == "seed", "source_id"].tolist()


def quote_line(source_id: str, quote: str) -> int:
    """The 1-based line of a seed on which a quote stands (the first, if several).

    What a caller depends on is that line number, not the whole text: the read is logged
    as the quote's place, so that an edit elsewhere in the seed changes nothing here."""
    path = seed_path(source_id)
    track.record_quote(path.resolve(), quote)
    number = first_line_with(_seed_file_lines(path), quote)
    if number:
        return number
    raise ValueError(f"quote not found in seed {source_id}: {quote[:60]!r}")


def evidence(table_name: str | None = None) -> pd.DataFrame:
    """Evidence rows (optionally for one table), with the seed line each quote stands on."""
    ev = table("evidence")
    if table_name is not None:
        ev = ev[ev["table"] == table_name]
    lines = [
        quote_line(s, q) if isinstance(q, str) else pd.NA
        for s, q in zip(ev["source_id"], ev["quote"], strict=True)
    ]
    return ev.assign(line=pd.array(lines, dtype="Int64"))
