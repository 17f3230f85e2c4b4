"""Which values of the dataset a chapter actually read.

When ``$KGKZ_READ_LOG`` names a file (the build sets it for every chapter it executes),
``load.table`` hands out a :class:`TrackedFrame`: a DataFrame that writes to that log
which cells leave it — which columns, for which rows (by primary key) — and whether the
chapter depended on the table's set of rows (counting it, filtering it, iterating it).
The build then keys the chapter on a fingerprint of exactly those values, so a change
to a value no chapter read re-executes nothing, and a change to one read by one chapter
re-executes that chapter alone.

Tracking is conservative: a row filter, a sort or a new column keeps tracking; anything
else that takes values out of the frame (a method, an iteration, a display, a library
call) counts as reading every value of the rows still in the frame. Without
``$KGKZ_READ_LOG`` nothing is tracked and plain DataFrames are returned.

Log lines (tab-separated)::

    file  <path>                    a whole file (a seed, datapackage.json)
    rows  <table>                   the set of the table's rows (its keys)
    cell  <table>  <column>  <key>  one value
    col   <table>  <column>         a whole column (rows not identifiable)
    quote <path>  <quote as JSON>   where a quote stands in a seed (the line it is on)
    derived <module:function> <args as JSON> <files as JSON> <hash of the result>
                                    a value computed from whole files (see ``derived``)
"""

from __future__ import annotations

import functools
import hashlib
import inspect
import json
import os
import threading
from collections.abc import Hashable, Iterable

import pandas as pd

ALL = "*"
_INDEX = pd.DataFrame.__dict__["index"]
_COLUMNS = pd.DataFrame.__dict__["columns"]
_guard = threading.local()
_seen: set[tuple[str, ...]] = set()


def log_path() -> str | None:
    return os.environ.get("KGKZ_READ_LOG") or None


def _write(items: Iterable[tuple[str, ...]]) -> None:
    path = log_path()
    if not path:
        return
    new = [item for item in items if item not in _seen]
    if not new:
        return
    _seen.update(new)
    with open(path, "a", encoding="utf-8") as f:
        f.writelines("\t".join(item) + "\n" for item in new)


_files_of_derived: list[set[str]] = []  # the files each derived value being computed reads


def record_file(path) -> None:
    if _files_of_derived:  # read for a derived value: its result is what counts
        for files in _files_of_derived:
            files.add(str(path))
        return
    _write([("file", str(path))])


def result_hash(value) -> str:
    """A stable hash of a derived value (a table, a count, a mapping)."""
    if isinstance(value, pd.DataFrame | pd.Series):
        text = value.to_csv()
    elif isinstance(value, dict):
        text = json.dumps(sorted((str(k), str(v)) for k, v in value.items()))
    else:
        text = repr(value)
    return hashlib.sha256(text.encode()).hexdigest()


def derived(func):
    """Mark a function of whole files (seeds) whose result, not the files, is what its
    caller depends on: a word count, mentions counted through the alias table.

    Under a read log, the files it reads are not logged as read whole; the call is,
    with its arguments, the files and a hash of its result. The build calls the function
    again when one of those files changes, and re-executes the chapter only if the result
    differs. Its arguments must be JSON values; the tables it reads are logged as usual."""
    name = f"{func.__module__}:{func.__qualname__}"

    signature = inspect.signature(func)

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        if not log_path():
            return func(*args, **kwargs)
        bound = signature.bind(*args, **kwargs)
        bound.apply_defaults()
        args = bound.args
        _files_of_derived.append(set())
        try:
            result = func(*args)
        finally:
            files = _files_of_derived.pop()
        if files:
            call = (name, json.dumps(list(args)), json.dumps(sorted(files)))
            _write([("derived", *call, result_hash(result))])
        return result

    wrapper.derived_name = name
    return wrapper


def record_quote(path, quote: str) -> None:
    """The line of a text file on which ``quote`` first stands (not the whole file)."""
    _write([("quote", str(path), json.dumps(quote, ensure_ascii=True))])


def _inside() -> bool:
    return getattr(_guard, "depth", 0) > 0


