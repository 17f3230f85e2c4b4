"""Shared fixtures: a disposable copy of the dataset to break on purpose; the warm build
server stopped when the session ends."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kgkz import paths


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of data/ and seeds/ in a temporary root, safe to corrupt."""
    for name in ("data", "seeds"):
        shutil.copytree(paths.root() / name, tmp_path / name)
    return tmp_path


def replace_in(path: Path, old: str, new: str, count: int = 1) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def line_of(path: Path, needle: str) -> int:
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if needle in line:
            return number
    raise AssertionError(f"{needle!r} not in {path}")


def pytest_sessionfinish(session) -> None:
    """The builds the tests ran leave a warm build server (kgkz.build.server): once all
    tests are done (not a worker of several), ask it to leave rather than idle on."""
    if not hasattr(session.config, "workerinput"):
        from kgkz.build import server

        server.stop()
