"""No record cites the same words twice: two evidence rows for one record with the same
source, quote and locator are one piece of evidence counted twice."""

from .dataset import Dataset, Problem


def check(ds: Dataset):
    evidence = ds.tables.get("evidence")
    if evidence is None:
        return
    first: dict[tuple, str] = {}
    for line, row in evidence:
        what = tuple(
            row.get(c) or "" for c in ("table", "record_id", "source_id", "quote", "locator")
        )
        if what in first:
            message = f"the same evidence as {first[what]} (same record, source and words)"
            yield Problem(evidence.file, line, "evidence_id", message)
        else:
            first[what] = row.get("evidence_id") or f"line {line}"
