"""What every check sees: the tables that Frictionless found valid (typed by their schema,
each row with its CSV line), the resources' descriptors and the files in seeds/."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any


@dataclass(frozen=True, order=True)
class Problem:
    file: str
    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        where = self.file
        if self.row is not None:
            where += f", line {self.row}"
        if self.column:
            where += f", column {self.column}"
        return f"{where}: {self.message}"


@dataclass
class Table:
    """Rows as dicts of typed values (None where empty or unreadable), with their lines
    (the header is line 1) and their cells as written."""

    name: str
    rows: list[dict[str, Any]]
    key: tuple[str, ...] = ()
    lines: list[int] = field(default_factory=list)
    raw: list[dict[str, str]] = field(default_factory=list)
    file: str = ""

    def __post_init__(self) -> None:
        self.file = self.file or f"data/{self.name}.csv"
        self.lines = self.lines or list(range(2, len(self.rows) + 2))
        self.raw = self.raw or [
            {k: "" if v is None else str(v) for k, v in r.items()} for r in self.rows
        ]

    def __iter__(self) -> Iterator[tuple[int, dict[str, Any]]]:
        return zip(self.lines, self.rows, strict=True)

    def id(self, row: dict[str, Any]) -> str:
        return ", ".join(str(row.get(k)) for k in self.key)

    @cached_property
    def by_id(self) -> dict[str, dict[str, Any]]:
        return {self.id(row): row for row in self.rows}


@dataclass
class Dataset:
    tables: dict[str, Table]
    resources: dict[str, dict] = field(default_factory=dict)
    seed_files: dict[str, bytes] = field(default_factory=dict)

    @cached_property
    def seeds(self) -> dict[str, list[str]]:
        """The lines of each seed that sources.csv lists and seeds/ holds, by source id."""
        sources = self.tables.get("sources")
        rows = sources.rows if sources is not None else []
        return {
            r["source_id"]: self.seed_files[r["file"]].decode("utf-8", "replace").splitlines()
            for r in rows
            if r.get("kind") == "seed" and r.get("file") in self.seed_files
        }

    def fields(self, type_: str) -> Iterator[tuple[Table, str]]:
        """(table, column) for each column of that type in the valid tables."""
        for name, table in self.tables.items():
            for f in self.resources.get(name, {}).get("schema", {}).get("fields", []):
                if f.get("type") == type_:
                    yield table, f["name"]

    def names_no_record(self, ref: str) -> bool:
        """Whether ``table:id`` names no record (False where its table is not valid)."""
        table, _, rid = ref.partition(":")
        if table not in self.resources:
            return True
        return table in self.tables and rid not in self.tables[table].by_id
