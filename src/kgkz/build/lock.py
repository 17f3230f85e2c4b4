"""One build at a time per checkout.

A second build waits, with a one-line message, and then finds nothing left to do. The
lock is an ``flock`` on ``_build/.kgkz.lock``: the system drops it when its holder exits,
however it exits, so an interrupted build never leaves a stale lock behind. A build's own
child processes (Jupyter Book run by ``python -m kgkz.build``) inherit the lock through
``KGKZ_BUILD_LOCK``.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import sys
from collections.abc import Iterator

from .. import paths

ENV = "KGKZ_BUILD_LOCK"


def held() -> bool:
    """Does this process run on behalf of a build that holds the lock?"""
    return os.environ.get(ENV) == str(paths.build().resolve())


def acquire():
    """Take the lock, waiting for another build if needed; return the open lock file."""
    build = paths.build()
    build.mkdir(parents=True, exist_ok=True)
    f = open(build / ".kgkz.lock", "a+", encoding="utf-8")  # noqa: SIM115 (held open)
    try:
        fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        f.seek(0)
        holder = f.read().strip() or "?"
        print(
            f"another build of this book is running (pid {holder}); waiting for it to finish",
            file=sys.stderr,
            flush=True,
        )
        fcntl.flock(f, fcntl.LOCK_EX)
    f.seek(0)
    f.truncate()
    f.write(str(os.getpid()))
    f.flush()
    os.environ[ENV] = str(build.resolve())
    return f


def release(f) -> None:
    os.environ.pop(ENV, None)
    fcntl.flock(f, fcntl.LOCK_UN)
    f.close()


@contextlib.contextmanager
def build_lock() -> Iterator[None]:
    """Hold the lock for the block (re-entrant within one build)."""
    if held():
        yield
        return
    f = acquire()
    try:
        yield
    finally:
        release(f)
