"""Jupyter Book reads the pages no chapter changes while ``python -m kgkz.build``
executes the chapters, and each chapter once it is cached, in the order they are."""

from __future__ import annotations

import os
from types import SimpleNamespace

import pytest
from sphinx.errors import ExtensionError

from kgkz.build import render
from kgkz.build import sphinxext as ext


def pipe_with(*messages: bytes, close: bool = True) -> tuple[int, int]:
    read_end, write_end = os.pipe()
    for m in messages:
        os.write(write_end, m)
    if close:
        os.close(write_end)
    return read_end, write_end


def test_the_build_process_says_which_chapters_are_pending_and_when_each_is_cached():
    r, _ = pipe_with(
        render.message(pending=["book/a.ipynb", "book/b.ipynb", "book/c.ipynb"]),
        render.message(executed="book/c.ipynb"),  # cached before the data is found valid
        render.message(valid=True),
        render.message(executed="book/b.ipynb"),
        render.message(executed="book/a.ipynb"),
        render.DONE,
    )
    executing = ext._Executing(r)  # returns once the data is valid
    assert executing.valid and executing.pending == {"book/a.ipynb", "book/b.ipynb"}
    executing.wait_for("book/a.ipynb")  # reads past b's line to a's
    assert executing.pending == set() and not executing.done
    executing.wait_for("book/other.ipynb")  # not pending: no wait
    executing.wait_for_all()
    assert executing.done


def test_an_end_of_file_before_done_stops_the_build():
    r, _ = pipe_with(render.message(pending=["book/a.ipynb"]), render.message(valid=True))
    executing = ext._Executing(r)
    with pytest.raises(ExtensionError, match="not executed"):
        executing.wait_for("book/a.ipynb")


def test_no_page_is_read_unless_the_data_is_found_valid():
    r, _ = pipe_with(render.message(pending=[]))  # the build process found a problem
    with pytest.raises(ExtensionError):
        ext._Executing(r)


def fake_app(pending: set[str], docnames: list[str]):
    executing = SimpleNamespace(pending=set(pending), done=False)

    def wait_for_any():  # the next chapter to be cached: the first pending, by name
        executing.pending.discard(sorted(executing.pending)[0])

    executing.wait_for_any = wait_for_any
    env = SimpleNamespace(doc2path=lambda d, base=False: f"{d}.ipynb", docname=None)
    return SimpleNamespace(_kgkz_executing=executing, env=env)


def test_pages_no_chapter_changes_are_read_first_then_chapters_as_they_are_cached():
    app = fake_app({"c2.ipynb", "c1.ipynb"}, [])
    docnames = ["c2", "p1", "c1", "p2"]
    ext._pending_last(app, app.env, docnames)
    assert docnames == ["p1", "p2", "c1", "c2"]
    # After p2, every page left waits: the next one cached (c1) is read next.
    app.env.docname = "p2"
    ext._read_next(app, None)
    assert docnames[2] == "c1" and "c1.ipynb" not in app._kgkz_executing.pending


def test_a_chapter_cached_early_moves_ahead_of_one_still_executing():
    app = fake_app({"c1.ipynb", "c2.ipynb"}, [])
    docnames = ["c1", "c2", "p1"]
    ext._pending_last(app, app.env, docnames)
    app._kgkz_executing.pending.discard("c2.ipynb")  # c2 is cached while p1 is read
    app.env.docname = "p1"
    ext._read_next(app, None)
    assert docnames == ["p1", "c2", "c1"]


def test_without_the_build_process_the_reading_order_is_sphinx_own():
    app = SimpleNamespace(env=SimpleNamespace())
    docnames = ["b", "a"]
    ext._pending_last(app, app.env, docnames)
    assert docnames == ["b", "a"]
