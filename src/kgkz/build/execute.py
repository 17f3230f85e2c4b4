"""Execute chapters in fresh kernels, in parallel, into the cache Jupyter Book reads.

Each kernel logs what the chapter read (``KGKZ_READ_LOG``: whole files, and the values
it took out of each table), which becomes the chapter's key in the build state.
Kernels talk over Unix sockets (``ipc``), not TCP ports, so two kernels started at the
same moment cannot race for a port.

A chapter's kernel is ipykernel, as in Jupyter, but forked from its worker rather than
started afresh: each worker loads once the libraries every chapter imports (pandas,
matplotlib, IPython, ipykernel and the package's data and analysis layers), and every
kernel it forks starts with them loaded. Nothing a chapter computes is loaded ahead: the
kernel reads the data itself, so what it read is logged as before. Modules that hook
into a running kernel (pyplot and its inline backend) are left for the kernel to import.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
import traceback
from collections.abc import Callable
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


def execute_one(nb_path: str, timeout: int = TIMEOUT, manager=None) -> Executed:
    """Run one notebook in a fresh kernel; return it executed, with the files it read.
    The kernel is forked from this process once it has loaded what kernels share
    (``warm_up``), else started by Jupyter; or started by ``manager`` if given."""
    import nbformat
    from jupyter_client.manager import KernelManager
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

    ForkedKernelManager = _forked_kernel_manager()
    nb = nbformat.read(nb_path, as_version=4)
    with tempfile.TemporaryDirectory(prefix="kgkz-kernel-") as tmp:
        log = Path(tmp) / "reads.log"
        log.touch()
        env = dict(os.environ, KGKZ_READ_LOG=str(log), SOURCE_DATE_EPOCH="0")
        manager = manager or (ForkedKernelManager if _WARM else KernelManager)
        km = manager(kernel_name="python3", transport="ipc", ip=str(Path(tmp) / "k"))
        _KERNEL["km"] = km
        client = NotebookClient(
            nb,
            km=km,
            timeout=timeout,
            allow_errors=False,
            record_timing=False,  # timing in cell metadata would change the cache key
            resources={"metadata": {"path": str(Path(nb_path).parent)}},
        )

        def run() -> str:
            try:
                client.execute(env=env)
            except (CellExecutionError, CellTimeoutError) as e:
                return str(e)
            except DeadKernelError as e:
                return f"the kernel died: {e}"
            finally:
                # Done with it: stop the kernel now, not when this worker exits.
                with contextlib.suppress(Exception):
                    if km.has_kernel:
                        km.shutdown_kernel(now=True)
            return ""

        start = time.perf_counter()
        error = _off_the_main_thread(run)
        reads = log.read_text(encoding="utf-8").splitlines()
    return Executed(nb_path, nb, reads, time.perf_counter() - start, error)


def _off_the_main_thread(run: Callable):
    """Run ``run`` in a thread of its own and return its result. nbclient's event loop
    then installs no signal handlers (it can only in the main thread): they would
    replace the worker's own, which stop the worker and its kernel with the build."""
    outcome: dict[str, object] = {}

    def target() -> None:
        try:
            outcome["value"] = run()
        except BaseException as e:  # noqa: BLE001 - raised again in the calling thread
            outcome["error"] = e

    thread = threading.Thread(target=target, name="kgkz-chapter")
    thread.start()
    thread.join()
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]


_KERNEL: dict[str, object] = {}
_WARM: list[bool] = []  # set in a worker once it has loaded what kernels share

# Loaded by each worker before it forks kernels. Not pyplot nor matplotlib_inline: the
# inline backend hooks into the kernel's shell when it is first imported.
SHARED_MODULES = (
    "numpy",
    "pandas",
    "matplotlib",
    "matplotlib.figure",
    "matplotlib.font_manager",
    "IPython",
    "ipykernel.kernelapp",
    "ipykernel.ipkernel",
    "kgkz.data",
    "kgkz.analysis",
)
# What a worker runs a chapter with: loaded once here, not once in each worker.
WORKER_MODULES = ("nbformat", "nbclient", "jupyter_client.manager")


