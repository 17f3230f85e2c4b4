"""Which chapters are stale: the one rule every entry point uses.

A chapter's cached outputs hold while all of these are unchanged since it was executed:
its code, every file it read (the loader logs them), the package code it ran on, and the
environment (``requirements.lock`` and the Python version). Paths in the state are
relative to the repository root, so a moved or renamed checkout reuses its own state.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

from .. import paths
from ..data.lines import first_line_with

VERSION = 4
PACKAGE = Path(__file__).resolve().parent.parent
# What chapters run on: everything in the package but the build itself.
_NOT_CHAPTER_CODE = {"build"}


def state_file() -> Path:
    return paths.build() / ".kgkz-state.json"


def cache_dir() -> Path:
    return paths.build() / ".jupyter_cache"


def chapters() -> list[Path]:
    """The executable chapters: every notebook in book/."""
    return sorted(paths.book().glob("*.ipynb"))


# While ``stale`` looks at the chapters, each file is hashed, each table read and each
# derived value computed once, however many chapters depend on it.
_ONE_LOOK: list[dict] = []


@contextlib.contextmanager
def _one_look() -> Iterator[None]:
    _ONE_LOOK.append({})
    try:
        yield
    finally:
        _ONE_LOOK.pop()


def _once(key: tuple, compute: Callable):
    if not _ONE_LOOK:
        return compute()
    done = _ONE_LOOK[-1]
    if key not in done:
        done[key] = compute()
    return done[key]


def sha(path: Path) -> str:
    return _once(("sha", str(path)), lambda: _sha(path))


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else "missing"


def rel(path: Path) -> str:
    """A path as the state records it: relative to the root, with forward slashes."""
    return Path(path).resolve().relative_to(paths.root().resolve()).as_posix()


def package_hash() -> str:
    """Hash of the package code a chapter can run (kgkz.build excluded)."""
    digest = hashlib.sha256()
    for path in sorted(PACKAGE.rglob("*")):
        parts = path.relative_to(PACKAGE).parts
        if not path.is_file() or "__pycache__" in parts or parts[0] in _NOT_CHAPTER_CODE:
            continue
        digest.update("/".join(parts).encode())
        digest.update(sha(path).encode())
    return digest.hexdigest()


def environment_key() -> str:
    """The resolved environment: the pinned packages and the Python version."""
    digest = hashlib.sha256(sha(paths.root() / "requirements.lock").encode())
    digest.update(sys.version.encode())
    return digest.hexdigest()


def load() -> dict:
    try:
        state = json.loads(state_file().read_text(encoding="utf-8"))
    except (FileNotFoundError, json.JSONDecodeError):
        return {"version": VERSION, "chapters": {}}
    if state.get("version") != VERSION:
        return {"version": VERSION, "chapters": {}}
    return state


def save(state: dict) -> None:
    """Write the state atomically: an interrupted build leaves the old or the new one."""
    target = state_file()
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".kgkz-state-", suffix=".tmp")
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        json.dump(state, f, indent=1, sort_keys=True)
    os.replace(tmp, target)


def parse_reads(lines: list[str]) -> tuple[set[str], dict[str, dict]]:
    """The read log of one chapter (see kgkz.data.track): the files it read whole, and
    per table the row set (if it depended on it) and the cells it read, by column."""
    files, tables, _quotes, _derived = parse_log(lines)
    return files, tables


def parse_log(lines: list[str]) -> tuple[set[str], dict[str, dict], dict[str, list[str]], list]:
    """As ``parse_reads``, plus the quotes whose place in a file the chapter read and the
    values it derived from whole files (function, arguments, files, hash of the result)."""
    files: set[str] = set()
    tables: dict[str, dict] = {}
    quotes: dict[str, set[str]] = {}
    derived: list[tuple[str, list, list[str], str]] = []
    for line in lines:
        kind, *rest = line.rstrip("\n").split("\t")
        if kind == "file":
            files.add(rest[0])
            continue
        if kind == "derived":
            derived.append((rest[0], json.loads(rest[1]), json.loads(rest[2]), rest[3]))
            continue
        if kind == "quote":
            quotes.setdefault(rest[0], set()).add(json.loads(rest[1]))
            continue
        spec = tables.setdefault(rest[0], {"rows": False, "cols": {}})
        if kind == "rows":
            spec["rows"] = True
        elif kind == "col":
            spec["cols"][rest[1]] = "*"
        elif kind == "cell":
            keys = spec["cols"].setdefault(rest[1], [])
            if keys != "*":
                keys.append(rest[2])
    for spec in tables.values():
        spec["cols"] = {
            c: k if k == "*" else sorted(set(k)) for c, k in sorted(spec["cols"].items())
        }
    # A file read whole covers every quote in it.
    places = {p: sorted(q) for p, q in sorted(quotes.items()) if p not in files}
    return files, tables, places, sorted(derived)


def derived_hash(call: str, args: list) -> str:
    """The hash of a derived value computed again from the files as they are now."""
    return _once(("derived", call, json.dumps(args)), lambda: _derived_hash(call, args))


def _derived_hash(call: str, args: list) -> str:
    import importlib

    from ..data import track

    module, _, name = call.partition(":")
    func = importlib.import_module(module)
    for part in name.split("."):
        func = getattr(func, part)
    return track.result_hash(func(*args))


def quotes_fingerprint(path: Path, quotes: list[str]) -> str:
    """Hash of the line each quote first stands on in a file (0: not found)."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        return "missing"
    places = [f"{q}\x1e{first_line_with(lines, q)}" for q in quotes]
    return hashlib.sha256("\x1f".join(places).encode()).hexdigest()


