"""Validate the dataset in data/ against its datapackage.json and the seeds.

Every problem names the file, the row (CSV line number; the header is line 1) and the
column, with a plain reason. ``python -m kgkz.validate`` prints them and exits 1 if any.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import re
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from .. import paths

PERIOD = (dt.date(1990, 1, 1), dt.date(2020, 12, 31))
MAX_QUOTE = 300


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


class ValidationError(Exception):
    """The dataset is invalid; ``problems`` lists why."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        shown = "\n".join(f"  {p}" for p in problems[:50])
        more = f"\n  ... and {len(problems) - 50} more" if len(problems) > 50 else ""
        super().__init__(f"{len(problems)} problem(s) in the dataset:\n{shown}{more}")


@dataclass
class Table:
    """A parsed CSV table: rows as dicts of raw strings, with their line numbers."""

    name: str
    file: str
    fields: list[str]
    rows: list[dict[str, str]] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)

    def where(self, i: int) -> int:
        return self.lines[i]


def _rel(path: Path, root: Path) -> str:
    try:
        return str(path.relative_to(root))
    except ValueError:
        return str(path)


def parse_date(text: str) -> dt.date:
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        raise ValueError(f"'{text}' is not a date (YYYY-MM-DD)")
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"'{text}' is not a real date") from None


def _convert(value: str, type_: str):
    if type_ == "integer":
        if not re.fullmatch(r"[+-]?\d+", value):
            raise ValueError(f"'{value}' is not a whole number")
        return int(value)
    if type_ == "number":
        try:
            return float(value)
        except ValueError:
            raise ValueError(f"'{value}' is not a number") from None
    if type_ == "date":
        return parse_date(value)
    return value


def read_table(path: Path, name: str, root: Path, problems: list[Problem]) -> Table | None:
    """Read one CSV strictly; on an unreadable file add a problem and return None."""
    rel = _rel(path, root)
    if not path.is_file():
        problems.append(Problem(rel, None, None, "file is missing"))
        return None
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        line = raw[: e.start].count(b"\n") + 1
        problems.append(
            Problem(rel, line, None, f"not UTF-8 (byte 0x{raw[e.start]:02x} cannot be decoded)")
        )
        return None
    if text.startswith("\ufeff"):
        problems.append(Problem(rel, 1, None, "file starts with a byte-order mark; save as UTF-8"))
        return None
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader)
    except StopIteration:
        problems.append(Problem(rel, None, None, "file is empty (no header)"))
        return None
    except csv.Error as e:
        problems.append(Problem(rel, reader.line_num, None, f"broken CSV: {e}"))
        return None
    table = Table(name, rel, header)
    start = 2
    try:
        for cells in reader:
            if len(cells) != len(header):
                problems.append(
                    Problem(
                        rel,
                        start,
                        None,
                        f"row has {len(cells)} fields but the header has {len(header)}"
                        " (a stray comma or broken quoting?)",
                    )
                )
            elif any(c.strip() for c in cells):
                table.rows.append(dict(zip(header, cells, strict=True)))
                table.lines.append(start)
            start = reader.line_num + 1
    except csv.Error as e:
        problems.append(Problem(rel, reader.line_num, None, f"broken CSV: {e}"))
        return None
    return table


