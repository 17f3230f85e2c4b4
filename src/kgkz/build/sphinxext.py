"""Sphinx extension: before any page is read, validate the data once and execute the
stale chapters, by the same rule as ``python -m kgkz.build``.

Listed in _config.yml (``sphinx.extra_extensions``), so that a plain
``jupyter-book build .`` (HTML or ``--builder pdflatex``) shows current numbers too:
Jupyter Book's own cache keys a notebook on its code only.
"""

from __future__ import annotations

import os
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.errors import ExtensionError

from .. import paths
from ..data import validate
from . import execute, lock, render, state


def _failed_marker(app: Sphinx) -> Path:
    return paths.build() / f".kgkz-{Path(app.outdir).name}-failed"


def _before_reading(app: Sphinx, config) -> None:
    if not lock.held():
        app._kgkz_lock = lock.acquire()
    key = state.validation_key()
    if os.environ.get(render.VALIDATED) != key:
        try:
            state.validate_once(key)
        except validate.ValidationError as e:
            raise ExtensionError(str(e)) from None
    _wait_for_the_build_process()
    todo = state.stale(verbose=True)
    try:
        execute.execute(todo)
    except execute.ChapterError as e:
        raise ExtensionError(str(e)) from None
    # After a failed build Sphinx would take its pickled environment as up to date and
    # pass silently over the page that failed: re-read every page then.
    marker = _failed_marker(app)
    app._kgkz_reread_all = marker.exists()
    marker.touch()


def _wait_for_the_build_process() -> None:
    """Run by ``python -m kgkz.build``, which executes the stale chapters while Sphinx
    starts: wait until it says they are done (an end of file without that: it failed or
    was stopped, and says why itself)."""
    fd = os.environ.pop(render.EXECUTING, None)
    if fd is None:
        return
    with os.fdopen(int(fd), "rb") as pipe:
        said = pipe.read()
    if said != render.DONE:
        raise ExtensionError("the chapters were not executed: the build was stopped")


def _outdated(app: Sphinx, env, added, changed, removed) -> list[str]:
    return sorted(env.found_docs) if getattr(app, "_kgkz_reread_all", False) else []


def _finished(app: Sphinx, exception) -> None:
    warned = app.warningiserror and getattr(app, "_warncount", 0)
    if exception is None and not warned:
        _failed_marker(app).unlink(missing_ok=True)
    held = getattr(app, "_kgkz_lock", None)
    if held is not None:
        lock.release(held)
        app._kgkz_lock = None


def setup(app: Sphinx) -> dict:
    # The book being built is the root the package works on, and the chapters it executes.
    os.environ.setdefault("KGKZ_ROOT", str(Path(app.srcdir).resolve()))
    # Priority 1: before the source pages are rendered and before sphinx-external-toc
    # checks that the pages in _toc.yml exist.
    app.connect("config-inited", _before_reading, priority=1)
    app.connect("env-get-outdated", _outdated)
    app.connect("build-finished", _finished)
    return {"version": "2", "parallel_read_safe": True, "parallel_write_safe": True}
