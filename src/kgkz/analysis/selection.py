"""Editorial choices, read from ``data/selections.csv``: which records a chapter features.

A chapter asks for its choices by name and never types a record id::

    pick = selection.Chapter("border")
    meeting = pick.one("meeting")          # one record id
    rows = pick.rows("measures")           # the chosen records of one table, in order
"""

from __future__ import annotations

import pandas as pd

from ..data import load


class SelectionError(LookupError):
    """A chapter asked for a choice that data/selections.csv does not make."""


def _key_column(table: str) -> str:
    pk = next(r for r in load.datapackage()["resources"] if r["name"] == table)["schema"][
        "primaryKey"
    ]
    if not isinstance(pk, str):
        raise SelectionError(f"{table} has a composite key; it cannot be selected from")
    return pk


class Chapter:
    """The choices one chapter makes."""

    def __init__(self, chapter: str):
        sel = load.table("selections")
        self.chapter = chapter
        self._sel = sel[sel["chapter"] == chapter]
        if self._sel.empty:
            raise SelectionError(f"data/selections.csv makes no choice for chapter '{chapter}'")

    def _rows(self, key: str) -> pd.DataFrame:
        rows = self._sel[self._sel["key"] == key]
        if rows.empty:
            known = ", ".join(sorted(self._sel["key"].unique()))
            raise SelectionError(
                f"data/selections.csv has no key '{key}' for chapter '{self.chapter}' "
                f"(keys: {known})"
            )
        return rows.sort_values(["order", "record_id"], na_position="last")

    def ids(self, key: str) -> list[str]:
        """The record ids chosen under ``key``, in order."""
        return self._rows(key)["record_id"].tolist()

    def one(self, key: str) -> str:
        """The one record id chosen under ``key``."""
        ids = self.ids(key)
        if len(ids) != 1:
            raise SelectionError(
                f"chapter '{self.chapter}', key '{key}': expected one record, found {len(ids)}"
            )
        return ids[0]

    def table(self, key: str) -> str:
        tables = self._rows(key)["table"].unique()
        if len(tables) != 1:
            raise SelectionError(f"chapter '{self.chapter}', key '{key}' mixes tables")
        return tables[0]

    def rows(self, key: str) -> pd.DataFrame:
        """The chosen records of one table, in the chosen order."""
        table = self.table(key)
        frame = load.table(table).set_index(_key_column(table), drop=False)
        return frame.loc[self.ids(key)]

    def refs(self, key: str) -> list[str]:
        """The choices as ``table:id`` references."""
        rows = self._rows(key)
        return [f"{t}:{r}" for t, r in zip(rows["table"], rows["record_id"], strict=True)]
