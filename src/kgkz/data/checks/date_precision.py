"""A record's dates agree with their precision: 'undated' has none and every other
precision has them; 'day' starts and ends on the same day; 'month' and 'year' run over
whole calendar months or years (from the 1st to a month's last day, from 1 January to
31 December)."""

import datetime as dt

from .dataset import Dataset, Problem

DATES = {"date_precision": ("date_start", "date_end"), "as_of_precision": ("as_of", "as_of")}


def _fits(a: dt.date, b: dt.date, precision: str) -> bool:
    last = b + dt.timedelta(days=1)
    if precision == "day":
        return a == b
    if precision == "month":
        return a.day == 1 and last.day == 1
    if precision == "year":
        return (a.month, a.day, last.month, last.day) == (1, 1, 1, 1)
    return True


def check(ds: Dataset):
    for table in ds.tables.values():
        for line, row, cells in zip(table.lines, table.rows, table.raw, strict=True):
            for column, (start, end) in DATES.items():
                if column not in row or start not in row:
                    continue
                precision, given = row[column], [cells[start], cells[end]]
                a, b = row[start], row[end]
                if precision == "undated" and any(given):
                    yield Problem(table.file, line, start, "an undated record has dates")
                elif precision != "undated" and not all(given):
                    where = start if not given[0] else end
                    yield Problem(
                        table.file, line, where, "date is missing (use precision 'undated')"
                    )
                elif precision and a and b and start != end and not _fits(a, b, precision):
                    what = {"day": "one day", "month": "whole months", "year": "whole years"}
                    message = f"precision '{precision}' but {a} to {b} is not {what[precision]}"
                    yield Problem(table.file, line, end, message)
