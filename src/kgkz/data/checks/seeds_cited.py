"""Every seed is cited as evidence at least once."""

from .dataset import Dataset, Problem


def check(ds: Dataset):
    evidence, sources = ds.tables.get("evidence"), ds.tables.get("sources")
    if evidence is None or sources is None:
        return
    cited = {r["source_id"] for r in evidence.rows}
    for line, row in sources:
        if row["kind"] == "seed" and row["source_id"] not in cited:
            message = f"seed {row['source_id']} is never cited as evidence"
            yield Problem(sources.file, line, "source_id", message)
