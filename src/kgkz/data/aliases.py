"""Resolve the sources' spellings of names to canonical actors, and count mentions."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from typing import NamedTuple

import pandas as pd

from . import load, track


class UnknownActorError(KeyError):
    """A name that matches no actor or alias."""


def _boundary_pattern(aliases: Iterable[str]) -> re.Pattern[str]:
    # Longest first, so that "Almazbek Atambayev" is one mention, not two.
    ordered = sorted(set(aliases), key=lambda a: (-len(a), a))
    body = "|".join(re.escape(a) for a in ordered)
    return re.compile(rf"(?<![\w’'])(?:{body})(?!\w)")


def alias_table() -> pd.DataFrame:
    return load.table("aliases")


class Mention(NamedTuple):
    """One name in a text: where it starts and ends, and whose it is."""

    start: int
    end: int
    actor_id: str


def spellings(
    aliases: pd.DataFrame | None = None, actors: pd.DataFrame | None = None
) -> dict[str, str]:
    """Every spelling of every actor -> its id: the aliases and the canonical names (the
    book writes the canonical name, which need not be a spelling any source uses)."""
    aliases = alias_table() if aliases is None else aliases
    actors = load.table("actors") if actors is None else actors
    out = dict(zip(actors["name"], actors["actor_id"], strict=True))
    out.update(zip(aliases["alias"], aliases["actor_id"], strict=True))
    return out


class MentionFinder:
    """Finds the actors a text names: longest spelling first, whole words only (a
    possessive counts), a line break or run of spaces wherever a spelling has a space."""

    def __init__(self, spelled: dict[str, str]):
        self._actor = {_spaces(s): a for s, a in spelled.items()}
        ordered = sorted(set(spelled), key=lambda s: (-len(s), s))
        body = "|".join(re.escape(s).replace(r"\ ", r"\s+") for s in ordered)
        self._pattern = re.compile(rf"(?<![\w’'])(?:{body})(?!\w)")

    def mentions(self, text: str) -> list[Mention]:
        return [
            Mention(m.start(), m.end(), self._actor[_spaces(m.group(0))])
            for m in self._pattern.finditer(text)
        ]

    def first_mentions(self, text: str) -> list[Mention]:
        """The first mention of each actor, in the order of the text."""
        seen: set[str] = set()
        out = []
        for m in self.mentions(text):
            if m.actor_id not in seen:
                seen.add(m.actor_id)
                out.append(m)
        return out


def _spaces(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def resolve(name: str, aliases: pd.DataFrame | None = None) -> str:
    """The actor id for a canonical name, an alias or an id; UnknownActorError otherwise."""
    ids, by_name, by_alias = _lookup() if aliases is None else _lookup_in(aliases)
    if name in ids:
        return name
    if name in by_name:
        return by_name[name]
    if name in by_alias:
        return by_alias[name]
    raise UnknownActorError(f"'{name}' is neither an actor id, a canonical name nor an alias")


@load.memo
def _lookup() -> tuple[frozenset[str], dict[str, str], dict[str, str]]:
    return _lookup_in(alias_table())


def _lookup_in(aliases: pd.DataFrame) -> tuple[frozenset[str], dict[str, str], dict[str, str]]:
    actors = load.table("actors")
    return (
        frozenset(actors["actor_id"]),
        dict(zip(actors["name"], actors["actor_id"], strict=True)),
        dict(zip(aliases["alias"], aliases["actor_id"], strict=True)),
    )


def count_mentions(text: str, aliases: pd.DataFrame | None = None) -> Counter[str]:
    """Mentions per actor id in a text: each non-overlapping alias match counts once."""
    aliases = alias_table() if aliases is None else aliases
    by_alias = dict(zip(aliases["alias"], aliases["actor_id"], strict=True))
    pattern = _boundary_pattern(by_alias)
    return Counter(by_alias[m.group(0)] for m in pattern.finditer(text))


def variants_found(text: str, aliases: pd.DataFrame | None = None) -> Counter[str]:
    """How often each alias (spelling) occurs in a text, longest match first."""
    aliases = alias_table() if aliases is None else aliases
    pattern = _boundary_pattern(aliases["alias"])
    return Counter(m.group(0) for m in pattern.finditer(text))


@track.derived
def seed_variants(source_id: str) -> dict[str, int]:
    """How often each spelling of the alias table occurs in one seed (longest first)."""
    return dict(variants_found(load.seed_text(source_id)))


@track.derived
def mention_matrix(body_only: bool = True) -> pd.DataFrame:
    """Actors x seeds: mentions counted from the raw seed text through the alias table.

    With ``body_only``, the boilerplate lines (menus, related links) are left out.
    """
    aliases = alias_table()
    boiler = load.table("boilerplate")
    columns = {}
    for sid in load.seed_ids():
        lines = list(load.seed_lines(sid))
        if body_only:
            for _, row in boiler[boiler["source_id"] == sid].iterrows():
                for i in range(int(row["first_line"]) - 1, int(row["last_line"])):
                    lines[i] = ""
        columns[sid] = count_mentions("\n".join(lines), aliases)
    matrix = pd.DataFrame(columns).fillna(0).astype(int)
    matrix.index.name = "actor_id"
    return matrix.loc[matrix.sum(axis=1).sort_values(ascending=False, kind="stable").index]
