"""book/references.bib, derived from data/sources.csv: one entry per source.

``python -m kgkz.bib`` rewrites the file; a test checks that it agrees with the table.
"""

from __future__ import annotations

import sys

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


def entry(src: pd.Series) -> str:
    sid = src["source_id"]
    fields: list[tuple[str, str]] = []
    title = src["title"] if src["title"] != "unknown" else src["label"]
    fields.append(("title", "{" + _braced(title) + "}"))
    # Unknown authors stay unknown: the outlet (or "Unknown outlet (S001)") stands in the
    # author field, so that citations read as outlet and year.
    if src["author"] != "unknown":
        fields.append(("author", _braced(_author(src["author"]))))
    elif src["kind"] == "reference":
        # Several reports share an outlet and a year: the id keeps citations apart.
        fields.append(("author", "{" + _braced(f"{src['outlet']} ({sid})") + "}"))
    else:
        outlet = src["outlet"] if src["outlet"] != "unknown" else f"Unknown outlet ({sid})"
        fields.append(("author", "{" + _braced(outlet) + "}"))
    fields.append(("howpublished", _braced(src["outlet"])))
    if pd.notna(src["published"]):
        fields.append(("year", _braced(src["published"].year)))
        if src["date_precision"] in ("day", "month"):
            fields.append(("month", _MONTHS[src["published"].month - 1]))
    else:
        fields.append(("year", "{n.d.}"))
    if pd.notna(src["url"]):
        fields.append(("url", _braced(src["url"])))
    kind = "seed file seeds/" + src["file"] if src["kind"] == "seed" else "public record"
    fields.append(("note", _braced(f"{sid}; {kind}; date: {src['date_basis']}")))
    body = ",\n".join(f"  {k} = {v}" for k, v in fields)
    return f"@misc{{{sid},\n{body}\n}}\n"


def render() -> str:
    sources = load.table("sources")
    header = "% Generated from data/sources.csv by `python -m kgkz.bib`; do not edit.\n\n"
    return header + "\n".join(entry(row) for _, row in sources.iterrows())


def main() -> int:
    bibfile().write_text(render(), encoding="utf-8")
    print(f"wrote {bibfile()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