class _Guard:
    def __enter__(self):
        _guard.depth = getattr(_guard, "depth", 0) + 1

    def __exit__(self, *exc):
        _guard.depth -= 1


# Attributes that reveal no value of the table (names and shape of the frame).
_NEUTRAL = frozenset({"columns", "ndim", "dtypes", "attrs", "flags"})
_OWN = frozenset(
    {
        "loc", "at", "iloc", "iat", "index", "shape", "empty", "copy", "sort_values",
        "sort_index", "dropna", "drop", "assign", "reset_index", "set_index", "head",
        "to_frame", "pipe", "drop_duplicates", "filter",
    }
)  # fmt: skip


class TrackedFrame(pd.DataFrame):
    """A table of the dataset that logs the values taken out of it (see module doc)."""

    _metadata = ["_kg_table", "_kg_key", "_kg_full"]

    @property
    def _constructor(self):
        # pandas operations give plain frames; the few that keep tracking wrap explicitly.
        return pd.DataFrame

    # -------------------------------------------------------------- bookkeeping
    @classmethod
    def of(cls, frame: pd.DataFrame, table: str, key: str | None, full: bool = True):
        tracked = cls(frame)
        object.__setattr__(tracked, "_kg_table", table)
        object.__setattr__(tracked, "_kg_key", key)
        object.__setattr__(tracked, "_kg_full", full)
        return tracked

    def _wrap(self, frame, full: bool | None = None):
        if not isinstance(frame, pd.DataFrame):
            return frame
        full = self._meta("_kg_full") if full is None else full
        return TrackedFrame.of(frame, self._meta("_kg_table"), self._meta("_kg_key"), full)

    def _meta(self, name: str):
        return object.__getattribute__(self, name)

    def _plain(self) -> pd.DataFrame:
        with _Guard():
            return pd.DataFrame(self)

    def _keys(self, rows=slice(None), positional: bool = False) -> list[str] | None:
        """The primary keys of the rows a selector picks, or None if they cannot be told.
        A composite key is joined with "\\x1f", as the build's fingerprints join it."""
        key = self._meta("_kg_key")
        if not key:
            return None
        names = [key] if isinstance(key, str) else list(key)
        with _Guard():
            frame = pd.DataFrame(self)
            if all(n in frame.columns for n in names):
                parts = [frame[n].astype(str).to_numpy() for n in names]
            elif list(frame.index.names) == names:
                parts = [frame.index.get_level_values(n).astype(str).to_numpy() for n in names]
            else:
                return None
            joined = pd.Series(
                ["\x1f".join(p) for p in zip(*parts, strict=True)], index=frame.index
            )
            picked = joined.iloc[rows] if positional else joined.loc[rows]
        if isinstance(picked, pd.Series):
            return picked.tolist()
        return [str(picked)]

    def _record(self, keys: list[str] | None, columns: Iterable[str], whole: bool = True) -> None:
        """Log the cells of ``columns`` in the rows ``keys`` (None: rows not identifiable).
        ``whole``: the read covers every row still in the frame, so on a frame holding
        the whole table it depends on the set of rows too (a row added changes it)."""
        table = self._meta("_kg_table")
        columns = [str(c) for c in columns]
        items: list[tuple[str, ...]] = []
        if keys is None:
            items += [("col", table, c) for c in columns] + [("rows", table)]
        else:
            items += [("cell", table, c, k) for c in columns for k in keys]
            if whole and self._meta("_kg_full"):
                items.append(("rows", table))
        _write(items)

    def _record_all(self) -> None:
        with _Guard():
            index = _INDEX.__get__(self, pd.DataFrame)
            columns = tuple(_COLUMNS.__get__(self, pd.DataFrame))
            done = object.__getattribute__(self, "__dict__").get("_kg_all")
            if done is not None and done[0] is index and done[1] == columns:
                return  # these rows and columns are logged already
            object.__getattribute__(self, "__dict__")["_kg_all"] = (index, columns)
        self._record(self._keys(), columns)

    # -------------------------------------------------------------- access
    def __getattribute__(self, name: str):
        if (
            not name.startswith("_kg")
            and name not in _NEUTRAL
            and name not in _OWN
            and name not in {"_meta", "_plain", "_keys", "_record", "_record_all", "_wrap"}
            and not _inside()
            and name != "__class__"
        ):
            # Any other way of reaching into the frame reads all of it. A public method
            # is taken from a plain view, so that what pandas does inside it (a groupby,
            # an apply) is not logged again at every step; pandas' own internals (a
            # column being set, say) must act on this frame itself.
            TrackedFrame._record_all(self)
            with _Guard():
                if name.startswith("_"):
                    return pd.DataFrame.__getattribute__(self, name)
                return getattr(pd.DataFrame(self), name)
        if name in _NEUTRAL and not _inside():
            with _Guard():  # pandas' own steps to get the names and shape read no value
                return pd.DataFrame.__getattribute__(self, name)
        return pd.DataFrame.__getattribute__(self, name)

    def __getitem__(self, key):
        if _inside():  # pandas itself, inside an operation already accounted for
            return pd.DataFrame.__getitem__(self, key)
        with _Guard():
            frame = pd.DataFrame(self)
            columns = frame.columns
        if isinstance(key, Hashable) and not isinstance(key, slice) and key in columns:
            self._record(self._keys(), [key])
            with _Guard():
                return frame[key]
        if isinstance(key, list | pd.Index) and all(k in columns for k in key):
            self._record(self._keys(), list(key))
            with _Guard():
                return frame[list(key)]
        # A row filter (a boolean mask, a slice): the mask was read where it was made.
        with _Guard():
            out = frame[key]
        return self._wrap(out, full=False)

    def __len__(self) -> int:
        if self._meta("_kg_full") and not _inside():
            _write([("rows", self._meta("_kg_table"))])
        with _Guard():
            return pd.DataFrame.__len__(self)

    @property
    def shape(self):
        if self._meta("_kg_full") and not _inside():
            _write([("rows", self._meta("_kg_table"))])
        with _Guard():
            return pd.DataFrame(self).shape

    @property
    def empty(self):
        return len(self) == 0

    @property
    def index(self):
        # The labels of the rows: the keys (or the row count) of the rows still here.
        if _inside():
            return _INDEX.__get__(self, pd.DataFrame)
        keys = self._keys()
        key = self._meta("_kg_key")
        self._record(keys, ([key] if isinstance(key, str) else list(key)) if key else [])
        if self._meta("_kg_full"):
            _write([("rows", self._meta("_kg_table"))])
        with _Guard():
            return _INDEX.__get__(self, pd.DataFrame)

    @index.setter
    def index(self, value):
        with _Guard():
            _INDEX.__set__(self, value)

    def __iter__(self):
        return iter(list(self.columns))

    def __contains__(self, key) -> bool:
        return key in self.columns

    def __array__(self, *args, **kwargs):
        self._record_all()
        with _Guard():
            return pd.DataFrame.__array__(self, *args, **kwargs)

    def __repr__(self) -> str:
        self._record_all()
        return repr(self._plain())

    def _repr_html_(self):
        self._record_all()
        return self._plain()._repr_html_()

    # -------------------------------------------------------------- indexers
    @property
    def loc(self):
        if _inside():
            return pd.DataFrame.loc.fget(self)
        return _Indexer(self, positional=False, scalar=False)

    @property
    def at(self):
        if _inside():
            return pd.DataFrame.at.fget(self)
        return _Indexer(self, positional=False, scalar=True)

    @property
    def iloc(self):
        if _inside():
            return pd.DataFrame.iloc.fget(self)
        return _Indexer(self, positional=True, scalar=False)

    @property
    def iat(self):
        if _inside():
            return pd.DataFrame.iat.fget(self)
        return _Indexer(self, positional=True, scalar=True)

    # -------------------------------------------------------------- row-keeping methods
    def copy(self, deep: bool = True):
        with _Guard():
            return self._wrap(pd.DataFrame.copy(self, deep=deep))

    def head(self, n: int = 5):
        with _Guard():
            return self._wrap(pd.DataFrame(self).head(n), full=False)

    def sort_values(self, by, *args, **kwargs):
        self._record(self._keys(), [by] if isinstance(by, str) else list(by))
        with _Guard():
            return self._wrap(pd.DataFrame(self).sort_values(by, *args, **kwargs))

    def sort_index(self, *args, **kwargs):
        with _Guard():
            return self._wrap(pd.DataFrame(self).sort_index(*args, **kwargs))

    def dropna(self, *args, subset=None, **kwargs):
        with _Guard():
            columns = list(pd.DataFrame(self).columns) if subset is None else subset
        self._record(self._keys(), [columns] if isinstance(columns, str) else columns)
        with _Guard():
            return self._wrap(pd.DataFrame(self).dropna(*args, subset=subset, **kwargs), False)

    def drop(self, *args, **kwargs):
        with _Guard():
            out = pd.DataFrame(self).drop(*args, **kwargs)
        if len(out) != len(self._plain()):
            return self._wrap(out, full=False)
        return self._wrap(out)

    def drop_duplicates(self, subset=None, **kwargs):
        self._record_all() if subset is None else self._record(self._keys(), list(subset))
        with _Guard():
            return self._wrap(pd.DataFrame(self).drop_duplicates(subset, **kwargs), False)

    def filter(self, *args, **kwargs):
        with _Guard():
            return self._wrap(pd.DataFrame(self).filter(*args, **kwargs))

    def assign(self, **kwargs):
        values = {k: (v(self) if callable(v) else v) for k, v in kwargs.items()}
        with _Guard():
            return self._wrap(pd.DataFrame(self).assign(**values))

    def pipe(self, func, *args, **kwargs):
        return func(self, *args, **kwargs)

    def reset_index(self, *args, **kwargs):
        with _Guard():
            return self._wrap(pd.DataFrame(self).reset_index(*args, **kwargs))

    def set_index(self, keys, *args, **kwargs):
        key = self._meta("_kg_key")
        if keys != key and list(keys if isinstance(keys, list) else [keys]) != key:
            # Row labels taken from another column: reading that column.
            self._record(self._keys(), [keys] if isinstance(keys, str) else list(keys))
        with _Guard():
            return self._wrap(pd.DataFrame(self).set_index(keys, *args, **kwargs))

    def to_frame(self):  # pragma: no cover - DataFrame has none; kept for symmetry
        return self


