"""Every alias occurs, verbatim, in a seed: names resolve only through spellings the
sources use."""

from .dataset import Dataset, Problem


def check(ds: Dataset):
    table = ds.tables.get("aliases")
    if table is None or not ds.seeds:
        return
    corpus = "\n".join("\n".join(lines) for lines in ds.seeds.values())
    for line, row in table:
        if row["alias"] and row["alias"] not in corpus:
            yield Problem(table.file, line, "alias", f"'{row['alias']}' occurs in no seed")
