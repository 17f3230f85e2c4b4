"""A date range does not end before it starts."""

from .dataset import Dataset, Problem

RANGES = [("date_start", "date_end"), ("date_earliest", "date_latest")]


def check(ds: Dataset):
    for table in ds.tables.values():
        for line, row in table:
            for start, end in RANGES:
                a, b = row.get(start), row.get(end)
                if a is not None and b is not None and b < a:
                    yield Problem(table.file, line, end, f"ends ({b}) before it starts ({a})")
