"""Run Jupyter Book (Sphinx) with warnings as errors, or skip it when nothing changed.

The stale chapters execute in this process while Jupyter Book starts up and reads the
other pages beside it: Sphinx spends seconds loading its extensions and reading pages
that no chapter changes, and neither need wait for the chapters. This process tells
Jupyter Book's child (see ``kgkz.build.sphinxext``) on a pipe, one JSON object a line,
which chapters are pending, that the data is valid (the child reads no page before),
each chapter as soon as it is cached, and "done"; a page that is pending is read once
its chapter is cached. An end of file before "done" means the data is not valid, the
chapters failed or the build was stopped.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path

from .. import paths
from . import execute, server, state
from .execute import stop_with_parent

# The read end of the pipe on which this process tells Jupyter Book about the chapters.
EXECUTING = "KGKZ_EXECUTING_FD"


def message(**fields) -> bytes:
    return (json.dumps(fields) + "\n").encode()


DONE = message(done=True)

OUTPUT = {"html": Path("html") / "index.html", "pdflatex": Path("latex") / "book.pdf"}


def _stamp(builder: str) -> Path:
    return paths.build() / f".kgkz-{builder}-sources"


class _Validation(threading.Thread):
    """The validator, run beside the chapters; on a problem it stops them."""

    def __init__(self, key: str, valid, invalid) -> None:
        super().__init__(daemon=True)
        self.key, self.valid, self.invalid, self.error = key, valid, invalid, None

    def run(self) -> None:
        try:
            state.validate_once(self.key)
        except BaseException as e:  # noqa: BLE001 - handed to the build's thread
            self.error = e
            self.invalid()
        else:
            self.valid()

    def outcome(self) -> None:
        """Wait for the validator; raise what it found."""
        self.join()
        if self.error is not None:
            raise self.error


def _run(cmd: list[str], key: str, prepare: Callable[[], tuple[list[Path], object]]) -> None:
    """Start Jupyter Book; meanwhile find the stale chapters and start the workers
    (``prepare``), then validate the data and execute the chapters, and let it read
    them. If the data is not valid, the chapters fail, or on Ctrl-C (which Jupyter Book
    receives too), stop it."""
    read_end, write_end = os.pipe()
    env = {**os.environ, EXECUTING: str(read_end)}
    # Killed (not interrupted), this process takes Jupyter Book with it: the child is
    # sent SIGTERM when its parent dies.
    if server.READY:  # forked from the warm server: Jupyter Book is loaded already
        proc = _ForkedJupyterBook(cmd, paths.root(), env, write_end)
    else:
        proc = subprocess.Popen(
            cmd,
            cwd=paths.root(),
            env=env,
            pass_fds=(read_end,),
            preexec_fn=stop_with_parent,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
    os.close(read_end)
    relays = [_relay(proc.stdout, sys.stdout), _relay(proc.stderr, sys.stderr)]

    def tell(data: bytes) -> None:
        try:
            os.write(write_end, data)
        except BrokenPipeError:  # Jupyter Book has stopped: its exit status says why
            pass

    workers = None

    def invalid() -> None:
        if workers is not None:
            execute.stop_workers(workers)

    validation = _Validation(key, lambda: tell(message(valid=True)), invalid)
    try:
        try:
            todo, workers = prepare()
            tell(message(pending=[state.rel(p) for p in todo]))
            validation.start()
            try:
                execute.execute(
                    todo, on_done=lambda p: tell(message(executed=state.rel(p))), pool=workers
                )
            except BaseException:
                validation.outcome()  # the data's problems first: they explain the rest
                raise
            validation.outcome()
            tell(DONE)
        finally:
            os.close(write_end)
        code = proc.wait()
    except KeyboardInterrupt:
        _stop(proc, grace=60)
        raise
    except BaseException:
        _stop(proc, grace=0)
        raise
    finally:
        if workers is not None:
            execute.stop_workers(workers)  # shut down by now, unless the build stopped early
        for relay in relays:
            relay.join(timeout=5)
    if code:
        raise subprocess.CalledProcessError(code, cmd)


class _ForkedJupyterBook(execute._Forked):
    """Jupyter Book's command (``python -m kgkz.build.jb ARGS``) run in a fork of this
    process, which the warm server has loaded it into; enough of ``subprocess.Popen``
    for ``_run``. The fork closes the pipe's write end (``drop``), which a command
    started afresh never has; its output goes to pipes, like the command's."""

    def __init__(self, cmd: list[str], cwd: Path, env: dict, drop: int) -> None:
        out, err = os.pipe(), os.pipe()
        for stream in (sys.stdout, sys.stderr):
            stream.flush()
        pid = os.fork()
        if pid == 0:
            self._run(cmd[cmd.index("kgkz.build.jb") + 1 :], cwd, env, out, err, drop)
        super().__init__(pid)
        os.close(out[1])
        os.close(err[1])
        self.stdout, self.stderr = os.fdopen(out[0], "rb"), os.fdopen(err[0], "rb")

    @staticmethod
    def _run(args, cwd, env, out, err, drop) -> None:
        from . import jb

        code = 1
        try:
            stop_with_parent()
            os.dup2(out[1], 1)
            os.dup2(err[1], 2)
            for fd in (*out, *err, drop):
                os.close(fd)
            os.chdir(cwd)
            os.environ.clear()
            os.environ.update(env)
            sys.argv = [str(Path(jb.__file__)), *args]
            sys.path[0] = str(cwd)  # as python -m puts it
            code = jb.main(args)
        except BaseException:  # noqa: BLE001 - reported, then this process ends
            import traceback

            traceback.print_exc()
        finally:
            jb.leave(code)


def _relay(source, target) -> threading.Thread:
    """Pass Jupyter Book's output on whole lines at a time, so that the progress lines
    of the chapters executing meanwhile never land inside one of its lines."""

    def run() -> None:
        for line in iter(source.readline, b""):
            target.write(line.decode("utf-8", errors="replace"))
            target.flush()
        source.close()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread


def _stop(proc: subprocess.Popen, grace: float) -> None:
    """Give Jupyter Book ``grace`` seconds to stop by itself, then terminate it."""
    try:
        proc.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        proc.terminate()
        proc.wait()


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
    """Validate, then render; return False if nothing needed rendering. The stale
    chapters execute while the data is validated and Jupyter Book starts; Jupyter Book
    reads no page before the data is found valid, and the build stops on the
    validator's report if it is not."""
    if up_to_date(builder):
        print(f"{builder}: nothing changed since the last build: nothing to do", flush=True)
        return False
    key = state.validation_key()

    def prepare() -> tuple[list[Path], object]:
        try:
            todo = state.stale(verbose=True)
        except Exception:
            state.validate_once(key)  # data too broken to tell what is stale: say why
            raise
        workers = None
        if todo:  # this process loads what kernels share once; its workers inherit it
            execute.warm_up()
            workers = execute.start_workers(min(len(todo), os.cpu_count() or 1))
        return todo, workers

    cmd = [sys.executable, "-m", "kgkz.build.jb", "build", str(paths.root()), "--builder",
           builder, "-W", "-n", "--keep-going"]  # fmt: skip
    _stamp(builder).unlink(missing_ok=True)
    # Jupyter Book first: it loads its extensions while this process finds what is stale.
    _run(cmd, key, prepare)
    _stamp(builder).write_text(state.sources_hash(), encoding="utf-8")
    return True
