"""A public-record report's evidence is a locator, not a quote: a measure that
public_record.csv gives for that report."""

from .dataset import Dataset, Problem


def check(ds: Dataset):
    evidence, sources = ds.tables.get("evidence"), ds.tables.get("sources")
    public = ds.tables.get("public_record")
    if evidence is None or sources is None or public is None:
        return
    references = {r["source_id"] for r in sources.rows if r["kind"] == "reference"}
    measures = {(r["ref_id"], r["measure"]) for r in public.rows}
    for line, row in evidence:
        sid = row["source_id"]
        if sid not in references:
            continue
        if row["quote"]:
            message = "public-record reports were not read in full: cite a locator, not a quote"
            yield Problem(evidence.file, line, "quote", message)
        if (sid, row["locator"]) not in measures:
            message = f"public_record.csv has no row for {sid} with measure '{row['locator']}'"
            yield Problem(evidence.file, line, "locator", message)
