"""Each record a sentence lists in ``records`` (``table:id``) exists."""

from .dataset import Dataset, Problem


def check(ds: Dataset):
    table = ds.tables.get("sentences")
    if table is None:
        return
    for line, row in table:
        for ref in filter(None, (row["records"] or "").split(";")):
            if ds.names_no_record(ref):
                yield Problem(table.file, line, "records", f"'{ref}' names no record")
