"""A sentence's basis agrees with its records and note: supports, opinion, repeats and
metadata list the records that hold the sentence; rhetoric, site_furniture and
out_of_scope list none; out_of_scope says why in its note."""

from .dataset import Dataset, Problem

HELD = {"supports", "opinion", "repeats", "metadata"}


def check(ds: Dataset):
    table = ds.tables.get("sentences")
    if table is None:
        return
    for line, row in table:
        basis = row["basis"]
        if not basis:
            continue
        if basis in HELD and not row["records"]:
            yield Problem(table.file, line, "records", f"'{basis}' needs the records it names")
        elif basis not in HELD and row["records"]:
            yield Problem(table.file, line, "records", f"'{basis}' lists no records")
        if basis == "out_of_scope" and not row["note"]:
            yield Problem(table.file, line, "note", "'out_of_scope' needs a note saying why")
