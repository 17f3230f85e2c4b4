"""Links from the book's pages to the words of a source: one anchor per seed line, and
one per evidence quote (the quote itself, marked on its seed's page)."""

from __future__ import annotations

from string import ascii_lowercase

import pandas as pd

from ..data import load


def anchor(source_id: str, line: int) -> str:
    """The label of one line (paragraph) of a seed's page."""
    return f"{source_id.lower()}-l{int(line)}"


def quote_anchor(evidence_id: str) -> str:
    """The label of one evidence quote on its seed's page (``x0042`` for X0042)."""
    return evidence_id.lower()


def line_link(source_id: str, line: int) -> str:
    """MyST link to one line (paragraph) of a seed's page."""
    return f"{{ref}}`{source_id} l.{line} <{anchor(source_id, line)}>`"


def quote_link(source_id: str, line: int, evidence_id: str, suffix: str = "") -> str:
    """MyST link to one evidence quote: the page opens on the quote and marks it alone.

    The text names the seed and line (``S000 l.54``), with ``suffix`` appended to tell
    apart two quotes of one record on the same line (``S000 l.54a``, ``S000 l.54b``).
    """
    return f"{{ref}}`{source_id} l.{line}{suffix} <{quote_anchor(evidence_id)}>`"


def page_link(source_id: str) -> str:
    """MyST link to a seed's page."""
    return f"{{ref}}`{source_id} <{source_id.lower()}>`"


@load.memo
def evidence_links(table: str) -> pd.Series:
    """record_id -> MyST links to every piece of evidence: a seed quote (the link opens
    the seed's page on that quote) or a public-record report (a citation). Worked out
    once per table, however many of a chapter's tables cite it."""
    ev = load.evidence(table)
    rows: dict[str, list[tuple]] = {}
    for _, row in ev.iterrows():
        rows.setdefault(row["record_id"], []).append(
            (row["evidence_id"], row["source_id"], row["quote"], row["line"])
        )
    links: dict[str, list[str]] = {}
    for record, items in rows.items():
        quoted = [(e, s, n) for e, s, q, n in items if pd.notna(q)]
        per_line: dict[tuple[str, int], int] = {}
        for _, s, n in quoted:
            per_line[(s, n)] = per_line.get((s, n), 0) + 1
        seen: dict[tuple[str, int], int] = {}
        out: list[str] = []
        for evidence_id, sid, quote, line in items:
            if pd.notna(quote):
                k = seen.get((sid, line), 0)
                seen[(sid, line)] = k + 1
                suffix = ascii_lowercase[k % 26] if per_line[(sid, line)] > 1 else ""
                text = quote_link(sid, line, evidence_id, suffix)
            else:
                text = f"{{cite:p}}`{sid}`"
            if text not in out:
                out.append(text)
        links[record] = out
    return pd.Series({k: "; ".join(v) for k, v in links.items()}, name="sources")
