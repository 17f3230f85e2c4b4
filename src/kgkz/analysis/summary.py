"""Descriptions of the dataset itself: data dictionary, coverage, corroboration."""

from __future__ import annotations

import pandas as pd

from ..data import load


def dictionary() -> pd.DataFrame:
    """One row per field of every table, from datapackage.json."""
    rows = []
    for res in load.datapackage()["resources"]:
        for f in res["schema"]["fields"]:
            cons = f.get("constraints", {})
            rows.append(
                {
                    "table": res["name"],
                    "field": f["name"],
                    "type": f.get("type", "string"),
                    "required": "yes" if cons.get("required") else "",
                    "description": f.get("description", ""),
                }
            )
    return pd.DataFrame(rows)


def table_sizes() -> pd.DataFrame:
    """Records per table and, for evidenced tables, evidence rows and records covered."""
    ev = load.table("evidence")
    evidenced = load.evidenced()
    rows = []
    for res in load.datapackage()["resources"]:
        name = res["name"]
        frame = load.table(name)
        mine = ev[ev["table"] == name]
        covered = mine["record_id"].nunique() if name in evidenced else pd.NA
        rows.append(
            {
                "table": name,
                "records": len(frame),
                "evidence rows": len(mine) if name in evidenced else pd.NA,
                "records with evidence": covered,
            }
        )
    return pd.DataFrame(rows)


def corpus() -> pd.DataFrame:
    """The seeds as readers need them: a link to each page, outlet, author, title, the
    date as printed (or "unknown"), how it is known, length in words and quotes used."""
    from .links import page_link
    from .records import date_label

    sources = load.table("sources")
    seeds = sources[sources["kind"] == "seed"].set_index("source_id")
    quotes = load.table("evidence")["source_id"].value_counts()
    return pd.DataFrame(
        {
            "source": [page_link(s) for s in seeds.index],
            "outlet": seeds["outlet"],
            "author": seeds["author"],
            "title": seeds["title"],
            "published": [
                date_label(d, d, "day") if pd.notna(d) else "unknown" for d in seeds["published"]
            ],
            "date known to": seeds["date_precision"],
            "how the date is known": seeds["date_basis"],
            "words": [load.seed_words(s) for s in seeds.index],
            "quotes used": quotes.reindex(seeds.index).fillna(0).astype(int),
        },
        index=seeds.index,
    )


def quotes_per_source() -> pd.DataFrame:
    """Evidence rows per seed, with the seed's outlet and date label."""
    ev = load.table("evidence")
    sources = load.table("sources")
    seeds = sources[sources["kind"] == "seed"][["source_id", "label"]]
    counts = ev.groupby("source_id").size().rename("quotes")
    records = ev.groupby("source_id")["record_id"].nunique().rename("records supported")
    out = seeds.set_index("source_id").join(counts).join(records).fillna(0)
    return out.astype({"quotes": int, "records supported": int}).reset_index()


def corroboration(table_name: str = "events") -> pd.DataFrame:
    """For each record: how many distinct seeds, and how many reports, support it."""
    ev = load.table("evidence")
    ev = ev[ev["table"] == table_name]
    kinds = load.table("sources").set_index("source_id")["kind"]
    ev = ev.assign(kind=ev["source_id"].map(kinds))
    seeds = ev[ev["kind"] == "seed"].groupby("record_id")["source_id"].nunique()
    refs = ev[ev["kind"] == "reference"].groupby("record_id")["source_id"].nunique()
    (key,) = load.key(table_name)
    out = pd.DataFrame({"record_id": load.table(table_name)[key]})
    out["seeds"] = out["record_id"].map(seeds).fillna(0).astype(int)
    out["reports"] = out["record_id"].map(refs).fillna(0).astype(int)
    return out
