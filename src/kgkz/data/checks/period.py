"""Every date falls inside the book's period."""

import datetime as dt

from .dataset import Dataset, Problem

PERIOD = (dt.date(1990, 1, 1), dt.date(2020, 12, 31))


def check(ds: Dataset):
    lo, hi = PERIOD
    for table, column in ds.fields("date"):
        for line, row in table:
            day = row[column]
            if day is not None and not lo <= day <= hi:
                yield Problem(table.file, line, column, f"{day} is outside the period {lo} to {hi}")