def _check_schema(table: Table, schema: dict, problems: list[Problem]) -> dict[str, list]:
    """Check columns, types and constraints; return typed column values (None where bad)."""
    fields = schema["fields"]
    names = [f["name"] for f in fields]
    for name in names:
        if name not in table.fields:
            problems.append(Problem(table.file, 1, name, "column is missing"))
    for name in table.fields:
        if name not in names:
            problems.append(Problem(table.file, 1, name, "unexpected column (not in the schema)"))
    if not table.rows:
        problems.append(Problem(table.file, None, None, "table is empty (no data rows)"))
    typed: dict[str, list] = {}
    for f in fields:
        name, type_ = f["name"], f.get("type", "string")
        cons = f.get("constraints", {})
        values: list = []
        seen: dict[str, int] = {}
        for i, row in enumerate(table.rows):
            value = row.get(name, "")
            line = table.where(i)
            if name not in row:
                values.append(None)
                continue
            if value == "":
                if cons.get("required"):
                    problems.append(Problem(table.file, line, name, "required value is missing"))
                values.append(None)
                continue
            if value != value.strip():
                problems.append(
                    Problem(table.file, line, name, f"'{value}' has leading or trailing spaces")
                )
            try:
                converted = _convert(value, type_)
            except ValueError as e:
                problems.append(Problem(table.file, line, name, str(e)))
                values.append(None)
                continue
            if "enum" in cons and value not in cons["enum"]:
                allowed = ", ".join(cons["enum"])
                problems.append(
                    Problem(table.file, line, name, f"'{value}' is not one of: {allowed}")
                )
            if "pattern" in cons and not re.fullmatch(cons["pattern"], value):
                problems.append(
                    Problem(table.file, line, name, f"'{value}' does not match {cons['pattern']}")
                )
            if "minimum" in cons and converted < cons["minimum"]:
                problems.append(
                    Problem(table.file, line, name, f"{value} is below {cons['minimum']}")
                )
            if "maximum" in cons and converted > cons["maximum"]:
                problems.append(
                    Problem(table.file, line, name, f"{value} is above {cons['maximum']}")
                )
            if "maxLength" in cons and len(value) > cons["maxLength"]:
                problems.append(
                    Problem(
                        table.file,
                        line,
                        name,
                        f"{len(value)} characters, more than {cons['maxLength']}",
                    )
                )
            if cons.get("unique"):
                if value in seen:
                    problems.append(
                        Problem(
                            table.file,
                            line,
                            name,
                            f"duplicate value '{value}' (first at line {seen[value]})",
                        )
                    )
                else:
                    seen[value] = line
            values.append(converted)
        typed[name] = values
    return typed