def _worker_start() -> None:
    """Workers ignore Ctrl-C: the parent decides, and stops them (SIGTERM); a worker
    stopped that way kills its kernel first (a kernel runs in a session of its own and
    would outlive it). Then load what every kernel will need."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _stop)
    stop_with_parent()
    warm_up()


def warm_up() -> None:
    """Load the modules kernels share, as a kernel would: with the inline backend named
    (which a kernel names itself when it starts; this process's environment is left as
    it was), and those workers run chapters with. Workers forked afterwards inherit
    them."""
    import importlib
    import pkgutil

    if _WARM:
        return
    named = "MPLBACKEND" not in os.environ
    os.environ.setdefault("MPLBACKEND", "module://matplotlib_inline.backend_inline")
    try:
        for name in (*SHARED_MODULES, *WORKER_MODULES):
            module = importlib.import_module(name)
            if name.startswith("kgkz.") and hasattr(module, "__path__"):
                for info in pkgutil.iter_modules(module.__path__, name + "."):
                    importlib.import_module(info.name)
    except Exception:  # noqa: BLE001 - a kernel started afresh still works
        traceback.print_exc()
        return
    finally:
        if named:
            del os.environ["MPLBACKEND"]
    _WARM.append(True)


class _Forked:
    """Enough of ``subprocess.Popen`` for a kernel forked from this process."""

    stdin = stdout = stderr = None

    def __init__(self, pid: int) -> None:
        self.pid, self.returncode = pid, None

    def poll(self) -> int | None:
        if self.returncode is None:
            try:
                pid, status = os.waitpid(self.pid, os.WNOHANG)
            except ChildProcessError:
                self.returncode = -1
            else:
                if pid:
                    self.returncode = os.waitstatus_to_exitcode(status)
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        deadline = None if timeout is None else time.monotonic() + timeout
        while self.poll() is None:
            if deadline is not None and time.monotonic() > deadline:
                raise subprocess.TimeoutExpired(f"pid {self.pid}", timeout)
            time.sleep(0.02)
        return self.returncode

    def send_signal(self, signum: int) -> None:
        if self.poll() is None:
            os.kill(self.pid, signum)

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)


def _kernel_args(cmd: list[str]) -> list[str] | None:
    """The arguments for ipykernel in a kernel command (``... -m ipykernel_launcher -f F``)."""
    if "ipykernel_launcher" in cmd:
        return cmd[cmd.index("ipykernel_launcher") + 1 :]
    return None


def fork_kernel(args: list[str], env: dict, cwd: str) -> int:
    """Fork this process into an ipykernel, started as ``python -m ipykernel_launcher
    ARGS`` in ``cwd`` with ``env`` would be; return its pid. It runs in a session of its
    own (as Jupyter starts kernels) and dies with this process."""
    for stream in (sys.stdout, sys.stderr):
        stream.flush()
    pid = os.fork()
    if pid:
        return pid
    code = 1
    try:
        os.setsid()
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.default_int_handler)
        stop_with_parent()
        # Forked from inside the worker's event loop: the kernel runs its own.
        asyncio.events._set_running_loop(None)
        asyncio.set_event_loop_policy(None)
        os.chdir(cwd)
        os.environ.clear()
        os.environ.update(env)
        # As Jupyter launches a kernel: it knows its parent (and watches it).
        parent = str(os.getppid())
        os.environ["JPY_PARENT_PID"] = parent
        args = [*args, f"--IPKernelApp.parent_handle={parent}"]
        # As ipykernel_launcher: the launching directory is not on the path (the
        # kernel puts its working directory there itself).
        del sys.path[0]
        from ipykernel.kernelapp import IPKernelApp

        IPKernelApp.launch_instance(argv=args)
        code = 0
    except SystemExit as e:
        code = e.code if isinstance(e.code, int) else 0
    except BaseException:  # noqa: BLE001 - reported, then the kernel process ends
        traceback.print_exc()
    finally:
        os._exit(code)


def _ready_client():
    """Jupyter's blocking kernel client, but quicker to call a kernel ready.

    ``wait_for_ready`` (jupyter_client's, below step by step) asks the kernel for its
    info until it answers on the shell channel and IOPub is seen to be connected; then
    it empties IOPub of the answer's status messages, stopping only once none has come
    for 0.2 s: every kernel's start waited that long. Here it stops once none has come
    for 10 ms. Whatever arrives later belongs to that request, and nbclient and nbval
    take only the messages of the cells they run."""
    from queue import Empty

    from jupyter_client.blocking.client import BlockingKernelClient
    from jupyter_core.utils import ensure_async, run_sync

    class ReadyClient(BlockingKernelClient):
        async def _async_wait_for_ready(self, timeout: float | None = None) -> None:
            deadline = time.time() + (float("inf") if timeout is None else timeout)
            while True:
                self.kernel_info()
                try:
                    msg = await ensure_async(self.shell_channel.get_msg(timeout=1))
                except Empty:
                    pass
                else:
                    if msg["msg_type"] == "kernel_info_reply":
                        try:  # IOPub connected? Else ask again.
                            await ensure_async(self.iopub_channel.get_msg(timeout=0.2))
                        except Empty:
                            pass
                        else:
                            self._handle_kernel_info_reply(msg)
                            break
                if not await self._async_is_alive():
                    raise RuntimeError("Kernel died before replying to kernel_info")
                if time.time() > deadline:
                    raise RuntimeError(f"Kernel didn't respond in {timeout:.0f} seconds")
            while True:  # what is left of the answer on IOPub
                try:
                    await ensure_async(self.iopub_channel.get_msg(timeout=0.01))
                except Empty:
                    break

        wait_for_ready = run_sync(_async_wait_for_ready)

    return ReadyClient


def forking_manager(fork: Callable, process=_Forked, name: str = "ForkedKernelManager"):
    """Jupyter's kernel manager, its ipykernels launched by ``fork(args, env, cwd)``
    (which returns the pid; ``process`` wraps it for the manager), other kernels as
    usual; its clients call a kernel ready without the idle wait (``_ready_client``)."""
    from jupyter_client.manager import KernelManager
    from traitlets import default

    client = _ready_client()

    class Manager(KernelManager):
        @default("client_factory")
        def _ready(self):
            return client

        async def _async_wait(self, pollinterval: float = 0.1) -> None:
            """Wait for the kernel to end (once killed: at once), looking every 5 ms
            rather than every 0.1 s."""
            await super()._async_wait(pollinterval=min(pollinterval, 0.005))

        async def _async_launch_kernel(self, kernel_cmd: list[str], **kw) -> None:
            args = _kernel_args(kernel_cmd)
            if args is None:  # not ipykernel: start it the usual way
                return await super()._async_launch_kernel(kernel_cmd, **kw)
            cwd = str(kw.get("cwd") or os.getcwd())
            pid = fork(args, dict(kw.get("env") or os.environ), cwd)
            provisioner = self.provisioner
            provisioner.process = process(pid)
            provisioner.pid = provisioner.pgid = pid
            provisioner.cwd = cwd
            self._reconcile_connection_info(provisioner.connection_info)

    Manager.__name__ = Manager.__qualname__ = name
    return Manager


@functools.cache
def _forked_kernel_manager():
    return forking_manager(fork_kernel)


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


def say(line: str) -> None:
    """One line of progress, written at once: Jupyter Book's output runs beside it, line
    by line (see ``render``)."""
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def start_workers(count: int | None = None) -> ProcessPoolExecutor:
    """Start the workers now (each loads what kernels share, unless this process has:
    then they inherit it), while the caller does other things; hand them to ``execute``."""
    count = count or os.cpu_count() or 1
    pool = ProcessPoolExecutor(max_workers=count, initializer=_worker_start)
    pool.submit(int)  # forked now (all of them: the fork start method starts them at once)
    return pool


def stop_workers(pool: ProcessPoolExecutor) -> None:
    """Stop the workers at once (their kernels exit with them)."""
    for process in list((getattr(pool, "_processes", None) or {}).values()):
        process.terminate()
    pool.shutdown(wait=False, cancel_futures=True)


def execute(
    notebooks: list[Path],
    workers: int | None = None,
    on_done: Callable | None = None,
    pool: ProcessPoolExecutor | None = None,
) -> dict[str, float]:
    """Execute notebooks in parallel into the cache and record their keys; a chapter's key
    is saved as soon as it is cached, so an interrupted build keeps what it finished,
    and ``on_done(path)`` is told. Raise ChapterError if any chapter failed. Runs on
    ``pool`` (from ``start_workers``) if given, and shuts it down."""
    if not notebooks:
        if pool is not None:
            pool.shutdown(wait=False, cancel_futures=True)
        return {}
    say("executing: " + ", ".join(p.name for p in notebooks))
    # The longest chapters first (the largest notebooks), so that none starts last.
    notebooks = sorted(notebooks, key=lambda p: (-Path(p).stat().st_size, str(p)))
    times, failures = {}, []
    if pool is None:
        warm_up()  # once, here: the workers inherit it
        pool = start_workers(workers or min(len(notebooks), os.cpu_count() or 1))
    try:
        futures = [pool.submit(execute_one, str(p)) for p in notebooks]
        from jupyter_cache import get_cache  # loaded while the first chapters run
        from jupyter_cache.base import CacheBundleIn

        state.cache_dir().parent.mkdir(parents=True, exist_ok=True)
        cache = get_cache(str(state.cache_dir()))
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
            say(f"executed {path.name} in {done.seconds:.1f} s")
            if on_done is not None:
                on_done(path)
    except BaseException:
        # Ctrl-C or a crash: stop the workers now (their kernels exit with them); the
        # chapters cached so far keep their keys, the others stay stale.
        stop_workers(pool)
        raise
    pool.shutdown()
    if failures:
        raise ChapterError("chapter(s) failed to execute:\n" + "\n".join(failures))
    return times
