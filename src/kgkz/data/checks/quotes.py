"""A seed's evidence is a quote, not a locator, and the quote stands whole and verbatim
on one line of that seed."""

from .dataset import Dataset, Problem


def check(ds: Dataset):
    evidence, sources = ds.tables.get("evidence"), ds.tables.get("sources")
    if evidence is None or sources is None:
        return
    seeds = {r["source_id"] for r in sources.rows if r["kind"] == "seed"}
    for line, row in evidence:
        sid, quote = row["source_id"], row["quote"]
        if sid not in seeds:
            continue
        if row["locator"]:
            yield Problem(
                evidence.file, line, "locator", "a seed's evidence is a quote, not a locator"
            )
        if not quote:
            yield Problem(evidence.file, line, "quote", "a seed's evidence needs a verbatim quote")
        elif sid in ds.seeds and not any(quote in text for text in ds.seeds[sid]):
            message = f"quote is not in seed {sid} (verbatim, on one line): '{quote[:80]}'"
            yield Problem(evidence.file, line, "quote", message)
