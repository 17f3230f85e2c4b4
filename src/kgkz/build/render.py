"""Run Jupyter Book (Sphinx) with warnings as errors, or skip it when nothing changed."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from .. import paths
from . import state
from .execute import stop_with_parent

# Set for Jupyter Book by a build that has just validated this data (its fingerprint).
VALIDATED = "KGKZ_VALIDATED"

OUTPUT = {"html": Path("html") / "index.html", "pdflatex": Path("latex") / "book.pdf"}


def _stamp(builder: str) -> Path:
    return paths.build() / f".kgkz-{builder}-sources"


def _run(cmd: list[str]) -> None:
    """Run Jupyter Book; on Ctrl-C (which it receives too) let it stop its own chapters
    and kernels before this process stops."""
    # Killed (not interrupted), this process takes Jupyter Book with it: the child is
    # sent SIGTERM when its parent dies, and stops its chapters' kernels in turn.
    proc = subprocess.Popen(cmd, cwd=paths.root(), preexec_fn=stop_with_parent)
    try:
        code = proc.wait()
    except KeyboardInterrupt:
        try:
            proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            proc.terminate()
            proc.wait()
        raise
    if code:
        raise subprocess.CalledProcessError(code, cmd)


def up_to_date(builder: str) -> bool:
    """Did the last successful build of this builder render exactly the current sources
    (with no chapter stale since)?"""
    stamp, output = _stamp(builder), paths.build() / OUTPUT.get(builder, Path(builder))
    outdir = "latex" if builder == "pdflatex" else builder
    if (paths.build() / f".kgkz-{outdir}-failed").exists() or not output.exists():
        return False
    if not stamp.exists() or stamp.read_text(encoding="utf-8") != state.sources_hash():
        return False
    return not state.stale()


def jupyter_book(builder: str = "html") -> bool:
    """Validate, then render; return False if nothing needed rendering. The project's
    Sphinx extension executes the stale chapters before any page is read (and, told that
    this data was just validated, does not validate it again)."""
    if up_to_date(builder):
        print(f"{builder}: nothing changed since the last build: nothing to do", flush=True)
        return False
    os.environ[VALIDATED] = state.validate_once()
    exe = Path(sys.executable).with_name("jupyter-book")
    cmd = [str(exe), "build", str(paths.root()), "--builder", builder, "-W", "-n", "--keep-going"]
    _stamp(builder).unlink(missing_ok=True)
    _run(cmd)
    _stamp(builder).write_text(state.sources_hash(), encoding="utf-8")
    return True
