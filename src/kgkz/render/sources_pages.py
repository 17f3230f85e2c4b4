"""Render each seed as a book page: one paragraph per line, each with a stable anchor
(``s000-l12`` is line 12 of seed S000); every evidence quote marked, with an anchor of
its own (``x0042`` is evidence X0042) so that a record's link opens the page on its
quote; under each paragraph, the records its quotes are cited for; the site furniture
(menus, related links, footers) folded away, never removed."""

from __future__ import annotations

import heapq
import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..analysis.links import anchor, quote_anchor
from ..data import load

_PUNCT = re.compile(r"([!-/:-@\[-`{-~])")

#: Words of a quote shown (the first, then the last two) in the list of the records
#: that cite it.
SNIPPET_WORDS = 5


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


@dataclass(frozen=True)
class Quote:
    """One evidence quote of a seed, where it stands: the first occurrence on the first
    line that holds it (the line the book's links name)."""

    evidence_id: str
    table: str
    record_id: str
    text: str
    line: int
    start: int

    @property
    def end(self) -> int:
        return self.start + len(self.text)


@dataclass
class Mark:
    """A marked stretch of a line: a whole quote (with its anchor), a piece of a quote
    that crosses another one (``part_of`` names the quote), or another occurrence of a
    quoted passage (no anchor)."""

    start: int
    end: int
    anchor: str | None = None
    part_of: str | None = None
    children: list[Mark] = field(default_factory=list)


def nest(spans: list[tuple[int, int, str | None]]) -> list[Mark]:
    """Spans ``(start, end, anchor)`` as a forest of marks that nest like HTML elements.

    A span inside another becomes its child (identical spans nest in the order given, so
    that each anchor keeps an element whose text is exactly its quote). A span that
    crosses the end of another is cut there: its first piece keeps the anchor, the rest
    follows as pieces that name it (``part_of``).
    """
    heap = [(s, -e, i, a, None) for i, (s, e, a) in enumerate(spans) if e > s]
    heapq.heapify(heap)
    seq = len(heap)
    roots: list[Mark] = []
    stack: list[Mark] = []
    while heap:
        start, neg_end, _, anchor_, part_of = heapq.heappop(heap)
        end = -neg_end
        while stack and stack[-1].end <= start:
            stack.pop()
        parent = stack[-1] if stack else None
        if parent is not None and end > parent.end:
            heapq.heappush(heap, (parent.end, -end, seq, None, part_of or anchor_))
            seq += 1
            end = parent.end
        mark = Mark(start, end, anchor_, part_of)
        (parent.children if parent is not None else roots).append(mark)
        stack.append(mark)
    return roots


def _attrs(mark: Mark) -> str:
    if mark.anchor:
        return f"{{#{mark.anchor} .evidence}}"
    if mark.part_of:
        return f"{{.evidence .part-{mark.part_of}}}"
    return "{.evidence}"


def _render(line: str, marks: list[Mark], pos: int, end: int) -> str:
    out = []
    for m in marks:
        out.append(escape(line[pos : m.start]))
        out.append("[" + _render(line, m.children, m.start, m.end) + "]" + _attrs(m))
        pos = m.end
    out.append(escape(line[pos:end]))
    return "".join(out)


def mark_line(line: str, anchored: list[Quote], others: list[str] = ()) -> str:
    """The line as MyST: each anchored quote marked with its own anchor, and every other
    occurrence of a quoted passage (``others``, or an anchored quote's text found again)
    marked without one."""
    spans: list[tuple[int, int, str | None]] = [
        (q.start, q.end, quote_anchor(q.evidence_id))
        for q in sorted(anchored, key=lambda q: q.evidence_id)
    ]
    # Other occurrences are merged where they overlap, and cut where an anchored quote
    # begins or ends inside them, so that they never split an anchored quote in two.
    fixed = [(s, e) for s, e, _ in spans]
    others_found = []
    for text in {q.text for q in anchored} | set(others):
        start = line.find(text)
        while start >= 0:
            if (start, start + len(text)) not in fixed:
                others_found.append((start, start + len(text)))
            start = line.find(text, start + 1)
    for start, end in _merge(others_found):
        cuts = {p for a, b in fixed for p in (a, b) if start < p < end}
        points = [start, *sorted(cuts), end]
        for s, e in zip(points, points[1:], strict=False):
            if not any(a <= s and e <= b for a, b in fixed):  # else already marked
                spans.append((s, e, None))
    return _render(line, nest(spans), 0, len(line))


def highlight(line: str, quotes: list[str]) -> str:
    """The line as MyST with every occurrence of each quote marked (no anchors)."""
    return mark_line(line, [], quotes)


def describe(table: str, row: pd.Series | None) -> str:
    """A record in a few words: its summary, its name, or its figure."""
    if row is None:
        return ""
    for column in ("summary", "name", "position"):
        if column in row.index and pd.notna(row[column]) and str(row[column]).strip():
            return str(row[column]).strip()
    from ..analysis import records

    try:
        if table == "quantities":
            return f"{row['measure']}: {records.quantity_label(row)}"
        if table == "election_2017":
            measure = str(row["measure"]).replace("_", " ")
            return f"{row['subject']}, {measure}: {records.claim_label(row)}"
    except (KeyError, TypeError, ValueError, AttributeError):
        pass
    return ""


def snippet(text: str, words: int = SNIPPET_WORDS) -> str:
    """A quote's first words and its last two ("On 9 October, Astana … with Kyrgyzstan"),
    enough to tell apart two quotes that begin alike."""
    parts = text.split()
    if len(parts) <= words + 2:
        return text
    return " ".join(parts[: words - 1]) + " … " + " ".join(parts[-2:])


