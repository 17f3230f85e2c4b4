"""Validate the dataset in data/ against its datapackage.json and the seeds.

Frictionless checks what the package declares (types, constraints, primary and foreign
keys), reading each table once; the rules in ``kgkz.data.checks`` then check the rows it
read against the seeds and each other. Every problem names the file, the row (CSV line
number; the header is line 1) and the column, with a plain reason.
``python -m kgkz.data.validate [ROOT]`` prints them and exits 1 if any.
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import re
import sys
import tempfile
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

from .. import paths
from .checks import RULES
from .checks.dataset import Dataset, Problem, Table

__all__ = ["Problem", "ValidationError", "check", "main", "validate"]

HEADER = {"blank-header", "duplicate-label", "extra-label", "incorrect-label", "missing-label"}
ROW_SHAPE = {"extra-cell", "missing-cell"}
CONSTRAINTS = {
    "required": "required value is missing",
    "enum": "'{cell}' is not one of: {allowed}",
    "pattern": "'{cell}' does not match {value}",
    "minimum": "{cell} is below {value}",
    "maximum": "{cell} is above {value}",
    "minLength": "{length} characters, fewer than {value}",
    "maxLength": "{length} characters, more than {value}",
}
FOREIGN_KEY = re.compile(
    r'for "(.+?)": values "(.*?)" not found in the lookup table "(.*?)" as "(.+?)"'
)


class ValidationError(Exception):
    """The dataset is invalid; ``problems`` lists why."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        shown = "\n".join(f"  {p}" for p in problems[:50])
        more = f"\n  ... and {len(problems) - 50} more" if len(problems) > 50 else ""
        super().__init__(f"{len(problems)} problem(s) in the dataset:\n{shown}{more}")


def _header(file: str, labels: list[str], names: list[str]):
    for name in names:
        if name not in labels:
            yield Problem(file, 1, name, "column is missing")
    for label in labels:
        if label not in names:
            yield Problem(file, 1, label or None, "unexpected column (not in the schema)")
        elif labels.count(label) > 1:
            yield Problem(file, 1, label, "column appears more than once")
    if labels != names and sorted(labels) == sorted(names):
        yield Problem(file, 1, None, f"columns are not in the schema's order: {', '.join(names)}")


def _file_error(file: str, error, path: Path) -> Problem:
    if error.type == "encoding-error":
        raw = path.read_bytes()
        try:
            raw.decode("utf-8")
        except UnicodeDecodeError as e:
            line = raw[: e.start].count(b"\n") + 1
            return Problem(
                file, line, None, f"not UTF-8 (byte 0x{raw[e.start]:02x} cannot be decoded)"
            )
    if error.note == "the source is empty":
        return Problem(file, None, None, "file is empty (no header)")
    return Problem(file, None, None, error.message)


def _cell_error(error, table: Table, line: int, lines: dict, fields: dict) -> Problem | None:
    """One error of a well-formed row, in the project's words (None: said by another)."""
    column, cell = getattr(error, "field_name", None), getattr(error, "cell", "")
    if error.type == "type-error":
        kind = fields[column].get("type")
        if kind == "date" and re.fullmatch(r"\d{4}-\d{2}-\d{2}", cell):
            return Problem(table.file, line, column, f"'{cell}' is not a real date")
        what = {"date": "a date (YYYY-MM-DD)", "integer": "a whole number"}.get(kind, f"a {kind}")
        return Problem(table.file, line, column, f"'{cell}' is not {what}")
    if error.type == "constraint-error":
        name = re.search(r'constraint "(\w+)"', error.note)[1]
        value = fields[column].get("constraints", {}).get(name)
        allowed = ", ".join(map(str, value)) if isinstance(value, list) else ""
        text = CONSTRAINTS.get(name, error.note)
        message = text.format(cell=cell, value=value, allowed=allowed, length=len(cell))
        return Problem(table.file, line, column, message)
    if error.type in ("unique-error", "primary-key"):  # both for a one-column key: said once
        first = re.search(r"position (\d+)", error.note)  # none for an empty key: "required"
        columns = [column] if column else list(table.key)
        key = ", ".join(error.cells[list(fields).index(c)] for c in columns)
        where = f"first at line {lines.get(int(first[1]))}" if first else ""
        message = f"duplicate {', '.join(columns)} '{key}' ({where})"
        return Problem(table.file, line, ", ".join(columns), message) if first else None
    if error.type == "foreign-key" and (m := FOREIGN_KEY.search(error.note)):
        column, values, target, target_fields = m.groups()
        message = f"unknown {target_fields} '{values}' (not in {target}.csv)"
        return Problem(table.file, line, column, message)
    return Problem(table.file, line, column, error.note or error.message)


