"""Every record of a table that datapackage.json marks ``x-evidence-required`` has a row
in evidence.csv (records are named by the table's ``primaryKey``)."""

from .dataset import Dataset, Problem


def check(ds: Dataset):
    evidence = ds.tables.get("evidence")
    if evidence is None:
        return
    covered = {(r["table"], r["record_id"]) for r in evidence.rows}
    for name, resource in ds.resources.items():
        table = ds.tables.get(name)
        if table is None or not resource.get("x-evidence-required"):
            continue
        for line, row in table:
            if (name, table.id(row)) not in covered:
                message = f"record '{table.id(row)}' has no evidence in evidence.csv"
                yield Problem(table.file, line, ", ".join(table.key), message)
