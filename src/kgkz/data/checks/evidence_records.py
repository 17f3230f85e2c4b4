"""Every evidence row names an existing record of its table."""

from .dataset import Dataset, Problem


def check(ds: Dataset):
    evidence = ds.tables.get("evidence")
    if evidence is None:
        return
    for line, row in evidence:
        table, rid = row["table"], row["record_id"]
        if table and rid and ds.names_no_record(f"{table}:{rid}"):
            yield Problem(evidence.file, line, "record_id", f"no record '{rid}' in {table}.csv")