def _read(res, fields: dict, root: Path, broken: set[str]) -> tuple[Table | None, list[Problem]]:
    """Validate one resource with Frictionless, keeping the rows it reads; the table is
    None unless Frictionless finds it valid (the project's rules judge valid tables only)."""
    path, file = root / "data" / res.path, f"data/{res.path}"
    if not path.is_file():
        return None, [Problem(file, None, None, "file is missing")]
    keys = res.schema.foreign_keys
    res.schema.foreign_keys = [k for k in keys if k["reference"]["resource"] not in broken]
    rows, lines = [], {}  # lines: Frictionless's row number -> CSV line
    spans = 0  # line breaks inside quoted cells so far

    def keep(row) -> None:
        nonlocal spans
        lines[row.row_number] = row.row_number + spans
        spans += sum(c.count("\n") for c in row.cells if isinstance(c, str))
        rows.append(row)

    task = res.validate(on_row=keep, limit_errors=0).tasks[0]
    typed = [
        {k: float(v) if isinstance(v, Decimal) else v for k, v in r.to_dict().items()} for r in rows
    ]
    raw = [dict(zip(fields, r.cells, strict=False)) for r in rows]
    numbers = [lines[r.row_number] for r in rows]
    table = Table(res.name, typed, tuple(res.schema.primary_key), numbers, raw, file)
    if any(e.type in HEADER for e in task.errors):
        return None, list(_header(file, task.labels, list(fields)))
    by_row = defaultdict(list)
    for error in task.errors:
        by_row[getattr(error, "row_number", None)].append(error)
    problems = [_file_error(file, e, path) for e in by_row.pop(None, [])]
    if (res.encoding or "").lower() == "utf-8-sig":
        problems.append(Problem(file, 1, None, "file starts with a byte-order mark"))
    for number, errors in sorted(by_row.items()):
        line, kinds = lines.get(number, number), {e.type for e in errors}
        if "blank-row" in kinds:
            problems.append(Problem(file, line, None, "blank row"))
        elif kinds & ROW_SHAPE:
            n, shape = len(errors[0].cells), len(fields)
            message = f"row has {n} fields but the header has {shape}"
            problems.append(
                Problem(file, line, None, f"{message} (a stray comma or broken quoting?)")
            )
        else:
            problems += filter(None, (_cell_error(e, table, line, lines, fields) for e in errors))
    return (None if problems else table), problems


class _Kept:
    """Tables Frictionless found valid, kept in a directory between runs (one pickle per
    table), each under a key of all its validation read: the validator's ``version``, the
    whole descriptor, its own file and, in turn, the keys of the tables its foreign keys
    look up. A table is taken from here only while its key holds; a table with a problem
    is never kept."""

    def __init__(self, where: Path, version: str, descriptor: dict, root: Path) -> None:
        self.where = where
        whole = json.dumps(descriptor, sort_keys=True)
        base = hashlib.sha256(f"{version}\0{whole}".encode()).hexdigest()
        by_name = {r.get("name"): r for r in descriptor.get("resources", [])}
        self.keys: dict[str, str] = {}

        def key(name: str, seen: tuple[str, ...] = ()) -> str:
            if name not in self.keys:
                res = by_name[name]
                path = root / "data" / str(res.get("path", ""))
                content = hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else ""
                refs = sorted(
                    {fk.get("reference", {}).get("resource") for fk in _foreign_keys(res)}
                    - {name, "", None}
                )
                looked_up = [key(r, (*seen, name)) for r in refs if r in by_name and r not in seen]
                parts = [base, name, content, *looked_up]
                self.keys[name] = hashlib.sha256("\0".join(parts).encode()).hexdigest()
            return self.keys[name]

        for name in by_name:
            key(name)

    def _file(self, name: str) -> Path:
        return self.where / f"{name}.pickle"

    def get(self, name: str) -> Table | None:
        try:
            with self._file(name).open("rb") as f:
                key, table = pickle.load(f)
        except (OSError, EOFError, pickle.UnpicklingError, ValueError, TypeError):
            return None
        return table if key == self.keys.get(name) else None

    def put(self, table: Table) -> None:
        self.where.mkdir(parents=True, exist_ok=True)
        target = self._file(table.name)
        # Written aside, then moved in: two builds at once never read half a file.
        with tempfile.NamedTemporaryFile("wb", dir=self.where, delete=False) as f:
            pickle.dump((self.keys[table.name], table), f)
        os.replace(f.name, target)


