"""Render each seed as a book page: one paragraph per line, each with a stable anchor
(``s000-l12`` is line 12 of seed S000), every evidence quote highlighted, and the site
furniture (menus, related links, footers) dimmed, never removed."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from ..analysis.links import anchor
from ..data import load

_PUNCT = re.compile(r"([!-/:-@\[-`{-~])")


def escape(text: str) -> str:
    """Make text literal in MyST Markdown: backslash-escape every ASCII punctuation mark."""
    return _PUNCT.sub(r"\\\1", text)


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def highlight(line: str, quotes: list[str]) -> str:
    """The line as MyST, with every occurrence of each quote wrapped as an evidence span."""
    spans = []
    for q in quotes:
        start = line.find(q)
        while start >= 0:
            spans.append((start, start + len(q)))
            start = line.find(q, start + 1)
    out, pos = [], 0
    for start, end in _merge(spans):
        out.append(escape(line[pos:start]))
        out.append("[" + escape(line[start:end]) + "]{.evidence}")
        pos = end
    out.append(escape(line[pos:]))
    return "".join(out)


def page(source: pd.Series, lines: tuple[str, ...], quotes: list[str], boiler: set[int]) -> str:
    sid = source["source_id"]
    date = source["published"].date().isoformat() if pd.notna(source["published"]) else "unknown"
    meta = [
        ("Outlet", source["outlet"]),
        ("How the outlet is known", source["outlet_basis"]),
        ("Author", source["author"]),
        ("Title", source["title"]),
        ("Published", f"{date} (precision: {source['date_precision']})"),
        ("How the date is known", source["date_basis"]),
        ("File", f"seeds/{source['file']}"),
        ("SHA-256", source["sha256"]),
    ]
    out = [
        f"({sid.lower()})=",
        f"# {sid}: {escape(source['label'])}",
        "",
        "This page reproduces the source exactly as kept in `seeds/`, one paragraph per line"
        " of the file. Numbers in the margin are line numbers; the passages quoted as evidence"
        " in this book are [highlighted]{.evidence}; site furniture (menus, related links,"
        " footers) is dimmed.",
        "",
    ]
    for key, value in meta:
        out.append(f"{key}\n: {escape(str(value))}\n")
    out.append("")
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        text = highlight(line.strip(), quotes)
        para = f"[{number}]{{.lineno}} {text}"
        out.append(f"({anchor(sid, number)})=")
        if number in boiler:
            out.extend([":::{container} boilerplate", para, ":::", ""])
        else:
            out.extend([para, ""])
    return "\n".join(out)


def render_all(outdir: Path) -> list[Path]:
    """Write one page per seed (only where the text changed); return their paths."""
    sources = load.table("sources")
    evidence = load.table("evidence")
    boiler = load.table("boilerplate")
    outdir.mkdir(parents=True, exist_ok=True)
    written = []
    for _, src in sources[sources["kind"] == "seed"].iterrows():
        sid = src["source_id"]
        quotes = evidence.loc[evidence["source_id"] == sid, "quote"].dropna().tolist()
        lines_b = set()
        for _, b in boiler[boiler["source_id"] == sid].iterrows():
            lines_b.update(range(int(b["first_line"]), int(b["last_line"]) + 1))
        text = page(src, load.seed_lines(sid), quotes, lines_b)
        path = outdir / f"{sid}.md"
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
        written.append(path)
    return written