def cited_for(line_quotes: list[Quote], records: dict[tuple[str, str], str]) -> list[str]:
    """MyST listing, under a paragraph, the records its quotes are cited for (on screen:
    the PDF leaves the lists out):
    one item per quoted passage, its first words linking to the quote, then each record
    (``events EV024 — summary``) with an anchor (``cite-x0042``) that the book's Sphinx
    extension turns into a link to the chapter table where the record appears."""
    if not line_quotes:
        return []
    by_span: dict[tuple[int, int], list[Quote]] = {}
    for q in sorted(line_quotes, key=lambda q: (q.start, -q.end, q.evidence_id)):
        by_span.setdefault((q.start, q.end), []).append(q)
    items = []
    for quotes in by_span.values():
        first = quotes[0]
        link = f"[“{escape(snippet(first.text))}”](#{quote_anchor(first.evidence_id)})"
        recs = []
        for q in quotes:
            about = records.get((q.table, q.record_id), "")
            cite = f"{{#cite-{quote_anchor(q.evidence_id)} .cited-record}}"
            label = f"[{escape(q.table)} {escape(q.record_id)}]{cite}"
            recs.append(label + (f" — {escape(about.rstrip('.'))}" if about else ""))
        items.append(f"- {link} {'; '.join(recs)}")
    return [":::{container} cited-for", "Cited for:", "", *items, ":::", ""]


def page(
    source: pd.Series,
    lines: tuple[str, ...],
    quotes: list[Quote],
    furniture: list[tuple[int, int, str]],
    records: dict[tuple[str, str], str] | None = None,
) -> str:
    """One seed's page as MyST. ``quotes`` are the seed's evidence quotes; ``furniture``
    the ``(first_line, last_line, reason)`` ranges of site furniture; ``records`` a few
    words on each cited record, by ``(table, record_id)``."""
    records = records or {}
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
        " in this book are [marked]{.evidence}; site furniture (menus, related links,"
        " footers) is set apart.",
        "",
        "::::{only} html",
        "A record's link opens this page on its quote, marked alone. Under each paragraph,"
        " the records its quotes are cited for, each linked to the table where it appears."
        " Site furniture is folded away: open it to read it.",
        "::::",
        "",
    ]
    for key, value in meta:
        out.append(f"{key}\n: {escape(str(value))}\n")
    out.append("")

    anchored: dict[int, list[Quote]] = {}
    for q in quotes:
        anchored.setdefault(q.line, []).append(q)
    texts = sorted({q.text for q in quotes})
    folds = {first: (last, reason) for first, last, reason in sorted(furniture)}
    closing: int | None = None
    for number, line in enumerate(lines, start=1):
        if number in folds and closing is None:
            last, reason = folds[number]
            span = f"line {number}" if last == number else f"lines {number}–{last}"
            out += [
                f'<details class="furniture"><summary>{reason} ({span})</summary>',
                "",
                ":::::{container} boilerplate",
            ]
            closing = last
        if line.strip():
            strip = len(line) - len(line.lstrip())
            here = [
                Quote(q.evidence_id, q.table, q.record_id, q.text, q.line, q.start - strip)
                for q in anchored.get(number, [])
            ]
            out.append(f"({anchor(sid, number)})=")
            out.append(f"[{number}]{{.lineno}} {mark_line(line.strip(), here, texts)}")
            out.append("")
            out += cited_for(here, records)
        if closing is not None and number >= closing:
            out += [":::::", "", "</details>", ""]
            closing = None
    if closing is not None:
        out += [":::::", "", "</details>", ""]
    return "\n".join(out)


def seed_quotes(source_id: str, evidence: pd.DataFrame) -> list[Quote]:
    """The evidence quotes of one seed, each where it stands (see :class:`Quote`)."""
    lines = load.seed_lines(source_id)
    out = []
    rows = evidence[(evidence["source_id"] == source_id) & evidence["quote"].notna()]
    for _, row in rows.iterrows():
        quote = row["quote"]
        number = next((n for n, text in enumerate(lines, 1) if quote in text), None)
        if number is None:  # the validator reports it; the page shows what it can
            continue
        start = lines[number - 1].find(quote)
        out.append(Quote(row["evidence_id"], row["table"], row["record_id"], quote, number, start))
    return out


def record_descriptions(evidence: pd.DataFrame) -> dict[tuple[str, str], str]:
    """A few words on every record that has a seed quote, by ``(table, record_id)``."""
    out: dict[tuple[str, str], str] = {}
    quoted = evidence[evidence["quote"].notna()]
    for table in sorted(set(quoted["table"])):
        try:
            frame = load.table(table)
            (key,) = load.key(table)
        except (KeyError, ValueError):
            continue
        frame = frame.set_index(key)
        for rid in set(quoted.loc[quoted["table"] == table, "record_id"]):
            row = frame.loc[rid] if rid in frame.index else None
            if isinstance(row, pd.DataFrame):
                row = row.iloc[0]
            out[(table, rid)] = describe(table, row)
    return out


def render_all(outdir: Path) -> list[Path]:
    """Write one page per seed (only where the text changed); return their paths."""
    sources = load.table("sources")
    evidence = load.table("evidence")
    boiler = load.table("boilerplate")
    records = record_descriptions(evidence)
    outdir.mkdir(parents=True, exist_ok=True)
    written = []
    for _, src in sources[sources["kind"] == "seed"].iterrows():
        sid = src["source_id"]
        furniture = [
            (int(b["first_line"]), int(b["last_line"]), str(b["reason"]))
            for _, b in boiler[boiler["source_id"] == sid].iterrows()
        ]
        text = page(src, load.seed_lines(sid), seed_quotes(sid, evidence), furniture, records)
        path = outdir / f"{sid}.md"
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
        written.append(path)
    return written