def _foreign_keys(resource: dict) -> list[dict]:
    return resource.get("schema", {}).get("foreignKeys", []) if isinstance(resource, dict) else []


def _reference_order(resources: dict[str, dict]) -> list[str]:
    """The tables' names in the order they are read: the descriptor's, each table
    followed by those its foreign keys look up that are not listed yet."""
    done: dict[str, None] = {}

    def visit(name: str) -> None:
        if name not in done:
            done[name] = None
            for fk in _foreign_keys(resources[name]):
                if (ref := fk.get("reference", {}).get("resource")) in resources:
                    visit(ref)

    for name in resources:
        visit(name)
    return list(done)


def _seeds(root: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((root / "seeds").glob("*.txt"))}


def read(
    root: Path, keep: Path | None = None, version: str = ""
) -> tuple[Dataset | None, list[Problem]]:
    """Every table through Frictionless (once each), the descriptor and the seed files.

    With ``keep`` (a directory), a table found valid is kept there with ``version`` (the
    validator's) in its key, and a table whose key still holds is taken from there
    without reading it again (see ``_Kept``)."""
    where = "data/datapackage.json"
    try:
        descriptor = json.loads((root / where).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None, [Problem(where, None, None, "file is missing")]
    except ValueError as e:
        return None, [Problem(where, None, None, f"not a valid data package: {e}")]
    kept, tables = None, {}
    if keep is not None and isinstance(descriptor, dict):
        try:
            kept = _Kept(keep, version, descriptor, root)
        except (AttributeError, KeyError, TypeError):  # a broken descriptor: said below
            kept = None
        else:
            tables = {n: t for n in kept.keys if (t := kept.get(n)) is not None}
    if kept is None or len(tables) < len(kept.keys):  # tables to read: Frictionless
        from frictionless import FrictionlessException, Package

        try:
            package = Package(descriptor, basepath=str(root / "data"))
        except (ValueError, FrictionlessException) as e:
            return None, [Problem(where, None, None, f"not a valid data package: {e}")]
    resources = {r["name"]: r for r in descriptor["resources"]}
    order = _reference_order(resources)
    broken, problems = set(), []
    for name in order:
        if name in tables:
            continue
        res = package.get_resource(name)
        fields = {f["name"]: f for f in resources[name].get("schema", {}).get("fields", [])}
        table, found = _read(res, fields, root, broken)
        problems += found
        if table is None:
            broken.add(name)
        else:
            tables[name] = table
            if kept is not None:
                kept.put(table)
    tables = {name: tables[name] for name in order if name in tables}
    return Dataset(tables, resources, _seeds(root)), problems


def validate(
    root: Path | None = None, keep: Path | None = None, version: str = ""
) -> list[Problem]:
    """Return every problem found in the dataset (an empty list means valid). With
    ``keep``, tables found valid before (by the validator of ``version``) and unchanged
    since are taken from there (see ``read``); every rule still runs on all of them."""
    dataset, problems = read(root or paths.root(), keep, version)
    if dataset is not None:
        for rule in RULES:
            problems += rule(dataset)
    return sorted(set(problems), key=lambda p: (p.file, p.row or 0, p.column or "", p.message))


def check(root: Path | None = None, keep: Path | None = None, version: str = "") -> None:
    """Raise ValidationError if the dataset has any problem."""
    problems = validate(root, keep, version)
    if problems:
        raise ValidationError(problems)


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    root = Path(args[0]).resolve() if args else paths.root()
    problems = validate(root)
    for p in problems:
        print(p, file=sys.stderr)
    if problems:
        print(f"INVALID: {len(problems)} problem(s) in {root / 'data'}", file=sys.stderr)
        return 1
    print(f"valid: {root / 'data'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
