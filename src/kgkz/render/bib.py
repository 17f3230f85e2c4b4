"""book/references.bib, derived from data/sources.csv: one entry per source.

``python -m kgkz.render.bib`` rewrites the file; a test checks that it agrees with the table.
"""

from __future__ import annotations

import functools
import hashlib
import sys
from pathlib import Path

import pandas as pd

from .. import paths
from ..data import load


def bibfile():
    """The bibliography Sphinx reads (generated from data/sources.csv)."""
    return paths.book() / "references.bib"


_MONTHS = "jan feb mar apr may jun jul aug sep oct nov dec".split()


def _braced(text: str) -> str:
    return "{" + str(text).replace("{", "(").replace("}", ")") + "}"


def _author(name: str) -> str:
    parts = name.split()
    return f"{parts[-1]}, {' '.join(parts[:-1])}" if len(parts) > 1 else name


def best_date(src: pd.Series) -> str:
    """The year to cite a source by: its publication year, else the year its bounds
    share, else "after" its earliest possible month, else "n.d."."""
    if pd.notna(src["published"]):
        return str(src["published"].year)
    early, late = src.get("date_earliest"), src.get("date_latest")
    if pd.notna(early) and pd.notna(late) and early.year == late.year:
        return str(early.year)
    if pd.notna(early):
        return f"after {early:%b %Y}"
    return "n.d."


def entry(src: pd.Series) -> str:
    sid = src["source_id"]
    fields: list[tuple[str, str]] = []
    title = src["title"] if src["title"] != "unknown" else src["label"]
    fields.append(("title", "{" + _braced(title) + "}"))
    # Unknown authors stay unknown: who stands in the author field is what a reader can
    # cite the source by — its outlet, or a short description where the outlet is unknown
    # (the manifest's label) — so that citations read as that and the best date known.
    if src["author"] != "unknown":
        fields.append(("author", _braced(_author(src["author"]))))
    elif src["kind"] == "reference":
        # Several reports share an outlet and a year: the id keeps citations apart.
        fields.append(("author", "{" + _braced(f"{src['outlet']} ({sid})") + "}"))
    else:
        fields.append(("author", "{" + _braced(str(src["label"]).split(",")[0]) + "}"))
    if src["outlet"] != "unknown":
        fields.append(("howpublished", _braced(src["outlet"])))
    fields.append(("year", _braced(best_date(src))))
    if pd.notna(src["published"]) and src["date_precision"] in ("day", "month"):
        fields.append(("month", _MONTHS[src["published"].month - 1]))
    if pd.notna(src["url"]):
        fields.append(("url", _braced(src["url"])))
    kind = "seed file seeds/" + src["file"] if src["kind"] == "seed" else "public record"
    fields.append(("note", _braced(f"{sid}; {kind}; date: {src['date_basis']}")))
    body = ",\n".join(f"  {k} = {v}" for k, v in fields)
    return f"@misc{{{sid},\n{body}\n}}\n"


# Entries formatted by the style below, by what their formatting depends on. Sphinx's
# environment keeps them between builds (kgkz.render.sphinxext): sphinxcontrib-bibtex
# formats every entry, twice, after every build's reading.
FORMATTED: dict[tuple, object] = {}
USED: set[tuple] = set()  # the keys asked for in this build


@functools.cache
def _formatting_version() -> str:
    """This module and pybtex: what the formatting is done by."""
    import pybtex

    return hashlib.sha256(Path(__file__).read_bytes() + pybtex.__version__.encode()).hexdigest()


def _formatted_key(style, label: str, entry) -> tuple:
    persons = tuple((role, tuple(map(str, people))) for role, people in entry.persons.items())
    how = (type(style.name_style).__name__, style.abbreviate_names, style.min_crossrefs)
    fields = tuple(entry.fields.items())
    return (_formatting_version(), how, label, entry.key, entry.type, fields, persons)


def register_styles() -> None:
    """Bibliography labels in the author–year form the text cites by: "Ruzhynsky, 2017",
    "TASS (R02), 2017", "Untitled analysis, after Oct 2017" (style ``kgkz``)."""
    from pybtex.plugin import register_plugin
    from pybtex.style.formatting.unsrt import Style as Unsrt
    from pybtex.style.labels import BaseLabelStyle

    class AuthorYear(BaseLabelStyle):
        def format_labels(self, sorted_entries):
            for entry in sorted_entries:
                people = entry.persons.get("author", [])
                names = [" ".join(p.last_names).strip("{}") for p in people]
                who = (
                    names[0]
                    if len(names) == 1
                    else (" and ".join(names) if len(names) == 2 else f"{names[0]} et al.")
                )
                yield f"{who}, {entry.fields.get('year', 'n.d.')}".strip("{}")

    class Style(Unsrt):
        default_label_style = "kgkz_author_year"

        def format_entry(self, label, entry, bib_data=None):
            if bib_data is not None:  # cross-references: formatting reads other entries
                return super().format_entry(label, entry, bib_data)
            key = _formatted_key(self, label, entry)
            USED.add(key)
            if key not in FORMATTED:
                FORMATTED[key] = super().format_entry(label, entry)
            return FORMATTED[key]

    register_plugin("pybtex.style.labels", "kgkz_author_year", AuthorYear, force=True)
    register_plugin("pybtex.style.formatting", "kgkz", Style, force=True)


def render() -> str:
    sources = load.table("sources")
    header = "% Generated from data/sources.csv by `python -m kgkz.render.bib`; do not edit.\n\n"
    return header + "\n".join(entry(row) for _, row in sources.iterrows())


def main() -> int:
    bibfile().write_text(render(), encoding="utf-8")
    print(f"wrote {bibfile()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
