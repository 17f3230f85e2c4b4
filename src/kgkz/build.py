"""Build the book without ever showing stale numbers, and without executing more than needed.

Jupyter Book's execution cache keys a notebook on its code only. Here each chapter is
keyed on its code *and* on every file it actually read when it last ran (the loader
logs them) plus the package's own source. Stale chapters are executed in parallel into
the jupyter-cache that Sphinx reads; then ``jupyter-book build`` renders from the cache.

    python -m kgkz.build html            # the HTML book (default)
    python -m kgkz.build pdf             # the PDF book (XeLaTeX)
    python -m kgkz.build chapter border  # re-execute one chapter, rebuild the HTML
    python -m kgkz.build execute         # only bring the execution cache up to date
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from . import paths, validate

BUILD = paths.ROOT / "_build"
CACHE = BUILD / ".jupyter_cache"
STATE = BUILD / ".kgkz-inputs.json"
PACKAGE = Path(__file__).resolve().parent


def chapters() -> list[Path]:
    """The executable chapters: every notebook in book/."""
    return sorted(paths.BOOK.glob("*.ipynb"))


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else "missing"


def package_hash() -> str:
    digest = hashlib.sha256()
    for path in sorted(PACKAGE.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(path.relative_to(PACKAGE).as_posix().encode())
            digest.update(_sha(path).encode())
    return digest.hexdigest()


def _load_state() -> dict:
    try:
        return json.loads(STATE.read_text(encoding="utf-8"))
    except (FileNotFoundError, json.JSONDecodeError):
        return {}


def _save_state(state: dict) -> None:
    STATE.parent.mkdir(parents=True, exist_ok=True)
    STATE.write_text(json.dumps(state, indent=1, sort_keys=True), encoding="utf-8")


def _cache():
    from jupyter_cache import get_cache

    CACHE.parent.mkdir(parents=True, exist_ok=True)
    return get_cache(str(CACHE))


def stale(notebooks: list[Path] | None = None) -> list[Path]:
    """Chapters whose code, data inputs or package code changed since they were cached."""
    notebooks = chapters() if notebooks is None else notebooks
    state, pkg = _load_state(), package_hash()
    out, changed = [], False
    for nb_path in notebooks:
        entry = state.get(nb_path.name)
        if (
            entry is None
            or entry.get("package") != pkg
            or any(_sha(Path(p)) != h for p, h in entry.get("inputs", {}).items())
            or not _in_cache(nb_path, entry)
        ):
            out.append(nb_path)
        elif entry.get("notebook") != _sha(nb_path):
            # Only its prose changed: the cached outputs still hold; remember this file.
            entry["notebook"], changed = _sha(nb_path), True
    if changed:
        _save_state(state)
    return out


def _in_cache(nb_path: Path, entry: dict) -> bool:
    """Is this notebook's code in the execution cache? When the file is byte-identical to
    the one executed last time, its record was written then (no need to ask jupyter-cache,
    whose import alone costs seconds); otherwise ask."""
    if entry.get("notebook") == _sha(nb_path) and (CACHE / "global.db").exists():
        return True
    import nbformat

    try:
        _cache().match_cache_notebook(nbformat.read(nb_path, as_version=4))
    except KeyError:
        return False
    return True


def _execute_one(nb_path: str, timeout: int = 300) -> tuple[str, dict, list[str], float, str]:
    """Run one notebook in a fresh kernel; return it executed, with the files it read."""
    import nbformat
    from jupyter_cache.executors.utils import single_nb_execution

    os.environ.setdefault("SOURCE_DATE_EPOCH", "0")
    for attempt in range(3):
        nb = nbformat.read(nb_path, as_version=4)
        with tempfile.NamedTemporaryFile("r", suffix=".log", delete=False) as log:
            log_path = log.name
        os.environ["KGKZ_READ_LOG"] = log_path
        try:
            result = single_nb_execution(
                nb, cwd=str(Path(nb_path).parent), timeout=timeout, allow_errors=False
            )
            reads = sorted(set(Path(log_path).read_text(encoding="utf-8").split()))
            break
        except RuntimeError as e:
            # Two kernels started at once can race for the same ports ("Kernel died
            # before replying to kernel_info"): start again, a moment later.
            if "Kernel died" not in str(e) or attempt == 2:
                raise
            time.sleep(1 + attempt)
        finally:
            os.unlink(log_path)
    error = result.exc_string if result.err is not None else ""
    return nb_path, nb, reads, result.time, error


def execute(notebooks: list[Path], workers: int | None = None) -> dict[str, float]:
    """Execute notebooks in parallel into the cache; raise if any fails."""
    if not notebooks:
        return {}
    from jupyter_cache.base import CacheBundleIn

    # One more worker than cores: kernels spend part of their start-up waiting.
    workers = workers or min(len(notebooks), (os.cpu_count() or 1) + 1)
    cache, state, pkg = _cache(), _load_state(), package_hash()
    times, failures = {}, []
    with ProcessPoolExecutor(max_workers=workers) as pool:
        for nb_path, nb, reads, seconds, error in pool.map(
            _execute_one, [str(p) for p in notebooks]
        ):
            name = Path(nb_path).name
            if error:
                failures.append(f"{name}:\n{error}")
                state.pop(name, None)
                continue
            cache.cache_notebook_bundle(
                CacheBundleIn(nb, nb_path, data={"execution_seconds": seconds}),
                check_validity=False,
                overwrite=True,
            )
            state[name] = {
                "package": pkg,
                "notebook": _sha(Path(nb_path)),
                "inputs": {p: _sha(Path(p)) for p in reads},
            }
            # Sphinx re-reads a document only when its source is newer than its doctree:
            # mark the chapter as changed so the new outputs are rendered.
            os.utime(nb_path)
            times[name] = seconds
            print(f"executed {name} in {seconds:.1f} s ({len(reads)} inputs)", flush=True)
    _save_state(state)
    if failures:
        raise RuntimeError("chapter(s) failed to execute:\n" + "\n".join(failures))
    return times


def update_cache(force: list[Path] | None = None) -> list[Path]:
    """Validate the data, then execute the stale chapters (and any forced ones)."""
    validate.check(paths.ROOT)
    todo = stale()
    for path in force or []:
        if path not in todo:
            todo.append(path)
    if todo:
        print("executing: " + ", ".join(p.name for p in todo), flush=True)
    else:
        print("execution cache is up to date: nothing to execute", flush=True)
    execute(todo)
    return todo


SOURCES = ("book", "data", "seeds", "_config.yml", "_toc.yml")
OUTPUT = {"html": Path("html") / "index.html", "pdflatex": Path("latex") / "book.pdf"}


def sources_hash() -> str:
    """One hash of everything Sphinx renders from: book sources, data, seeds, config,
    and the package (the generated source pages are left out: they derive from these)."""
    digest = hashlib.sha256(package_hash().encode())
    for name in SOURCES:
        base = paths.ROOT / name
        files = [base] if base.is_file() else sorted(p for p in base.rglob("*") if p.is_file())
        for path in files:
            rel = path.relative_to(paths.ROOT).as_posix()
            if rel.startswith("book/sources/") or ".ipynb_checkpoints" in rel:
                continue
            digest.update(rel.encode())
            digest.update(_sha(path).encode())
    return digest.hexdigest()


def jupyter_book(builder: str = "html") -> bool:
    """Render with warnings as errors; return False if nothing needed rendering.

    Skips Sphinx when no source changed since the last successful build of this builder.
    After a failed build Sphinx would consider its pickled environment up to date and
    pass silently: rebuild everything then.
    """
    exe = Path(sys.executable).with_name("jupyter-book")
    failed = BUILD / f".kgkz-{builder}-failed"
    stamp = BUILD / f".kgkz-{builder}-sources"
    current = sources_hash()
    output = BUILD / OUTPUT.get(builder, Path(builder))
    if not failed.exists() and output.exists() and stamp.exists():
        if stamp.read_text(encoding="utf-8") == current:
            print(f"{builder}: no source changed since the last build: nothing to render")
            return False
    cmd = [str(exe), "build", str(paths.ROOT), "--builder", builder, "-W", "-n", "--keep-going"]
    if failed.exists():
        cmd.append("--all")
    BUILD.mkdir(parents=True, exist_ok=True)
    failed.touch()
    stamp.unlink(missing_ok=True)
    subprocess.run(cmd, check=True, cwd=paths.ROOT)
    failed.unlink()
    stamp.write_text(current, encoding="utf-8")
    return True


def copy_tracked(dest: Path) -> None:
    """Copy the repository's tracked files to ``dest``: a fresh checkout, for tests and
    the benchmark that must not touch the working tree."""
    listing = subprocess.run(
        ["git", "ls-files", "-z"], cwd=paths.ROOT, capture_output=True, text=True, check=True
    )
    for name in filter(None, listing.stdout.split("\0")):
        target = dest / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(paths.ROOT / name, target)


def find_chapter(name: str) -> Path:
    matches = [p for p in chapters() if p.stem == name or p.name == name]
    if not matches:
        known = ", ".join(p.stem for p in chapters())
        raise SystemExit(f"no chapter '{name}' (chapters: {known})")
    return matches[0]


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    what = args[0] if args else "html"
    start = time.perf_counter()
    try:
        if what == "execute":
            update_cache()
        elif what == "html":
            update_cache()
            jupyter_book("html")
            print(f"HTML book: {BUILD / 'html' / 'index.html'}")
        elif what == "pdf":
            update_cache()
            jupyter_book("pdflatex")
            pdf = BUILD / "latex" / "book.pdf"
            print(f"PDF book: {pdf}")
        elif what == "chapter":
            if len(args) < 2:
                raise SystemExit("usage: python -m kgkz.build chapter NAME")
            path = find_chapter(args[1])
            update_cache(force=[path])
            jupyter_book("html")
            page = BUILD / "html" / "book" / f"{path.stem}.html"
            print(f"re-executed {path.name}; page: {page}")
        elif what == "clean":
            shutil.rmtree(BUILD, ignore_errors=True)
        else:
            raise SystemExit(f"unknown target '{what}' (html, pdf, chapter NAME, execute, clean)")
    except validate.ValidationError as e:
        print(e, file=sys.stderr)
        return 1
    print(f"done in {time.perf_counter() - start:.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