class Dataset:
    """All tables of the package, read and typed, with the seeds' lines."""

    def __init__(self, root: Path):
        self.root = root
        self.data = root / "data"
        self.problems: list[Problem] = []
        self.tables: dict[str, Table] = {}
        self.typed: dict[str, dict[str, list]] = {}
        self.schemas: dict[str, dict] = {}
        self.resources: dict[str, dict] = {}
        self.seed_lines: dict[str, list[str]] = {}

    def load(self) -> None:
        dp_path = self.data / "datapackage.json"
        rel = _rel(dp_path, self.root)
        try:
            descriptor = json.loads(dp_path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            self.problems.append(Problem(rel, None, None, "file is missing"))
            return
        except (json.JSONDecodeError, UnicodeDecodeError) as e:
            self.problems.append(Problem(rel, None, None, f"not valid JSON: {e}"))
            return
        for res in descriptor.get("resources", []):
            name = res["name"]
            self.resources[name] = res
            self.schemas[name] = res["schema"]
            table = read_table(self.data / res["path"], name, self.root, self.problems)
            if table is None:
                continue
            self.tables[name] = table
            self.typed[name] = _check_schema(table, res["schema"], self.problems)

    def ids(self, table: str) -> set[str]:
        pk = self.schemas.get(table, {}).get("primaryKey")
        if table not in self.tables or not isinstance(pk, str):
            return set()
        return {row.get(pk, "") for row in self.tables[table].rows}


def _check_keys(ds: Dataset) -> None:
    for name, schema in ds.schemas.items():
        table = ds.tables.get(name)
        if table is None:
            continue
        pk = schema.get("primaryKey")
        if pk:
            seen: dict[str, int] = {}
            cols = pk if isinstance(pk, list) else [pk]
            for i, row in enumerate(table.rows):
                key = ", ".join(row.get(c, "") for c in cols)
                if key in seen:
                    ds.problems.append(
                        Problem(
                            table.file,
                            table.where(i),
                            ", ".join(cols),
                            f"duplicate id '{key}' (first at line {seen[key]})",
                        )
                    )
                else:
                    seen[key] = table.where(i)
        for fk in schema.get("foreignKeys", []):
            col, ref = fk["fields"], fk["reference"]
            if ref["resource"] not in ds.tables:
                continue
            targets = {r.get(ref["fields"], "") for r in ds.tables[ref["resource"]].rows}
            for i, row in enumerate(table.rows):
                value = row.get(col, "")
                if value and value not in targets:
                    ds.problems.append(
                        Problem(
                            table.file,
                            table.where(i),
                            col,
                            f"unknown {ref['fields']} '{value}' (not in {ref['resource']}.csv)",
                        )
                    )


def _check_dates(ds: Dataset) -> None:
    lo, hi = PERIOD
    for name, table in ds.tables.items():
        typed = ds.typed[name]
        for f in ds.schemas[name]["fields"]:
            if f.get("type") != "date":
                continue
            for i, value in enumerate(typed.get(f["name"], [])):
                if value is not None and not lo <= value <= hi:
                    ds.problems.append(
                        Problem(
                            table.file,
                            table.where(i),
                            f["name"],
                            f"{value} is outside the period {lo} to {hi}",
                        )
                    )
        if "date_start" in typed and "date_end" in typed and "date_precision" in table.fields:
            precision = [r.get("date_precision", "") for r in table.rows]
            for i, (a, b) in enumerate(zip(typed["date_start"], typed["date_end"], strict=True)):
                line = table.where(i)
                raw_a, raw_b = (
                    table.rows[i].get("date_start", ""),
                    table.rows[i].get("date_end", ""),
                )
                if precision[i] == "undated":
                    if raw_a or raw_b:
                        ds.problems.append(
                            Problem(table.file, line, "date_start", "an undated record has dates")
                        )
                    continue
                if not raw_a or not raw_b:
                    col = "date_start" if not raw_a else "date_end"
                    ds.problems.append(
                        Problem(table.file, line, col, "date is missing (use precision 'undated')")
                    )
                elif a is not None and b is not None and b < a:
                    ds.problems.append(
                        Problem(table.file, line, "date_end", f"ends ({b}) before it starts ({a})")
                    )
                elif precision[i] == "day" and a is not None and a != b:
                    ds.problems.append(
                        Problem(table.file, line, "date_end", "precision 'day' but start != end")
                    )


def _check_seeds(ds: Dataset) -> None:
    table = ds.tables.get("sources")
    if table is None:
        return
    seeds_dir = ds.root / "seeds"
    listed = set()
    for i, row in enumerate(table.rows):
        line = table.where(i)
        if row.get("kind") != "seed":
            continue
        name = row.get("file", "")
        listed.add(name)
        path = seeds_dir / name
        if not name or not path.is_file():
            ds.problems.append(Problem(table.file, line, "file", f"seed file '{name}' is missing"))
            continue
        raw = path.read_bytes()
        digest = hashlib.sha256(raw).hexdigest()
        if digest != row.get("sha256"):
            ds.problems.append(
                Problem(
                    table.file,
                    line,
                    "sha256",
                    f"seeds/{name} has changed: its sha256 is {digest}, the manifest says"
                    f" {row.get('sha256')}",
                )
            )
        ds.seed_lines[row["source_id"]] = raw.decode("utf-8", errors="replace").splitlines()
        if row.get("date_precision") == "unknown" and row.get("published"):
            ds.problems.append(
                Problem(table.file, line, "published", "precision 'unknown' but a date is given")
            )
    if seeds_dir.is_dir():
        for path in sorted(seeds_dir.glob("*.txt")):
            if path.name not in listed:
                ds.problems.append(
                    Problem(_rel(path, ds.root), None, None, "seed file is not in sources.csv")
                )


def _public_record(ds: Dataset) -> dict[tuple[str, str], list[dict[str, str]]]:
    rows: dict[tuple[str, str], list[dict[str, str]]] = defaultdict(list)
    table = ds.tables.get("public_record")
    if table is not None:
        for row in table.rows:
            rows[(row.get("ref_id", ""), row.get("measure", ""))].append(row)
    return rows


def _ref_value_matches(value: float, row: dict[str, str]) -> bool:
    """True if a figure equals the report's value (scaled by its unit) or stands in its note."""
    raw = row.get("value", "").replace(",", "")
    try:
        reported = float(raw)
    except ValueError:
        reported = None
    if reported is not None:
        unit = row.get("unit", "")
        scales = [1.0] + ([1e6] if unit.startswith("million") else [])
        if any(abs(reported * s - value) < 1e-6 * max(1, abs(value)) for s in scales):
            return True
    note = row.get("note", "").replace(",", "")
    numbers = {float(n) for n in re.findall(r"\d+(?:\.\d+)?", note)}
    return value in numbers


def _check_evidence(ds: Dataset) -> None:
    ev = ds.tables.get("evidence")
    sources = ds.tables.get("sources")
    if ev is None or sources is None:
        return
    kinds = {r["source_id"]: r.get("kind") for r in sources.rows}
    record_rows = {
        name: {row.get(ds.schemas[name].get("primaryKey", ""), ""): row for row in t.rows}
        for name, t in ds.tables.items()
        if isinstance(ds.schemas[name].get("primaryKey"), str)
    }
    public = _public_record(ds)
    covered: dict[str, set[str]] = defaultdict(set)
    cited: set[str] = set()
    for i, row in enumerate(ev.rows):
        line = ev.where(i)
        table, rid, sid = row.get("table", ""), row.get("record_id", ""), row.get("source_id", "")
        quote, locator = row.get("quote", ""), row.get("locator", "")
        target = record_rows.get(table, {}).get(rid)
        if table in record_rows and target is None:
            ds.problems.append(
                Problem(ev.file, line, "record_id", f"no record '{rid}' in {table}.csv")
            )
        covered[table].add(rid)
        cited.add(sid)
        kind = kinds.get(sid)
        if kind == "seed":
            if not quote:
                ds.problems.append(
                    Problem(ev.file, line, "quote", "a seed's evidence needs a verbatim quote")
                )
            elif sid in ds.seed_lines and not any(quote in ln for ln in ds.seed_lines[sid]):
                ds.problems.append(
                    Problem(
                        ev.file,
                        line,
                        "quote",
                        f"quote is not in seed {sid} (verbatim, on one line): '{quote[:80]}'",
                    )
                )
            if locator:
                ds.problems.append(
                    Problem(ev.file, line, "locator", "a seed's evidence is a quote, not a locator")
                )
        elif kind == "reference":
            if quote:
                ds.problems.append(
                    Problem(
                        ev.file,
                        line,
                        "quote",
                        "public-record reports were not read in full: cite a locator, not a quote",
                    )
                )
            matches = public.get((sid, locator), [])
            if not matches:
                ds.problems.append(
                    Problem(
                        ev.file,
                        line,
                        "locator",
                        f"public_record.csv has no row for {sid} with measure '{locator}'",
                    )
                )
            elif target is not None:
                _check_against_reference(ds, ev.file, line, table, target, matches)
    for name, res in ds.resources.items():
        if not res.get("x-evidence-required") or name not in record_rows:
            continue
        table = ds.tables[name]
        pk = ds.schemas[name]["primaryKey"]
        for i, row in enumerate(table.rows):
            if row.get(pk) not in covered[name]:
                ds.problems.append(
                    Problem(
                        table.file,
                        table.where(i),
                        pk,
                        f"record '{row.get(pk)}' has no evidence in evidence.csv",
                    )
                )
    for sid, kind in kinds.items():
        if kind == "seed" and sid not in cited:
            ds.problems.append(
                Problem(sources.file, None, "source_id", f"seed {sid} is never cited as evidence")
            )


def _check_against_reference(ds, file, line, table, target, matches) -> None:
    """A record drawn from the public record must agree with it."""
    if table in ("quantities", "election_2017"):
        try:
            value = float(target.get("value", ""))
        except ValueError:
            return
        if not any(_ref_value_matches(value, m) for m in matches):
            ds.problems.append(
                Problem(
                    file,
                    line,
                    "locator",
                    f"{table} value {target.get('value')} disagrees with public_record.csv"
                    f" ({matches[0]['ref_id']}, '{matches[0]['measure']}')",
                )
            )
    elif table in ("events", "statements"):
        for m in matches:
            if m.get("unit") != "date":
                continue
            try:
                day = parse_date(m.get("value", ""))
                lo = parse_date(target.get("date_start", ""))
                hi = parse_date(target.get("date_end", ""))
            except ValueError:
                continue
            if not lo <= day <= hi:
                ds.problems.append(
                    Problem(
                        file,
                        line,
                        "locator",
                        f"{table} dates {lo} to {hi} disagree with public_record.csv"
                        f" ({m['ref_id']}: {day})",
                    )
                )


def _check_references(ds: Dataset) -> None:
    sources, public = ds.tables.get("sources"), ds.tables.get("public_record")
    if sources is None or public is None:
        return
    reports = {r["ref_id"]: r for r in public.rows}
    for i, row in enumerate(sources.rows):
        if row.get("kind") != "reference":
            continue
        ref = reports.get(row["source_id"])
        if ref is None:
            ds.problems.append(
                Problem(
                    sources.file,
                    sources.where(i),
                    "source_id",
                    f"reference '{row['source_id']}' is not in public_record.csv",
                )
            )
            continue
        for col in ("outlet", "url"):
            if row.get(col) != ref.get(col):
                ds.problems.append(
                    Problem(
                        sources.file,
                        sources.where(i),
                        col,
                        f"'{row.get(col)}' differs from public_record.csv ('{ref.get(col)}')",
                    )
                )
    listed = {r["source_id"] for r in sources.rows}
    for ref_id in sorted(set(reports) - listed):
        ds.problems.append(
            Problem(sources.file, None, "source_id", f"report {ref_id} is not in sources.csv")
        )


def _check_aliases(ds: Dataset) -> None:
    table = ds.tables.get("aliases")
    if table is None or not ds.seed_lines:
        return
    corpus = "\n".join("\n".join(lines) for lines in ds.seed_lines.values())
    for i, row in enumerate(table.rows):
        if row.get("alias") and row["alias"] not in corpus:
            ds.problems.append(
                Problem(table.file, table.where(i), "alias", f"'{row['alias']}' occurs in no seed")
            )


def _check_sides(ds: Dataset) -> None:
    table = ds.tables.get("disagreements")
    if table is None:
        return
    for i, row in enumerate(table.rows):
        for side in filter(None, row.get("sides", "").split(";")):
            name, _, rid = side.partition(":")
            if name not in ds.tables or rid not in ds.ids(name):
                ds.problems.append(
                    Problem(table.file, table.where(i), "sides", f"'{side}' names no record")
                )


def _check_boilerplate(ds: Dataset) -> None:
    table = ds.tables.get("boilerplate")
    if table is None:
        return
    for i, row in enumerate(table.rows):
        lines = ds.seed_lines.get(row.get("source_id", ""))
        try:
            first, last = int(row["first_line"]), int(row["last_line"])
        except (KeyError, ValueError):
            continue
        if lines is None:
            continue
        if last < first or last > len(lines):
            ds.problems.append(
                Problem(
                    table.file,
                    table.where(i),
                    "last_line",
                    f"lines {first}-{last} do not fit in a seed of {len(lines)} lines",
                )
            )


def validate(root: Path | None = None) -> list[Problem]:
    """Return every problem found in the dataset (an empty list means valid)."""
    ds = Dataset(root or paths.root())
    ds.load()
    if ds.tables:
        _check_keys(ds)
        _check_dates(ds)
        _check_seeds(ds)
        _check_references(ds)
        _check_evidence(ds)
        _check_aliases(ds)
        _check_sides(ds)
        _check_boilerplate(ds)
    return sorted(set(ds.problems), key=lambda p: (p.file, p.row or 0, p.column or "", p.message))


def check(root: Path | None = None) -> None:
    """Raise ValidationError if the dataset has any problem."""
    problems = validate(root)
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
