"""A warm build server: a build after the first starts with everything already loaded.

``python -m kgkz.build`` spends its first second loading what it works with (pandas,
matplotlib, IPython, nbclient, Frictionless), and the Jupyter Book it starts spends
another second or two loading Sphinx and its extensions, before a chapter runs or a page
is read. A build that runs by itself leaves behind a server that has loaded all of it
once. The next build (the same command) asks the server to fork a process that runs it
as the command would have: with its arguments, working directory, environment and
terminal (standard input, output and error are handed over). That process forks Jupyter
Book in turn instead of starting a new interpreter (``kgkz.build.render``).

- One server per checkout and interpreter: an abstract Unix socket (see ``address``).
  It serves only its own user.
- It serves only a build that would load the very same code. A request carries a key of
  the package's files (each one's size and time), the interpreter, the folders packages
  are installed in, and the environment variables Python, matplotlib and Jupyter read as
  they load. On any difference the server leaves; the build runs by itself and leaves a
  new server behind.
- Ctrl-C and the other stop signals reach the build as they would from the terminal: the
  command passes them on to the build's process group. If the command is killed, the
  build stops with it.
- The server leaves after ten minutes without a build (``KGKZ_BUILD_SERVER_IDLE``
  seconds, if set when it starts), or on ``python -m kgkz.build stop``.
  ``KGKZ_BUILD_SERVER=0`` turns it off: each build then loads everything itself and
  leaves no server.

This module loads nothing beyond the standard library until it serves: the command asks
it first, before loading anything itself.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import json
import os
import selectors
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time
import traceback
from pathlib import Path

SWITCH = "KGKZ_BUILD_SERVER"
IDLE = "KGKZ_BUILD_SERVER_IDLE"  # seconds without a build before the server leaves
PACKAGE = Path(__file__).resolve().parents[1]
# Read from the environment as Python, matplotlib, IPython, Jupyter and Sphinx load (a
# server loaded under other values would not load the same). PYTHONUNBUFFERED is not:
# each build's output is set up as its own command would have it.
LOADING = ("PYTHON", "MPL", "MATPLOTLIB", "IPYTHON", "JUPYTER", "SPHINX", "LANG", "LC_", "TZ")
PER_BUILD = ("PYTHONUNBUFFERED",)
# What the build process loads (its workers fork kernels from it, see execute.warm_up),
# then what Jupyter Book loads: Sphinx, the theme and the extensions _config.yml names.
BUILD_MODULES = (
    "kgkz.build.cli",
    "kgkz.data.validate",
    "frictionless",
    "jupyter_cache",
    "jupyter_cache.base",
)
SPHINX_MODULES = (
    "jupyter_book.cli.main",
    "jupyter_book.config",
    "jupyter_book.sphinx",
    "sphinx.application",
    "sphinx.builders.html",
    "sphinx.builders.latex",
    "myst_nb",
    "myst_nb.sphinx_ext",
    "sphinx_book_theme",
    "pydata_sphinx_theme",
    "sphinx_design",
    "sphinx_external_toc",
    "sphinx_togglebutton",
    "sphinx_copybutton",
    "sphinx_comments",
    "sphinx_thebe",
    "sphinx_multitoc_numbering",
    "sphinx_jupyterbook_latex",
    "sphinxcontrib.bibtex",
    "kgkz.render.sphinxext",
    "kgkz.build.sphinxext",
)

# Set in the server once it has loaded everything, and so in every build it forks.
READY: list[bool] = []


def enabled() -> bool:
    return os.environ.get(SWITCH, "1") != "0"


def address() -> str:
    """The socket of this checkout's server for this interpreter: an abstract one
    (Linux; no file to leave behind), named for the user, the interpreter, the package
    and the temporary directory (a test can keep its own server apart by its own)."""
    where = f"{sys.executable}\0{PACKAGE}\0{tempfile.gettempdir()}"
    return f"\0kgkz-build-{os.getuid()}-{hashlib.sha256(where.encode()).hexdigest()[:24]}"


def key() -> str:
    """What the code a build loads depends on (see the module's description)."""
    digest = hashlib.sha256(f"{sys.executable}\0{sys.version}\0{PACKAGE}\0".encode())
    for path in sorted(PACKAGE.rglob("*.py")):
        st = path.stat()
        digest.update(f"{path.relative_to(PACKAGE)}\0{st.st_size}\0{st.st_mtime_ns}\0".encode())
    for entry in sys.path[1:]:  # [0] is the working directory (python -m)
        with contextlib.suppress(OSError):
            digest.update(f"{entry}\0{os.stat(entry).st_mtime_ns}\0".encode())
    for name in sorted(os.environ):
        if name.startswith(LOADING) and name not in PER_BUILD:
            digest.update(f"{name}={os.environ[name]}\0".encode())
    return digest.hexdigest()


# ------------------------------------------------------------------------ the command
def _connect() -> socket.socket | None:
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        sock.connect(address())
    except OSError:
        sock.close()
        return None
    return sock


def _request(sock: socket.socket, fds: list[int], **fields) -> bool:
    """Send a request (``fds``, then one line of JSON); False if it cannot go."""
    try:
        socket.send_fds(sock, [b"F"], fds)
        sock.sendall(json.dumps(fields).encode() + b"\n")
    except OSError:
        return False
    return True


def _message(reader) -> dict:
    try:
        line = reader.readline()
    except OSError:
        return {}
    try:
        return json.loads(line) if line else {}
    except ValueError:
        return {}


def forward(argv: list[str]) -> int | None:
    """Run this build in the server, if one is ready for this very code, and return its
    exit status; None if there is none (or none for this code): build here then."""
    if not enabled() or (sock := _connect()) is None:
        return None
    # From now on a stop signal is the build's: passed on to its process group once the
    # server has named it (kept until then: the build may start before the name comes).
    group: list[int] = []
    caught: list[int] = []

    def pass_on(signum, frame) -> None:
        if not group:
            caught.append(signum)
            return
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(group[0], signum)

    signals = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIGQUIT)
    before = {signum: signal.signal(signum, pass_on) for signum in signals}
    with sock:
        reader = sock.makefile("rb")
        sent = _request(
            sock,
            [0, 1, 2],
            key=key(),
            argv=argv,
            cwd=os.getcwd(),
            env=dict(os.environ),
            encoding=[sys.stdout.encoding, sys.stderr.encoding],
        )
        started = _message(reader) if sent else {}
        if "pid" not in started:  # not for this code, or gone: build here
            for signum, handler in before.items():
                signal.signal(signum, handler)
            for signum in caught:  # as if they came now
                signal.raise_signal(signum)
            return None
        group.append(started["pid"])
        for signum in caught:
            pass_on(signum, None)
        ended = _message(reader)
    if "exit" in ended:
        return ended["exit"]
    print("the build server stopped before the build ended", file=sys.stderr)
    return 1