def _table_path_and_key(name: str) -> tuple[Path, list[str]]:
    package = _once(("datapackage",), lambda: json.loads(paths.datapackage().read_text("utf-8")))
    res = next(r for r in package["resources"] if r["name"] == name)
    key = res["schema"].get("primaryKey") or []
    return paths.data() / res["path"], [key] if isinstance(key, str) else key


def table_fingerprint(name: str, spec: dict) -> str:
    """Hash of exactly the values a chapter read from one table (and of its set of rows
    when it depended on that): a change elsewhere in the table leaves it unchanged."""
    by_key = _once(("rows", name), lambda: _rows_by_key(name))
    if by_key is None:
        return "missing"
    digest = hashlib.sha256()
    if spec.get("rows"):
        digest.update("\x1e".join(sorted(by_key)).encode())
    for column, keys in spec.get("cols", {}).items():
        digest.update(f"\x1d{column}".encode())
        chosen = sorted(by_key) if keys == "*" else keys
        for k in chosen:
            row = by_key.get(k)
            value = "\x00missing" if row is None else row.get(column, "\x00no column")
            digest.update(f"\x1f{k}\x1e{value}".encode())
    return digest.hexdigest()


def _rows_by_key(name: str) -> dict[str, dict] | None:
    import csv

    path, key = _table_path_and_key(name)
    try:
        with path.open(encoding="utf-8", newline="") as f:
            rows = list(csv.DictReader(f))
    except FileNotFoundError:
        return None
    return {"\x1f".join(r.get(k, "") for k in key): r for r in rows}


def entry_for(nb_path: Path, log_lines: list[str]) -> dict:
    """The key of one chapter just executed, from its read log."""
    files, tables, quotes, derived = parse_log(log_lines)
    inputs = {_name(Path(p)): sha(Path(p)) for p in sorted(files)}
    places = {
        _name(Path(p)): {
            "file": sha(Path(p)),
            "quotes": q,
            "fingerprint": quotes_fingerprint(Path(p), q),
        }
        for p, q in quotes.items()
    }
    values = {}
    for name, spec in sorted(tables.items()):
        path, _ = _table_path_and_key(name)
        values[name] = {
            "file": sha(path),
            "read": spec,
            "fingerprint": table_fingerprint(name, spec),
        }
    return {
        "package": package_hash(),
        "environment": environment_key(),
        "notebook": sha(nb_path),
        "inputs": inputs,
        "values": values,
        "places": places,
        "derived": [
            {
                "call": call,
                "args": args,
                "files": {_name(Path(f)): sha(Path(f)) for f in files_of},
                "result": result,
            }
            for call, args, files_of, result in derived
        ],
    }


def _name(path: Path) -> str:
    try:
        return rel(path)
    except ValueError:  # outside the repository (a shared file): keep it absolute
        return str(path.resolve())


def _input_path(name: str) -> Path:
    path = Path(name)
    return path if path.is_absolute() else paths.root() / path


def why_stale(nb_path: Path, entry: dict | None, pkg: str, env: str) -> str | None:
    """Why a chapter must be executed again, or None if its cached outputs hold."""
    if entry is None:
        return "never executed"
    if entry.get("environment") != env:
        return "the environment changed"
    if entry.get("package") != pkg:
        return "the package changed"
    for name, digest in entry.get("inputs", {}).items():
        if sha(_input_path(name)) != digest:
            return f"{name} changed"
    for name, place in entry.get("places", {}).items():
        path = _input_path(name)
        if sha(path) != place["file"] and (
            quotes_fingerprint(path, place["quotes"]) != place["fingerprint"]
        ):
            return f"the place of a quote it cites in {name} changed"
    for d in entry.get("derived", []):
        if all(sha(_input_path(f)) == digest for f, digest in d["files"].items()):
            continue
        try:
            again = derived_hash(d["call"], d["args"])
        except Exception as e:  # noqa: BLE001 - a value that cannot be derived is stale
            return f"{d['call']} could not be computed again ({e})"
        if again != d["result"]:
            return f"{d['call']}{tuple(d['args'])} changed"
    for table, value in entry.get("values", {}).items():
        path, _ = _table_path_and_key(table)
        if sha(path) == value["file"]:
            continue
        if table_fingerprint(table, value["read"]) != value["fingerprint"]:
            return f"values it read in {table} changed"
    if not in_cache(nb_path, entry):
        return "its code changed"
    return None


