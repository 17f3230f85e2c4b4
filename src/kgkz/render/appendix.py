"""The appendix pages written at build time from the data package: the data dictionary
(every table and field, as ``data/datapackage.json`` describes them) and the downloads
(a zip of the data package, the PDF book), with the zip itself.

The zip is deterministic: files in the package's order, fixed timestamps and
permissions, so the same data makes the same bytes.
"""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

from .. import paths
from ..data import load
from .sources_pages import escape

# Every file in the zip carries this time (the earliest a zip can hold).
ZIP_TIME = (1980, 1, 1, 0, 0, 0)
# From the downloads page (book/appendix/downloads.html in the HTML build) to the PDF
# that ``make pdf`` writes beside the HTML book (_build/latex/book.pdf).
PDF_LINK = "../../../latex/book.pdf"


def zip_name() -> str:
    return f"{load.datapackage()['name']}.zip"


def package_files() -> list[Path]:
    """datapackage.json and every table it names, in its order."""
    files = [paths.datapackage()]
    files += [paths.data() / res["path"] for res in load.datapackage()["resources"]]
    return files


def data_zip() -> bytes:
    """The data package as a zip: datapackage.json and its CSV tables at the top level,
    as ``data/`` holds them."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        for path in package_files():
            info = zipfile.ZipInfo(path.relative_to(paths.data()).as_posix(), ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3  # Unix, so that the permissions below are read
            info.external_attr = 0o644 << 16
            zf.writestr(info, path.read_bytes())
    return buffer.getvalue()


def records(path: Path) -> int:
    with path.open(encoding="utf-8", newline="") as f:
        return max(sum(1 for _ in csv.reader(f)) - 1, 0)


def _cell(text) -> str:
    return escape(str(text)).replace("\n", " ")


def _keys(value) -> list[str]:
    return [value] if isinstance(value, str) else list(value or [])


def _code(names: list[str]) -> str:
    return ", ".join(f"`{n}`" for n in names)


def dictionary_page() -> str:
    """The data dictionary: one section per table, one row per field."""
    package = load.datapackage()
    resources = package["resources"]
    n_fields = sum(len(r["schema"]["fields"]) for r in resources)
    out = [
        "(data-dictionary)=",
        "# Data dictionary",
        "",
        f"The book's dataset, *{escape(package['title'])}*, is {len(resources)} CSV tables"
        f" with {n_fields} fields in all, described by the Frictionless data package"
        " `data/datapackage.json`. This appendix is generated from that file: each field"
        " with its title (the heading the book's tables give it), its type (and whether a"
        " value is required), and what it holds. Every table is checked against it before"
        " the book is built. The data package can be {ref}`downloaded <downloads>`.",
        "",
    ]
    for res in resources:
        schema = res["schema"]
        path = paths.data() / res["path"]
        facts = [f"File `{res['path']}`, {records(path):,} records."]
        if key := _keys(schema.get("primaryKey")):
            facts.append(f"Each record is identified by {_code(key)}.")
        for fk in schema.get("foreignKeys", []):
            ref = fk["reference"]
            target = ref.get("resource") or res["name"]
            facts.append(
                f"{_code(_keys(fk['fields']))} refers to {_code(_keys(ref['fields']))}"
                f" in `{target}`."
            )
        if res.get("x-evidence-required"):
            facts.append("Every record needs evidence (a quote or a cited report).")
        out += [f"## {res['name']}", "", escape(res.get("description", "")), "", " ".join(facts)]
        out += [
            "",
            "| field | title | type | description |",
            "| --- | --- | --- | --- |",
        ]
        for field in schema["fields"]:
            cons = field.get("constraints", {})
            text = _cell(field.get("description", ""))
            if "enum" in cons:
                stop = "" if not text or text.endswith(("\\.", "\\)")) else escape(".")
                text += stop + " " + escape("One of: " + ", ".join(map(str, cons["enum"])) + ".")
            row = [
                f"`{field['name']}`",
                _cell(field.get("title", "")),
                field.get("type", "string") + (", required" if cons.get("required") else ""),
                text.strip(),
            ]
            out.append("| " + " | ".join(row) + " |")
        out.append("")
    return "\n".join(out)


def downloads_page() -> str:
    """What a reader can take away: the PDF, the data package, each figure's numbers."""
    package = load.datapackage()
    name = zip_name()
    tables = package["resources"]
    out = [
        "(downloads)=",
        "# Downloads",
        "",
        "## The book as a PDF",
        "",
        "```{only} html",
        f'<a href="{PDF_LINK}" type="application/pdf">book.pdf</a> is this book in print:'
        " the same chapters, figures and tables, numbered as here. It is made by"
        " `make pdf`, which writes it beside the HTML book (in `_build/latex/`); the link"
        " works once it has been made.",
        "```",
        "",
        "```{only} latex",
        "This is the book in print, made by `make pdf`; the HTML book links it from its"
        " downloads page, beside the data.",
        "```",
        "",
        "## The data",
        "",
        f"{{download}}`{name} <{name}>` holds the data package every number in this book"
        f" is computed from: `datapackage.json`, which describes each table (its fields,"
        f" types and keys), and the {len(tables)} CSV tables it names, the same files as"
        " `data/` in the book's repository. The {ref}`data dictionary <data-dictionary>`"
        " describes every field.",
        "",
        "| file | records |",
        "| --- | --- |",
    ]
    for res in tables:
        out.append(f"| `{res['path']}` | {records(paths.data() / res['path']):,} |")
    out += [
        "",
        "```{only} html",
        "Under every figure, a link gives the numbers it plots as a CSV file: one row per"
        " plotted value, with the figure's axis titles as column names.",
        "```",
        "",
    ]
    return "\n".join(out)


def _write(path: Path, content: bytes) -> None:
    """Write only when the content changed (Sphinx rereads what is newer)."""
    if not path.exists() or path.read_bytes() != content:
        path.write_bytes(content)


def render_all(outdir: Path) -> list[Path]:
    """Write the appendix pages and the data zip to ``outdir``; return their paths."""
    outdir.mkdir(parents=True, exist_ok=True)
    files = {
        outdir / "dictionary.md": dictionary_page().encode("utf-8"),
        outdir / "downloads.md": downloads_page().encode("utf-8"),
        outdir / zip_name(): data_zip(),
    }
    for path, content in files.items():
        _write(path, content)
    return list(files)
