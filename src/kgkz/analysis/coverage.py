"""How the seeds' sentences are accounted for (``data/sentences.csv``).

Every sentence of every seed has a ``basis``: it states the facts of some records, holds a
judgement, repeats what records hold, gives the source's own title or byline, or yields no
record at all (framing, a photo credit, a claim outside the book's questions). These
functions count the bases per seed and list the sentences that yield no record.
"""

from __future__ import annotations

import pandas as pd

from ..data import load
from ..data import sentences as splitter
from .links import line_link


def bases() -> list[str]:
    """The bases a sentence can have, in the order data/datapackage.json gives them."""
    fields = load.resource("sentences")["schema"]["fields"]
    return next(f for f in fields if f["name"] == "basis")["constraints"]["enum"]


def _names_a_record(records: str | None, evidenced: list[str]) -> bool:
    """Does a ``records`` cell name at least one record of an evidenced table?"""
    if records is None or pd.isna(records):
        return False
    return any(ref.partition(":")[0] in evidenced for ref in str(records).split(";"))


def sentences() -> pd.DataFrame:
    """The sentences table, with ``backs_record``: the sentence names a record of an
    evidenced table (an event, statement, judgement, figure…), not only its source."""
    s = load.table("sentences")
    evidenced = load.evidenced()
    return s.assign(backs_record=[_names_a_record(r, evidenced) for r in s["records"]])


def by_source(frame: pd.DataFrame | None = None) -> pd.DataFrame:
    """Seed x basis: sentences per basis (every basis, zeros included), the seed's total,
    how many back a record and that share in percent. One row per seed, in seed order."""
    s = sentences() if frame is None else frame
    seeds = load.seed_ids()
    counts = pd.crosstab(s["source_id"], s["basis"]).reindex(
        index=seeds, columns=bases(), fill_value=0
    )
    counts.columns.name = None
    counts.index.name = "source_id"
    total = counts.sum(axis=1)
    backed = s[s["backs_record"]].groupby("source_id").size().reindex(seeds, fill_value=0)
    share = (100 * backed / total.where(total > 0)).fillna(0.0)
    return counts.assign(sentences=total, backs_record=backed, share=share)


def share_backing(frame: pd.DataFrame | None = None) -> float:
    """Percent of all the seeds' sentences that back a record."""
    s = sentences() if frame is None else frame
    return 100 * s["backs_record"].mean() if len(s) else 0.0


def no_record(frame: pd.DataFrame | None = None) -> pd.DataFrame:
    """The sentences that back no record (a title or byline, framing, a credit, a claim
    out of scope), with a link to their line, their basis and the reason given for them."""
    s = sentences() if frame is None else frame
    none = s[~s["backs_record"]].sort_values(["source_id", "line", "n"])
    return pd.DataFrame(
        {
            "source": [
                line_link(sid, line)
                for sid, line in zip(none["source_id"], none["line"], strict=True)
            ],
            "basis": none["basis"].str.replace("_", " "),
            "sentence": none["text"],
            "reason": none["note"].fillna(""),
        }
    ).reset_index(drop=True)


def split_seeds() -> pd.DataFrame:
    """Every sentence the splitter finds in the seeds, outside the site-furniture lines of
    data/boilerplate.csv: what the coverage table must hold, no more and no less."""
    furniture = load.table("boilerplate")
    rows = []
    for sid in load.seed_ids():
        mine = furniture[furniture["source_id"] == sid]
        skip = {
            n
            for first, last in zip(mine["first_line"], mine["last_line"], strict=True)
            for n in range(int(first), int(last) + 1)
        }
        for number, line in enumerate(load.seed_lines(sid), start=1):
            if number in skip:
                continue
            for n, text in enumerate(splitter.split(line), start=1):
                rows.append({"source_id": sid, "line": number, "n": n, "text": text})
    return pd.DataFrame(rows, columns=["source_id", "line", "n", "text"])


def unaccounted(frame: pd.DataFrame | None = None) -> pd.DataFrame:
    """Sentences of the seeds that the coverage table lacks (``missing``) or holds though
    the seeds do not (``stray``): empty when every sentence is accounted for."""
    s = sentences() if frame is None else frame
    key = ["source_id", "line", "n", "text"]
    table = s[key].astype({"line": int, "n": int, "text": str, "source_id": str})
    found = split_seeds().astype({"line": int, "n": int})
    both = found.merge(table, on=key, how="outer", indicator=True)
    both = both[both["_merge"] != "both"]
    side = both["_merge"].map({"left_only": "missing", "right_only": "stray"})
    return both[key].assign(problem=side.astype(str)).reset_index(drop=True)


def basis_table(per: pd.DataFrame | None = None) -> pd.DataFrame:
    """``by_source`` turned for reading: one row per basis, then the total, the sentences
    that back a record and their share (%, rounded); one column per seed and one for all."""
    per = by_source() if per is None else per
    counts = per[[*bases(), "sentences", "backs_record"]].T.astype(int)
    counts["all"] = counts.sum(axis=1)
    total = counts.loc["sentences"]
    share = (100 * counts.loc["backs_record"] / total.where(total > 0)).fillna(0).round(0)
    out = pd.concat([counts, share.astype(int).to_frame("share (%)").T])
    out.index = [i.replace("_", " ") for i in out.index[:-3]] + [
        "sentences",
        "back a record",
        "share backing a record (%)",
    ]
    return out.rename_axis("what the sentence yields").reset_index()
