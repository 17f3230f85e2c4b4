"""Each editorial choice (data/selections.csv) names an existing record."""

from .dataset import Dataset, Problem


def check(ds: Dataset):
    table = ds.tables.get("selections")
    if table is None:
        return
    for line, row in table:
        ref = f"{row['table']}:{row['record_id']}"
        if ds.names_no_record(ref):
            yield Problem(table.file, line, "record_id", f"'{ref}' names no record")
