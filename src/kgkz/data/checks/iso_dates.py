"""Dates are written YYYY-MM-DD, with two-digit months and days (Frictionless would also
read 2017-1-5)."""

import re

from .dataset import Dataset, Problem


def check(ds: Dataset):
    for table, column in ds.fields("date"):
        for line, row, cells in zip(table.lines, table.rows, table.raw, strict=True):
            cell = cells[column]
            if row[column] is not None and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", cell):
                yield Problem(table.file, line, column, f"'{cell}' is not a date (YYYY-MM-DD)")
