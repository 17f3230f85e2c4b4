"""Column headers for readers: a raw field name in a table (``date_start``, ``record_id``,
``cameo_label``) is shown as the field's ``title`` in datapackage.json.

Which table a frame comes from is read off its columns: the table whose primary key the
frame carries (and which shares most columns with it) lends the titles of all its
fields. Any other column that is a field name with an underscore (or ``<table>_<field>``,
as a join names it) takes its title when every table that has it agrees on one. Headers
a chapter already wrote for people are left as they are.
"""

from __future__ import annotations

import pandas as pd

from ..data import load


def _fields() -> dict[str, dict[str, str]]:
    """Table name -> {field name: title}."""
    return {
        res["name"]: {f["name"]: f.get("title", "") for f in res["schema"]["fields"]}
        for res in load.datapackage()["resources"]
    }


def _keys() -> dict[str, list[str]]:
    keys = {}
    for res in load.datapackage()["resources"]:
        key = res["schema"].get("primaryKey") or []
        keys[res["name"]] = [key] if isinstance(key, str) else list(key)
    return keys


def source_table(columns: list[str]) -> str | None:
    """The table a frame with these columns is a slice of: its primary key is among them;
    of several, the one sharing most columns."""
    fields, keys = _fields(), _keys()
    found = [
        (sum(c in fields[name] for c in columns), name)
        for name, key in keys.items()
        if key and all(k in columns for k in key)
    ]
    return max(found, key=lambda t: t[0])[1] if found else None


def _global_titles(fields: dict[str, dict[str, str]]) -> dict[str, str]:
    """Raw names (``field`` with an underscore, or ``table_field``) whose title is the same
    wherever they appear."""
    seen: dict[str, set[str]] = {}
    for table, titles in fields.items():
        for field, title in titles.items():
            if not title:
                continue
            if "_" in field:
                seen.setdefault(field, set()).add(title)
            seen.setdefault(f"{table}_{field}", set()).add(title)
    return {name: titles.pop() for name, titles in seen.items() if len(titles) == 1}


def titles(columns: list[str]) -> dict[str, str]:
    """{column: title} for the columns that are raw field names; a title that would repeat
    another header is not used."""
    fields = _fields()
    table = source_table(columns)
    own = fields.get(table, {}) if table else {}
    common = _global_titles(fields)
    out = {}
    for c in columns:
        title = own.get(c) or common.get(c)
        if title and title != c:
            out[c] = title
    shown = [out.get(c, c) for c in columns]
    return {c: t for c, t in out.items() if shown.count(t) == 1}


def human(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame with raw field names replaced by their titles."""
    return frame.rename(columns=titles([str(c) for c in frame.columns]))
