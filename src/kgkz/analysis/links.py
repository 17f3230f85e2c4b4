"""Links from the book's pages to the words of a source: one anchor per seed line."""

from __future__ import annotations

import pandas as pd

from ..data import load


def anchor(source_id: str, line: int) -> str:
    """The label of one line (paragraph) of a seed's page."""
    return f"{source_id.lower()}-l{int(line)}"


def line_link(source_id: str, line: int) -> str:
    """MyST link to one line (paragraph) of a seed's page."""
    return f"{{ref}}`{source_id} l.{line} <{anchor(source_id, line)}>`"


def page_link(source_id: str) -> str:
    """MyST link to a seed's page."""
    return f"{{ref}}`{source_id} <{source_id.lower()}>`"


def evidence_links(table: str) -> pd.Series:
    """record_id -> MyST links to every piece of evidence (seed paragraph or report)."""
    ev = load.evidence(table)
    links: dict[str, list[str]] = {}
    for _, row in ev.iterrows():
        sid = row["source_id"]
        if pd.notna(row["quote"]):
            text = line_link(sid, row["line"])
        else:
            text = f"{{cite:p}}`{sid}`"
        if text not in links.setdefault(row["record_id"], []):
            links[row["record_id"]].append(text)
    return pd.Series({k: "; ".join(v) for k, v in links.items()}, name="sources")
