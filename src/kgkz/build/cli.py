"""The command line: ``python -m kgkz.build {html,pdf,chapter NAME,execute,clean,stop}``."""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import time

from .. import paths
from ..data import validate
from . import execute, lock, render, server, state


def find_chapter(name: str):
    matches = [p for p in state.chapters() if p.stem == name or p.name == name]
    if not matches:
        known = ", ".join(p.stem for p in state.chapters())
        raise SystemExit(f"no chapter '{name}' (chapters: {known})")
    return matches[0]


# The commands that build (and leave a warm server for the next one, see server.py).
BUILDS = ("html", "pdf", "chapter", "execute")


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m kgkz.build",
        description="Build the book, executing only the chapters whose inputs changed.",
    )
    sub = p.add_subparsers(dest="what")
    sub.add_parser("html", help="the HTML book (default)")
    sub.add_parser("pdf", help="the PDF book (XeLaTeX)")
    one = sub.add_parser("chapter", help="re-execute one chapter, then rebuild the HTML")
    one.add_argument("name", help="chapter name, e.g. border")
    sub.add_parser("execute", help="only bring the execution cache up to date")
    sub.add_parser("clean", help="remove _build")
    sub.add_parser("stop", help="stop this checkout's warm build server")
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    what = args.what or "html"
    if what == "stop":
        print(server.stopped())
        return 0
    start = time.perf_counter()
    try:
        with lock.build_lock():
            if what == "html":
                render.jupyter_book("html")
                print(f"HTML book: {paths.build() / 'html' / 'index.html'}")
            elif what == "pdf":
                render.jupyter_book("pdflatex")
                print(f"PDF book: {paths.build() / 'latex' / 'book.pdf'}")
            elif what == "chapter":
                path = find_chapter(args.name)
                state.forget(path)
                render.jupyter_book("html")
                page = paths.build() / "html" / "book" / f"{path.stem}.html"
                print(f"re-executed {path.name}; page: {page}")
            elif what == "execute":
                state.validate_once()
                execute.execute(state.stale(verbose=True))
            elif what == "clean":
                shutil.rmtree(paths.build(), ignore_errors=True)
    except validate.ValidationError as e:
        print(e, file=sys.stderr)
        return 1
    except (execute.ChapterError, subprocess.CalledProcessError) as e:
        print(f"build failed: {e}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted: chapters executed so far are kept; the next build does the rest",
              file=sys.stderr)  # fmt: skip
        return 130
    warm = " (in the warm build server)" if server.READY else ""
    print(f"done in {time.perf_counter() - start:.1f} s{warm}")
    return 0
