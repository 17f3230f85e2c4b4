"""Sphinx extension: before any page is read, validate the data once and execute the
stale chapters, by the same rule as ``python -m kgkz.build`` (run by it, wait for the
chapters it is executing: each page when Sphinx comes to read it).

Listed in _config.yml (``sphinx.extra_extensions``), so that a plain
``jupyter-book build .`` (HTML or ``--builder pdflatex``) shows current numbers too:
Jupyter Book's own cache keys a notebook on its code only.
"""

from __future__ import annotations

import json
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
    fd = os.environ.pop(render.EXECUTING, None)
    if fd is not None:
        # Run by python -m kgkz.build, which validates the data and executes the
        # chapters: wait until it has found the data valid.
        app._kgkz_executing = _Executing(int(fd))
    else:
        try:
            state.validate_once()
        except validate.ValidationError as e:
            raise ExtensionError(str(e)) from None
        try:
            execute.execute(state.stale(verbose=True))
        except execute.ChapterError as e:
            raise ExtensionError(str(e)) from None
    # After a failed build Sphinx would take its pickled environment as up to date and
    # pass silently over the page that failed: re-read every page then.
    marker = _failed_marker(app)
    app._kgkz_reread_all = marker.exists()
    marker.touch()


class _Executing:
    """The chapters ``python -m kgkz.build`` is executing while Sphinx reads (see
    ``kgkz.build.render``): which are pending, and waiting for one of them."""

    def __init__(self, fd: int) -> None:
        """Read the chapters pending, then wait until the data is found valid."""
        self.pipe = os.fdopen(fd, "rb")
        self.pending: set[str] = set(self._next().get("pending", []))
        self.valid = self.done = False
        while not self.valid:
            self._step()

    def _next(self) -> dict:
        line = self.pipe.readline()
        if not line:  # the build process failed or was stopped, and says why itself
            raise ExtensionError("the chapters were not executed: the build was stopped")
        return json.loads(line)

    def _step(self) -> None:
        said = self._next()
        self.valid = self.valid or bool(said.get("valid"))
        self.pending.discard(said.get("executed"))
        if said.get("done"):
            self.pending.clear()
            self.done = True

    def wait_for(self, path: str) -> None:
        """Until the chapter at ``path`` (relative to the root) is cached, if pending."""
        while path in self.pending:
            self._step()

    def wait_for_any(self) -> None:
        """Until one more chapter is cached (or all are)."""
        if not self.done:
            self._step()

    def wait_for_all(self) -> None:
        while not self.done:
            self._step()


def _pending(app: Sphinx) -> _Executing | None:
    return getattr(app, "_kgkz_executing", None)


def _rel(app: Sphinx, docname: str) -> str:
    return Path(app.env.doc2path(docname, False)).as_posix()


def _outdated(app: Sphinx, env, added, changed, removed) -> list[str]:
    if getattr(app, "_kgkz_reread_all", False):
        return sorted(env.found_docs)
    executing = _pending(app)
    if executing is None:
        return []
    # A chapter still executing is read again (its file is touched once it is cached,
    # which may be after Sphinx has compared the times).
    return sorted(d for d in env.found_docs if _rel(app, d) in executing.pending)


def _pending_last(app: Sphinx, env, docnames: list[str]) -> None:
    """Read the pages no chapter changes first, then each chapter as soon as it is
    cached, in the order they are cached (``_read_next``)."""
    executing = _pending(app)
    if executing is None or not executing.pending:
        return
    docnames.sort(key=lambda d: (_rel(app, d) in executing.pending, d))
    app._kgkz_reading = docnames
    _ready_next(app, 0)


def _ready_next(app: Sphinx, index: int) -> None:
    """Make the page at ``index`` of the reading list one that can be read now: a page
    no chapter changes, or a chapter already cached (waiting for the next if none is).
    Sphinx reads the list in order, so its remainder may be reordered meanwhile."""
    docnames, executing = app._kgkz_reading, _pending(app)
    rest = docnames[index:]

    def waiting(docname: str) -> bool:
        return _rel(app, docname) in executing.pending

    if rest and all(waiting(d) for d in rest):
        executing.wait_for_any()
    rest.sort(key=waiting)  # stable: the ready pages first, in their order
    docnames[index:] = rest


def _read_next(app: Sphinx, doctree) -> None:
    docnames = getattr(app, "_kgkz_reading", None)
    if docnames is not None and app.env.docname in docnames:
        _ready_next(app, docnames.index(app.env.docname) + 1)


def _wait_for_chapter(app: Sphinx, docname: str, source: list[str]) -> None:
    executing = _pending(app)
    if executing is not None:
        executing.wait_for(_rel(app, docname))


def _all_executed(app: Sphinx, env) -> None:
    executing = _pending(app)
    if executing is not None:
        executing.wait_for_all()


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
    app.connect("env-before-read-docs", _pending_last)
    app.connect("source-read", _wait_for_chapter, priority=1)
    app.connect("doctree-read", _read_next, priority=999)
    app.connect("env-updated", _all_executed, priority=1)
    app.connect("build-finished", _finished)
    return {"version": "2", "parallel_read_safe": True, "parallel_write_safe": True}
