"""seeds/ holds exactly the seed files that sources.csv lists, each with the sha256 the
manifest gives."""

import hashlib

from .dataset import Dataset, Problem


def check(ds: Dataset):
    sources = ds.tables.get("sources")
    if sources is None:
        return
    listed = set()
    for line, row in sources:
        if row["kind"] != "seed":
            continue
        name = row["file"]
        listed.add(name)
        if name not in ds.seed_files:
            yield Problem(sources.file, line, "file", f"seed file '{name}' is missing")
            continue
        digest = hashlib.sha256(ds.seed_files[name]).hexdigest()
        if digest != row["sha256"]:
            message = f"seeds/{name} has changed: its sha256 is {digest}"
            yield Problem(
                sources.file, line, "sha256", f"{message}, the manifest says {row['sha256']}"
            )
    for name in sorted(set(ds.seed_files) - listed):
        yield Problem(f"seeds/{name}", None, None, "seed file is not in sources.csv")
