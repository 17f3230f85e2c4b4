"""Every table has at least one row."""

from .dataset import Dataset, Problem


def check(ds: Dataset):
    for table in ds.tables.values():
        if not table.rows:
            yield Problem(table.file, None, None, "table is empty (no data rows)")
