"""What the book's Sphinx extensions keep in the environment for each page: a dict per
name (``env.<name>[docname]``), filled when the page is read, dropped when Sphinx purges
the page, merged from the subprocesses of a parallel read."""

from __future__ import annotations

import functools

from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment


def kept(env: BuildEnvironment, name: str) -> dict:
    """The environment's dict ``name``, by page (made empty if it has none)."""
    if not hasattr(env, name):
        setattr(env, name, {})
    return getattr(env, name)


def purge(names: tuple[str, ...], app: Sphinx, env: BuildEnvironment, docname: str) -> None:
    for name in names:
        kept(env, name).pop(docname, None)


def merge(names: tuple[str, ...], app: Sphinx, env, docnames, other: BuildEnvironment) -> None:
    """Parallel reading: what the subprocess kept of the pages it read."""
    for name in names:
        theirs = kept(other, name)
        kept(env, name).update({d: theirs[d] for d in docnames if d in theirs})


def keep_per_page(app: Sphinx, *names: str) -> None:
    """Purge and merge these dicts with their pages."""
    app.connect("env-purge-doc", functools.partial(purge, names))
    app.connect("env-merge-info", functools.partial(merge, names))
