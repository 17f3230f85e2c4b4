"""Execute chapters in fresh kernels, in parallel, into the cache Jupyter Book reads.

Each kernel logs what the chapter read (``KGKZ_READ_LOG``: whole files, and the values
it took out of each table), which becomes the chapter's key in the build state.
Kernels talk over Unix sockets (``ipc``), not TCP ports, so two kernels started at the
same moment cannot race for a port.
"""

from __future__ import annotations

import contextlib
import os
import signal
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path

from . import state

TIMEOUT = 300


class ChapterError(RuntimeError):
    """One or more chapters failed to execute; the message holds each traceback."""


@dataclass
class Executed:
    path: str
    notebook: object  # nbformat.NotebookNode
    reads: list[str]
    seconds: float
    error: str = ""


def execute_one(nb_path: str, timeout: int = TIMEOUT) -> Executed:
    """Run one notebook in a fresh kernel; return it executed, with the files it read."""
    import nbformat
    from jupyter_client.manager import KernelManager
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

    nb = nbformat.read(nb_path, as_version=4)
    with tempfile.TemporaryDirectory(prefix="kgkz-kernel-") as tmp:
        log = Path(tmp) / "reads.log"
        log.touch()
        env = dict(os.environ, KGKZ_READ_LOG=str(log), SOURCE_DATE_EPOCH="0")
        km = KernelManager(kernel_name="python3", transport="ipc", ip=str(Path(tmp) / "k"))
        _KERNEL["km"] = km
        client = NotebookClient(
            nb,
            km=km,
            timeout=timeout,
            allow_errors=False,
            record_timing=False,  # timing in cell metadata would change the cache key
            resources={"metadata": {"path": str(Path(nb_path).parent)}},
        )
        start, error = time.perf_counter(), ""
        try:
            client.execute(env=env)
        except (CellExecutionError, CellTimeoutError) as e:
            error = str(e)
        except DeadKernelError as e:
            error = f"the kernel died: {e}"
        finally:
            # Done with it: stop the kernel now, not when this worker exits.
            with contextlib.suppress(Exception):
                if km.has_kernel:
                    km.shutdown_kernel(now=True)
        reads = log.read_text(encoding="utf-8").splitlines()
    return Executed(nb_path, nb, reads, time.perf_counter() - start, error)


_KERNEL: dict[str, object] = {}


def _leave_interrupts_to_parent() -> None:
    """Workers ignore Ctrl-C: the parent decides, and stops them (SIGTERM); a worker
    stopped that way kills its kernel first (a kernel runs in a session of its own and
    would outlive it)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _stop)
    stop_with_parent()


def stop_with_parent() -> None:
    """Linux: be sent SIGTERM if the build process dies (killed, not only interrupted)."""
    with contextlib.suppress(OSError, AttributeError):
        import ctypes

        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        pr_set_pdeathsig = 1
        libc.prctl(pr_set_pdeathsig, signal.SIGTERM)


def _stop(signum, frame) -> None:
    provisioner = getattr(_KERNEL.get("km"), "provisioner", None)
    pgid, pid = getattr(provisioner, "pgid", None), getattr(provisioner, "pid", None)
    with contextlib.suppress(OSError):
        if pgid:
            os.killpg(pgid, signal.SIGKILL)
        elif pid:
            os.kill(pid, signal.SIGKILL)
    os._exit(1)


def execute(notebooks: list[Path], workers: int | None = None) -> dict[str, float]:
    """Execute notebooks in parallel into the cache and record their keys; a chapter's key
    is saved as soon as it is cached, so an interrupted build keeps what it finished.
    Raise ChapterError if any chapter failed."""
    if not notebooks:
        return {}
    from jupyter_cache import get_cache
    from jupyter_cache.base import CacheBundleIn

    # One more worker than cores: kernels spend part of their start-up waiting.
    workers = workers or min(len(notebooks), (os.cpu_count() or 1) + 1)
    state.cache_dir().parent.mkdir(parents=True, exist_ok=True)
    cache = get_cache(str(state.cache_dir()))
    times, failures = {}, []
    pool = ProcessPoolExecutor(max_workers=workers, initializer=_leave_interrupts_to_parent)
    try:
        futures = [pool.submit(execute_one, str(p)) for p in notebooks]
        for future in as_completed(futures):
            done = future.result()
            path = Path(done.path)
            st = state.load()
            if done.error:
                failures.append(f"{path.name}:\n{done.error}")
                st["chapters"].pop(state.rel(path), None)
                state.save(st)
                continue
            cache.cache_notebook_bundle(
                CacheBundleIn(done.notebook, done.path, data={"seconds": done.seconds}),
                check_validity=False,
                overwrite=True,
            )
            st["chapters"][state.rel(path)] = state.entry_for(path, done.reads)
            state.save(st)
            # Sphinx re-reads a document only when its source is newer than its doctree.
            os.utime(path)
            times[path.name] = done.seconds
            print(f"executed {path.name} in {done.seconds:.1f} s", flush=True)
    except BaseException:
        # Ctrl-C or a crash: stop the workers now (their kernels exit with them); the
        # chapters cached so far keep their keys, the others stay stale.
        for process in list(getattr(pool, "_processes", {}).values()):
            process.terminate()
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown()
    if failures:
        raise ChapterError("chapter(s) failed to execute:\n" + "\n".join(failures))
    return times