def _ask(timeout: float | None = None, **request) -> dict:
    """One request that is not a build; the server's answer ({} if none runs, or none
    comes within ``timeout`` seconds)."""
    if (sock := _connect()) is None:
        return {}
    with sock:
        sock.settimeout(timeout)
        return _message(sock.makefile("rb")) if _request(sock, [], **request) else {}


def stop() -> bool:
    """Ask this checkout's server to leave (once its builds end); False if none runs."""
    return bool(_ask(stop=True).get("stopping"))


def ready(timeout: float = 60.0) -> int | None:
    """Wait until this checkout's server has loaded everything (it answers then); its
    pid, or None if none comes within ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while (left := deadline - time.monotonic()) > 0:
        if pid := _ask(timeout=left, ping=True).get("pid"):
            return pid
        time.sleep(min(0.1, max(left, 0)))
    return None


def stopped() -> str:
    """Stop the server (``python -m kgkz.build stop``) and say so."""
    return "build server stopped" if stop() else "no build server was running"


def spawn() -> None:
    """Start a server in the background (it leaves at once if one already runs)."""
    if not enabled():
        return
    with contextlib.suppress(OSError):
        subprocess.Popen(
            [sys.executable, "-m", "kgkz.build.server"],
            cwd="/",
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
            close_fds=True,
        )


# ------------------------------------------------------------------------- the server
def _bind() -> socket.socket | None:
    """Listen at this checkout's address, unless another server does."""
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        listener.bind(address())
    except OSError:
        listener.close()
        return None
    listener.listen(16)
    return listener


def _load() -> None:
    import importlib

    from . import execute

    execute.warm_up()  # first: it names the kernels' matplotlib backend as it loads
    for name in (*BUILD_MODULES, *SPHINX_MODULES):
        with contextlib.suppress(Exception):
            importlib.import_module(name)
    # What is loaded stays: the builds' garbage collector need not go through it (nor
    # copy the memory it lies in by touching it).
    gc.collect()
    gc.freeze()
    READY.append(True)


def _peer_is_us(conn: socket.socket) -> bool:
    creds = conn.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, struct.calcsize("3i"))
    return struct.unpack("3i", creds)[1] == os.getuid()


def _receive(conn: socket.socket) -> tuple[dict, list[int]]:
    conn.settimeout(10)
    _, fds, _, _ = socket.recv_fds(conn, 1, 3)
    line = conn.makefile("rb").readline()
    conn.settimeout(None)
    return json.loads(line), fds


def _send(conn: socket.socket, **fields) -> None:
    with contextlib.suppress(OSError):
        conn.sendall(json.dumps(fields).encode() + b"\n")


def _status(status: int) -> int:
    """An exit status as a shell reports it (128 + N for a process killed by signal N)."""
    code = os.waitstatus_to_exitcode(status)
    return 128 - code if code < 0 else code


def serve() -> None:
    own = key()  # of the code as it is before anything loads
    os.chdir("/")
    if (listener := _bind()) is None:
        return
    idle = float(os.environ.get(IDLE) or 600)
    try:
        _load()
        # Stop listening at once when leaving: a command then finds no server (and
        # builds by itself) instead of waiting on one that will not answer.
        _loop(listener, own, listener.close, idle)
    finally:
        listener.close()
    os._exit(0)  # nothing to write: no need to tear down all it loaded (a second of CPU)


