"""Helpers shared by the tests that work on a fresh copy of the repository."""

from __future__ import annotations

import csv
import hashlib
import os
import re
import shutil
import subprocess
import time
from pathlib import Path

from kgkz import paths


def copy_tracked(dest: Path) -> None:
    """Copy the repository's tracked files (and those added but not yet committed) to
    ``dest``: a fresh checkout that the tests may change."""
    listing = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=paths.root(),
        capture_output=True,
        text=True,
        check=True,
    )
    for name in filter(None, listing.stdout.split("\0")):
        source = paths.root() / name
        if not source.is_file():  # deleted in the work tree
            continue
        target = dest / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, target)


def _rows(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.reader(f))


def _write_rows(path: Path, rows: list[list[str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f, lineterminator="\n").writerows(rows)


def set_value(root: Path, table: str, record_id: str, new: str, column: str = "value") -> str:
    """Change one value of a record in a copy of the repository, consistently: the
    record's cell, the public-record rows it cites (same measure and old value), the
    answers that give its figure, and the seed lines its quotes stand on (with the quote,
    the sentence table and the seed's sha256). Returns the old value as the CSV held it."""
    data = root / "data"
    rows = _rows(data / f"{table}.csv")
    col = rows[0].index(column)
    (row,) = [r for r in rows[1:] if r[0] == record_id]
    old, row[col] = row[col], new
    _write_rows(data / f"{table}.csv", rows)

    evidence = _rows(data / "evidence.csv")
    head = evidence[0]
    mine = [
        dict(zip(head, r, strict=True)) for r in evidence[1:] if r[1] == table and r[2] == record_id
    ]
    public = _rows(data / "public_record.csv")
    ph = public[0]
    for ev in mine:
        if ev["locator"]:
            for r in public[1:]:
                p = dict(zip(ph, r, strict=True))
                if (p["ref_id"], p["measure"], p["value"]) == (ev["source_id"], ev["locator"], old):
                    r[ph.index("value")] = new
    _write_rows(data / "public_record.csv", public)
    answers = _rows(data / "answers.csv")
    ah = answers[0]
    for r in answers[1:]:
        a = dict(zip(ah, r, strict=True))
        if (a["table"], a["record_id"]) == (table, record_id) and a["number"] and old:
            try:
                same = float(a["number"]) == float(old)
            except ValueError:
                same = False
            if same and column == "value":
                r[ah.index("number")] = new
    _write_rows(data / "answers.csv", answers)

    sources = _rows(data / "sources.csv")
    sh = sources[0]
    changed_quotes = {}
    for ev in mine:
        if ev["quote"] and re.search(rf"\b{re.escape(old)}\b", ev["quote"]):
            (src,) = [s for s in sources[1:] if s[0] == ev["source_id"]]
            seed = root / "seeds" / src[sh.index("file")]
            text = seed.read_text(encoding="utf-8")
            new_quote = re.sub(rf"\b{re.escape(old)}\b", new, ev["quote"])
            seed.write_text(text.replace(ev["quote"], new_quote), encoding="utf-8")
            src[sh.index("sha256")] = hashlib.sha256(seed.read_bytes()).hexdigest()
            changed_quotes[ev["quote"]] = new_quote
    _write_rows(data / "sources.csv", sources)
    sentences = _rows(data / "sentences.csv")
    text_col = sentences[0].index("text")
    for r in sentences[1:]:
        for old_quote, new_quote in changed_quotes.items():
            r[text_col] = r[text_col].replace(old_quote, new_quote)
    _write_rows(data / "sentences.csv", sentences)
    for r in evidence[1:]:
        if r[head.index("quote")] in changed_quotes:
            r[head.index("quote")] = changed_quotes[r[head.index("quote")]]
    _write_rows(data / "evidence.csv", evidence)
    return old


def chapter_state(root: Path) -> dict:
    """The build's recorded key of each chapter (what it read)."""
    import json

    return json.loads((root / "_build/.kgkz-state.json").read_text(encoding="utf-8"))["chapters"]


def readers(root: Path, table: str, column: str | None = None, key: str | None = None):
    """Chapters whose recorded reads include this cell (or this table's row set)."""
    out = set()
    for chapter, entry in chapter_state(root).items():
        read = entry.get("values", {}).get(table, {}).get("read")
        if read is None:
            continue
        if column is None:
            if read["rows"]:
                out.add(Path(chapter).name)
            continue
        keys = read["cols"].get(column)
        if keys == "*" or (keys and key in keys):
            out.add(Path(chapter).name)
    return out


def public_cells(root: Path, quantity: str, value: str) -> list[str]:
    """Keys of the public-record rows a quantity cites with its value."""
    with (root / "data/evidence.csv").open(encoding="utf-8") as f:
        cited = {(r["source_id"], r["locator"]) for r in csv.DictReader(f)
                 if r["record_id"] == quantity and r["locator"]}  # fmt: skip
    with (root / "data/public_record.csv").open(encoding="utf-8") as f:
        return [
            "\x1f".join((r["ref_id"], r["subject"], r["measure"]))
            for r in csv.DictReader(f)
            if (r["ref_id"], r["measure"]) in cited and r["value"] == value
        ]


def least_read_quantity(root: Path) -> tuple[str, str, set[str]]:
    """A figure from the public record alone, set against no other answer (changing it
    changes no seed text and contradicts no other source), read by the fewest chapters:
    its id, a new value for it, and the chapters that read it (after a build)."""
    with (root / "data/quantities.csv").open(encoding="utf-8") as f:
        values = {r["quantity_id"]: r["value"] for r in csv.DictReader(f)}
    with (root / "data/evidence.csv").open(encoding="utf-8") as f:
        quoted = {r["record_id"] for r in csv.DictReader(f) if r["quote"]}
    with (root / "data/answers.csv").open(encoding="utf-8") as f:
        quoted |= {r["record_id"] for r in csv.DictReader(f)}  # other sources' figures too

    def who(q):  # the quantity's cell, and the public-record cells that change with it
        out = set(readers(root, "quantities", "value", q))
        for key in public_cells(root, q, values[q]):
            out |= readers(root, "public_record", "value", key)
        return out

    candidates = sorted((len(who(q)), q) for q in values if q not in quoted and who(q))
    assert candidates, "no public-record quantity is read by any chapter"
    q = candidates[0][1]
    return q, str(float(values[q]) + 1).removesuffix(".0"), who(q)


def run_chapter(chapter: str, monkeypatch, catch) -> None:
    """Run a chapter's code in this process with every figure it publishes handed to
    ``catch(name, fig, data=None)`` instead of being glued."""
    import json

    from kgkz.render import publish

    monkeypatch.setattr(publish, "_glue", lambda *a, **k: None)
    monkeypatch.setattr(publish, "figure", catch)
    monkeypatch.chdir(paths.book())
    nb = json.loads((paths.book() / f"{chapter}.ipynb").read_text())
    ns: dict = {}
    for cell in nb["cells"]:
        if cell["cell_type"] == "code":
            exec("".join(cell["source"]), ns)  # noqa: S102


def working_in(root: Path) -> list[str]:
    """Processes working in ``root`` (their directory or arguments): builds, workers,
    kernels."""
    out = []
    for proc_dir in Path("/proc").glob("[0-9]*"):
        try:
            cwd = os.readlink(proc_dir / "cwd")
            args = (proc_dir / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        if cwd.startswith(str(root)) or str(root) in args:
            out.append(f"{proc_dir.name}: {args[:80]}")
    return out


def none_left_in(root: Path, wait: float = 30) -> list[str]:
    """Wait up to ``wait`` seconds for every process working in ``root`` to end; those
    left (none, once they all ended)."""
    deadline = time.time() + wait
    while working_in(root) and time.time() < deadline:
        time.sleep(0.5)
    return working_in(root)
