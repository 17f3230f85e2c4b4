"""The dataset meets its promised coverage, and stays a valid Frictionless package."""

from __future__ import annotations

import subprocess
import sys

from kgkz import paths
from kgkz.analysis import summary
from kgkz.data import load


def test_counts_meet_the_targets():
    assert len(load.table("actors")) >= 30
    assert len(load.table("events")) >= 40
    assert len(load.table("quantities")) >= 25
    assert len(load.table("evidence")) >= 120


def test_every_record_has_evidence_and_every_seed_is_cited():
    sizes = summary.table_sizes().set_index("table")
    for name in load.evidenced():
        assert sizes.at[name, "records with evidence"] == sizes.at[name, "records"], name
    cited = set(load.table("evidence")["source_id"])
    assert set(load.seed_ids()) <= cited


def test_every_evidence_quote_stands_on_a_line_of_its_seed():
    ev = load.table("evidence").dropna(subset=["quote"])
    for _, row in ev.iterrows():
        assert any(row["quote"] in line for line in load.seed_lines(row["source_id"])), row[
            "evidence_id"
        ]


def test_quotes_are_short():
    quotes = load.table("evidence")["quote"].dropna()
    assert quotes.str.len().max() <= 300


def test_every_alias_occurs_in_a_seed():
    corpus = "\n".join(load.seed_text(s) for s in load.seed_ids())
    for alias in load.table("aliases")["alias"]:
        assert alias in corpus, alias


def test_the_president_elect_has_all_his_spellings():
    aliases = load.table("aliases")
    mine = set(aliases.loc[aliases["actor_id"] == "jeenbekov", "alias"])
    for spelling in [
        "Jeenbekov",
        "Jeenbeko",
        "Zheenbekov",
        "Zhe’enbekov",
        "Sooronbai",
        "Sooronbay",
        "So’oronbay",
        "Sioronbai",
    ]:
        assert spelling in mine


def test_reference_records_cite_the_public_record_without_quotes():
    ev = load.table("evidence")
    refs = ev[ev["source_id"].str.startswith("R")]
    assert len(refs) > 20
    assert refs["quote"].isna().all() and refs["locator"].notna().all()


def test_frictionless_accepts_the_package():
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "frictionless",
            "validate",
            "--json",
            str(paths.data() / "datapackage.json"),
        ],
        capture_output=True,
        text=True,
        cwd=paths.data(),
    )
    assert '"valid": true' in run.stdout, run.stdout[-3000:]