def _loop(listener: socket.socket, own: str, close, idle: float) -> None:
    """Fork a build for each request; tell each command how its build ended; leave when
    asked, when the code changed or after ``idle`` seconds without a build, once the
    builds running have ended."""
    selector = selectors.DefaultSelector()
    selector.register(listener, selectors.EVENT_READ)
    # A build that ends wakes the loop at once (SIGCHLD, written to this pair).
    wake, woken = socket.socketpair()
    for end in (wake, woken):
        end.setblocking(False)
    signal.signal(signal.SIGCHLD, lambda signum, frame: None)
    signal.set_wakeup_fd(wake.fileno(), warn_on_full_buffer=False)
    selector.register(woken, selectors.EVENT_READ)
    builds: dict[int, socket.socket] = {}
    listening, last = True, time.monotonic()
    while listening or builds:
        for ready, _ in selector.select(timeout=1.0):
            if ready.fileobj is woken:
                with contextlib.suppress(OSError):
                    woken.recv(512)
                continue
            conn, _ = listener.accept()
            last = time.monotonic()
            pid, listening = _handle(conn, listener, own)
            if pid:
                builds[pid] = conn
            else:
                conn.close()
            if not listening:
                selector.unregister(listener)
                close()
                break
        while builds:  # builds that ended: tell their commands how
            try:
                pid, status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                break
            if not pid:
                break
            if (conn := builds.pop(pid, None)) is not None:
                _send(conn, exit=_status(status))
                conn.close()
            last = time.monotonic()
        if listening and not builds and time.monotonic() - last > idle:
            selector.unregister(listener)
            close()
            listening = False


def _handle(conn: socket.socket, listener: socket.socket, own: str) -> tuple[int, bool]:
    """Serve one request; return the pid of the build forked (0 if none) and whether to
    go on listening."""
    try:
        if not _peer_is_us(conn):
            return 0, True
        request, fds = _receive(conn)
    except (OSError, ValueError):
        return 0, True
    if request.get("ping"):
        _send(conn, pid=os.getpid())
        return 0, True
    if request.get("stop") or request.get("key") != own:
        for fd in fds:
            os.close(fd)
        _send(conn, stopping=True)
        return 0, False  # asked to, or the code changed: leave, a new server follows
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):
            stream.flush()
    pid = os.fork()
    if pid == 0:
        listener.close()
        _build(conn, fds, request)
    with contextlib.suppress(OSError):
        os.setpgid(pid, pid)  # before the command can signal the group
    for fd in fds:
        os.close(fd)
    _send(conn, pid=pid)
    return pid, True


def _build(conn: socket.socket, fds: list[int], request: dict) -> None:
    """In the forked process: become the command that asked, run the build, leave."""
    from .jb import exit_code, leave

    code = 1
    try:
        os.setpgid(0, 0)
        signal.set_wakeup_fd(-1)
        signal.signal(signal.SIGINT, signal.default_int_handler)
        for signum in (signal.SIGTERM, signal.SIGHUP, signal.SIGQUIT, signal.SIGCHLD):
            signal.signal(signum, signal.SIG_DFL)
        for target, fd in zip((0, 1, 2), fds, strict=False):
            os.dup2(fd, target)
        for fd in fds:
            if fd > 2:
                os.close(fd)
        os.chdir(request["cwd"])
        os.environ.clear()
        os.environ.update(request["env"])
        _streams(*request.get("encoding", ["utf-8", "utf-8"]))
        sys.argv = [sys.argv[0], *request["argv"]]
        sys.path[0] = request["cwd"]  # as python -m puts it
        _stop_with_command(conn)
        from .cli import main

        code = main(request["argv"])
    except SystemExit as e:
        code = exit_code(e)
    except BaseException:  # noqa: BLE001 - reported, then this process ends
        traceback.print_exc()
    finally:
        leave(code)


def _streams(out_encoding: str, err_encoding: str) -> None:
    """Standard streams on the command's terminal, buffered as its own would be."""
    unbuffered = bool(os.environ.get("PYTHONUNBUFFERED"))
    sys.stdin = open(0, encoding=sys.stdin.encoding, closefd=False)  # noqa: SIM115
    sys.stdout = open(1, "w", encoding=out_encoding, closefd=False)  # noqa: SIM115
    sys.stderr = open(2, "w", encoding=err_encoding, errors="backslashreplace", closefd=False)  # noqa: SIM115
    sys.stdout.reconfigure(line_buffering=os.isatty(1), write_through=unbuffered)
    sys.stderr.reconfigure(line_buffering=True, write_through=unbuffered)


def _stop_with_command(conn: socket.socket) -> None:
    """If the command goes (killed), stop this build as a killed command's would be."""

    def watch() -> None:
        with contextlib.suppress(OSError):
            while conn.recv(1):
                pass
        os.kill(os.getpid(), signal.SIGTERM)

    threading.Thread(target=watch, daemon=True, name="kgkz-command").start()


if __name__ == "__main__":  # run as this module (not __main__), whose READY the build sees
    from kgkz.build import server

    server.serve()
