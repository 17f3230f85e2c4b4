"""A record drawn from a public-record report agrees with it: a figure equals the
report's value (scaled by its unit) or a number in its note; an event's or statement's
dates contain the date the report gives."""

import datetime as dt
import math
import re
from collections import defaultdict

from .dataset import Dataset, Problem


def _agrees(value: float, report: dict) -> bool:
    try:
        reported = float((report["value"] or "").replace(",", ""))
    except ValueError:
        reported = math.nan
    scales = [1.0, 1e6] if (report["unit"] or "").startswith("million") else [1.0]
    if any(math.isclose(reported * s, value, rel_tol=1e-6) for s in scales):
        return True
    note = (report["note"] or "").replace(",", "")
    return value in {float(n) for n in re.findall(r"\d+(?:\.\d+)?", note)}


def _date(report: dict) -> dt.date | None:
    try:
        return dt.date.fromisoformat(report["value"]) if report["unit"] == "date" else None
    except (TypeError, ValueError):
        return None


def check(ds: Dataset):
    evidence, public = ds.tables.get("evidence"), ds.tables.get("public_record")
    if evidence is None or public is None:
        return
    reports = defaultdict(list)
    for row in public.rows:
        reports[row["ref_id"], row["measure"]].append(row)
    for line, row in evidence:
        found, name = reports.get((row["source_id"], row["locator"])), row["table"]
        record = ds.tables[name].by_id.get(row["record_id"]) if name in ds.tables else None
        if not found or record is None:
            continue
        value, lo, hi = record.get("value"), record.get("date_start"), record.get("date_end")
        if value is not None and not any(_agrees(value, r) for r in found):
            where = f"{found[0]['ref_id']}, '{found[0]['measure']}'"
            message = f"{name} value {value:.12g} disagrees with public_record.csv ({where})"
            yield Problem(evidence.file, line, "locator", message)
        for day in filter(None, map(_date, found)):
            if lo and hi and not lo <= day <= hi:
                where = f"{found[0]['ref_id']}: {day}"
                message = f"{name} dates {lo} to {hi} disagree with public_record.csv ({where})"
                yield Problem(evidence.file, line, "locator", message)