class _Indexer:
    """``.loc``, ``.at``, ``.iloc`` and ``.iat`` of a tracked frame: record the cells a
    lookup returns, or keep tracking when it only picks rows."""

    def __init__(self, frame: TrackedFrame, positional: bool, scalar: bool):
        self.frame, self.positional, self.scalar = frame, positional, scalar

    def _real(self):
        name = (
            ("iat" if self.positional else "at")
            if self.scalar
            else ("iloc" if self.positional else "loc")
        )
        return getattr(pd.DataFrame, name).fget(self.frame)

    def __setitem__(self, key, value) -> None:
        with _Guard():
            self._real()[key] = value

    def __getitem__(self, key):
        rows, cols = key if isinstance(key, tuple) and len(key) == 2 else (key, None)
        with _Guard():
            result = self._real()[key]
            all_columns = list(_COLUMNS.__get__(self.frame, pd.DataFrame))
        if cols is None:
            if isinstance(result, pd.DataFrame):
                # Rows picked, nothing read yet.
                return self.frame._wrap(result, full=False)
            columns = all_columns
        elif self.positional:
            picked = pd.Index(all_columns)[cols]
            columns = [picked] if isinstance(picked, str) else list(picked)
        elif isinstance(cols, slice):
            names = pd.Index(all_columns)
            columns = list(names[names.slice_indexer(cols.start, cols.stop)])
        elif isinstance(cols, list | pd.Index):
            columns = list(cols)
        else:
            columns = [cols]
        whole = isinstance(rows, slice) and rows == slice(None)
        try:
            keys = self.frame._keys(rows, positional=self.positional)
        except (KeyError, IndexError, TypeError, ValueError):
            keys = None
        self.frame._record(keys, columns, whole=whole)
        return result