def stale(notebooks: list[Path] | None = None, verbose: bool = False) -> list[Path]:
    """Chapters whose code, data inputs, package code or environment changed since they
    were cached. A chapter whose prose alone changed is not stale (its outputs hold)."""
    notebooks = chapters() if notebooks is None else notebooks
    state = load()
    out, changed = [], False
    with _one_look():
        pkg, env = package_hash(), environment_key()
        for nb_path in notebooks:
            entry = state["chapters"].get(rel(nb_path))
            reason = why_stale(nb_path, entry, pkg, env)
            if reason:
                out.append(nb_path)
                if verbose:
                    print(f"stale: {nb_path.name} ({reason})", flush=True)
            elif entry.get("notebook") != sha(nb_path):
                entry["notebook"], changed = sha(nb_path), True
    if changed:
        save(state)
    return out


def forget(nb_path: Path) -> None:
    """Mark one chapter stale (``make chapter``)."""
    state = load()
    if state["chapters"].pop(rel(nb_path), None) is not None:
        save(state)


def in_cache(nb_path: Path, entry: dict) -> bool:
    """Is this notebook's code in the execution cache? When the file is byte-identical to
    the one executed last time, its record was written then; otherwise ask jupyter-cache
    (whose import alone costs seconds)."""
    if entry.get("notebook") == sha(nb_path) and (cache_dir() / "global.db").exists():
        return True
    import nbformat
    from jupyter_cache import get_cache

    try:
        get_cache(str(cache_dir())).match_cache_notebook(nbformat.read(nb_path, as_version=4))
    except KeyError:
        return False
    return True


def data_fingerprint() -> str:
    """Hash of what validation reads: data/ and seeds/."""
    digest = hashlib.sha256()
    for name in ("data", "seeds"):
        for path in sorted((paths.root() / name).rglob("*")):
            if path.is_file():
                digest.update(rel(path).encode())
                digest.update(sha(path).encode())
    return digest.hexdigest()


def _validated_stamp() -> Path:
    return paths.build() / ".kgkz-validated"


def validation_key() -> str:
    """What validation depends on: the data, the seeds and the validator (the package)."""
    return hashlib.sha256(f"{data_fingerprint()}{package_hash()}".encode()).hexdigest()


def validate_once(key: str | None = None) -> str:
    """Validate the data unless this very data was validated before by this code; raise
    ValidationError on a problem. Return the key validated."""
    from ..data import validate

    key = key or validation_key()
    stamp = _validated_stamp()
    if stamp.exists() and stamp.read_text(encoding="utf-8") == key:
        return key
    # Tables found valid before by this very validator and unchanged since (their keys
    # name both) are not read again: a change to one table reads that table (and those
    # whose foreign keys look it up); every rule still runs on all of them.
    version = f"{package_hash()}{environment_key()}"
    validate.check(paths.root(), keep=paths.build() / ".kgkz-validation", version=version)
    stamp.parent.mkdir(parents=True, exist_ok=True)
    stamp.write_text(key, encoding="utf-8")
    return key


SOURCES = ("book", "data", "seeds", "_config.yml", "_toc.yml", "requirements.lock")
# Pages (and the data zip) the build writes into book/ from the sources above.
GENERATED = ("book/sources/", "book/appendix/")


def sources_hash() -> str:
    """One hash of everything Sphinx renders from: book sources, data, seeds, config, the
    environment and the whole package (generated pages are left out: they derive from
    these)."""
    digest = hashlib.sha256(environment_key().encode())
    files = [p for p in PACKAGE.rglob("*") if p.is_file() and "__pycache__" not in p.parts]
    for name in SOURCES:
        base = paths.root() / name
        files += [base] if base.is_file() else [p for p in base.rglob("*") if p.is_file()]
    for path in sorted(files):
        name = rel(path) if path.is_relative_to(paths.root()) else path.as_posix()
        if name.startswith(GENERATED) or ".ipynb_checkpoints" in name:
            continue
        digest.update(name.encode())
        digest.update(sha(path).encode())
    return digest.hexdigest()
