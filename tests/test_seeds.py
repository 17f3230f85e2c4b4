"""The five sources are kept byte-identical, with a manifest whose hashes hold."""

from __future__ import annotations

import hashlib

import pandas as pd
import pytest

from kgkz import paths
from kgkz.data import load

SHARED = paths.root().parent / "shared"


def test_every_seed_matches_its_manifest_hash():
    sources = load.table("sources")
    seeds = sources[sources["kind"] == "seed"]
    assert len(seeds) == 5
    for _, row in seeds.iterrows():
        digest = hashlib.sha256((paths.seeds() / row["file"]).read_bytes()).hexdigest()
        assert digest == row["sha256"], row["file"]


def test_the_manifest_lists_every_file_in_seeds():
    listed = set(load.table("sources")["file"].dropna())
    assert {p.name for p in paths.seeds().glob("*.txt")} == listed


@pytest.mark.skipif(not (SHARED / "seeds").is_dir(), reason="no ../shared beside the checkout")
def test_seeds_are_byte_identical_to_the_shared_originals():
    for original in sorted((SHARED / "seeds").glob("*.txt")):
        assert (paths.seeds() / original.name).read_bytes() == original.read_bytes()


@pytest.mark.skipif(not paths.shared_public_record().is_file(), reason="no ../shared beside")
def test_public_record_is_byte_identical_to_the_shared_file():
    copy = paths.data() / "public_record.csv"
    assert copy.read_bytes() == paths.shared_public_record().read_bytes()


def test_unknown_outlets_authors_and_dates_say_unknown():
    seeds = load.table("sources").set_index("source_id")
    assert seeds.at["S001", "outlet"] == "unknown" and seeds.at["S001", "author"] == "unknown"
    assert seeds.at["S003", "outlet"] == "unknown" and seeds.at["S003", "author"] == "unknown"
    for sid in ("S001", "S003", "S004"):
        assert seeds.at[sid, "date_precision"] == "unknown"
        assert pd.isna(seeds.at[sid, "published"])
        assert seeds.at[sid, "date_basis"].startswith("no date in the text")


def test_the_seeds_readme_agrees_with_the_manifest():
    readme = (paths.seeds() / "README.md").read_text(encoding="utf-8")
    for _, row in load.table("sources").dropna(subset=["file"]).iterrows():
        line = next(ln for ln in readme.splitlines() if row["file"] in ln)
        assert line.startswith(f"| {row['source_id']} |")
        assert row["outlet"].split(" (")[0] in line
