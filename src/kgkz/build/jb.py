"""Jupyter Book's command line, run as ``python -m kgkz.build.jb build ...``.

The same command as ``jupyter-book``, with one difference: once the build has finished
and its output is flushed, the process leaves at once. An interpreter that has rendered
a book takes about a second to tear down its objects, which a build that just wrote
everything to disk does not need.
"""

from __future__ import annotations

import logging
import os
import sys


def exit_code(error: SystemExit) -> int:
    """The exit status ``sys.exit`` would give for this SystemExit."""
    if error.code is None:
        return 0
    if isinstance(error.code, int):
        return error.code
    print(error.code, file=sys.stderr)
    return 1


def main(argv: list[str] | None = None) -> int:
    from jupyter_book.cli.main import main as jupyter_book

    try:
        jupyter_book(args=argv, prog_name="jupyter-book")
    except SystemExit as e:
        return exit_code(e)
    return 0


def leave(code: int) -> None:
    """Flush what is buffered, then exit without tearing the interpreter down."""
    logging.shutdown()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):
            pass
    os._exit(code)


if __name__ == "__main__":
    leave(main())
