"""Each boilerplate range lies within its seed: first_line <= last_line <= its length."""

from .dataset import Dataset, Problem


def check(ds: Dataset):
    table = ds.tables.get("boilerplate")
    if table is None:
        return
    for line, row in table:
        lines, first, last = ds.seeds.get(row["source_id"]), row["first_line"], row["last_line"]
        if lines is not None and first and last and not first <= last <= len(lines):
            message = f"lines {first}-{last} do not fit in a seed of {len(lines)} lines"
            yield Problem(table.file, line, "last_line", message)
