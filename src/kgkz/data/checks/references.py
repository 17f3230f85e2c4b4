"""Every reference in sources.csv is a report of public_record.csv, with the same outlet
and address."""

from collections import defaultdict

from .dataset import Dataset, Problem


def check(ds: Dataset):
    sources, public = ds.tables.get("sources"), ds.tables.get("public_record")
    if sources is None or public is None:
        return
    reports = defaultdict(list)
    for row in public.rows:
        reports[row["ref_id"]].append(row)
    for line, row in sources:
        sid = row["source_id"]
        if row["kind"] != "reference":
            continue
        if sid not in reports:
            yield Problem(
                sources.file, line, "source_id", f"reference '{sid}' is not in public_record.csv"
            )
            continue
        for column in ("outlet", "url"):
            given = {r[column] for r in reports[sid]}
            if row[column] not in given:
                message = f"'{row[column]}' differs from public_record.csv ('{min(given)}')"
                yield Problem(sources.file, line, column, message)
