"""Render the index of names: every actor with every spelling the seeds use (from
data/actors.csv and data/aliases.csv), so that a search of the book for any spelling
finds the actor, and the book's index lists each spelling under its actor."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from ..data import load
from .name_index import index_term
from .sources_pages import escape

NAME = "names"
KINDS = {
    "person": "People",
    "state": "States",
    "organisation": "Organisations",
    "party": "Parties",
    "group": "Groups",
}


def anchor(actor_id: str) -> str:
    """The label of one actor's entry in the index of names."""
    return f"name-{actor_id.replace('_', '-')}"


def uses(alias: str, texts: dict[str, str]) -> Counter:
    """How often each text writes ``alias`` as a name of its own (not inside a longer
    word; inside a longer spelling, such as a surname in a full name, it counts)."""
    pattern = re.compile(rf"(?<![\w’']){re.escape(alias)}(?!\w)")
    return Counter({sid: n for sid, text in texts.items() if (n := len(pattern.findall(text)))})


def spellings() -> dict[str, list[tuple[str, Counter]]]:
    """actor_id -> [(spelling, seeds that use it with counts)], in aliases.csv order."""
    table = load.table("aliases")
    texts = {sid: load.seed_text(sid) for sid in load.seed_ids()}
    out: dict[str, list[tuple[str, Counter]]] = {}
    for alias, actor in zip(table["alias"], table["actor_id"], strict=True):
        out.setdefault(actor, []).append((alias, uses(alias, texts)))
    return out


def entry(actor, spelled: list[tuple[str, Counter]]) -> list[str]:
    name = str(actor["name"])
    # "!": main entries, which a search lists before the pages that merely mention a name.
    index = [f"!single: {index_term(name)}"]
    index += [
        f"!see: {index_term(alias)}; {index_term(name)}"
        for alias, _ in spelled
        if index_term(alias) != index_term(name)
    ]
    about = ", ".join(str(actor[c]) for c in ("kind", "country") if str(actor[c]) != "unknown")
    lines = [
        *(f":::{{index}} {entry}\n:::" for entry in index),
        "",
        f"({anchor(actor['actor_id'])})=",
        escape(name),
        f": {escape(about)}. {escape(str(actor['roles']))}",
    ]
    if spelled:
        parts = []
        for alias, uses in spelled:
            where = ", ".join(f"{sid} ×{n}" if n > 1 else sid for sid, n in sorted(uses.items()))
            parts.append(f"*{escape(alias)}*" + (f" ({where})" if where else " (in no seed)"))
        lines.append(": Written in the sources as: " + "; ".join(parts) + ".")
    lines.append("")
    return lines


def page() -> str:
    actors = load.table("actors")
    spelled = spellings()
    out = [
        f"({NAME})=",
        "# Index of names",
        "",
        "Every person, state, organisation, party and group the book's records name, with"
        " every spelling of the name the five sources use, exactly as written, and the"
        " sources that use it (×2: twice). Searching the book for any of these spellings"
        " finds the name here.",
        "",
    ]
    kinds = list(KINDS) + sorted(set(actors["kind"]) - set(KINDS))
    for kind in kinds:
        group = actors[actors["kind"] == kind]
        if group.empty:
            continue
        out += [f"## {KINDS.get(kind, kind.capitalize())}", ""]
        for _, actor in group.sort_values("name", key=lambda s: s.str.lower()).iterrows():
            out += entry(actor, spelled.get(actor["actor_id"], []))
    return "\n".join(out)


def render(outdir: Path) -> Path:
    """Write the page (only where its text changed); return its path."""
    outdir.mkdir(parents=True, exist_ok=True)
    path = outdir / f"{NAME}.md"
    text = page()
    if not path.exists() or path.read_text(encoding="utf-8") != text:
        path.write_text(text, encoding="utf-8")
    return path
