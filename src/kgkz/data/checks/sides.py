"""Each side of a disagreement (``table:id``) names an existing record."""

from .dataset import Dataset, Problem


def check(ds: Dataset):
    table = ds.tables.get("disagreements")
    if table is None:
        return
    for line, row in table:
        for side in filter(None, (row["sides"] or "").split(";")):
            if ds.names_no_record(side):
                yield Problem(table.file, line, "sides", f"'{side}' names no record")
