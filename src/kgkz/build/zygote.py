"""A process that loads what kernels share once and forks a kernel for each request.

The build's workers fork their kernels themselves (``kgkz.build.execute``). A test
runner such as nbval starts kernels from its own process, which has loaded pytest and
whatever the tests imported: forking that would not give a fresh kernel. It asks this
process instead, a clean interpreter that has loaded only what ``execute.warm_up`` loads.

    manager = kernel_manager_class()   # a jupyter_client KernelManager that asks it

The kernel is a child of this process (its parent, as far as ipykernel knows); this
process reaps its children, ends when its client does, and takes its kernels with it.
``KGKZ_JUPYTER_KERNELS=1`` in the environment makes ``kernel_manager_class`` return
Jupyter's own manager, which starts each kernel afresh.
"""

from __future__ import annotations

import atexit
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading

from . import execute

PLAIN = "KGKZ_JUPYTER_KERNELS"


class _Elsewhere(execute._Forked):
    """Enough of ``subprocess.Popen`` for a kernel that is another process's child."""

    def poll(self) -> int | None:
        if self.returncode is None:
            try:
                os.kill(self.pid, 0)
            except ProcessLookupError:
                self.returncode = 0  # gone; its status went to its parent
        return self.returncode


class Client:
    """This side of a zygote: started on first use, one per process."""

    _lock = threading.Lock()
    _instance: Client | None = None

    def __init__(self) -> None:
        ours, theirs = socket.socketpair()
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "kgkz.build.zygote", str(theirs.fileno())],
            pass_fds=(theirs.fileno(),),
            preexec_fn=execute.stop_with_parent,
        )
        theirs.close()
        self.sock = ours
        self.replies = ours.makefile("rb")
        atexit.register(self.close)

    @classmethod
    def get(cls) -> Client:
        with cls._lock:
            if cls._instance is None or cls._instance.proc.poll() is not None:
                cls._instance = cls()
            return cls._instance

    def fork(self, args: list[str], env: dict, cwd: str) -> int:
        with self._lock:
            request = {"args": args, "env": env, "cwd": cwd}
            self.sock.sendall((json.dumps(request) + "\n").encode())
            line = self.replies.readline()
        if not line:
            raise RuntimeError("the kernel zygote stopped")
        return int(json.loads(line)["pid"])

    def close(self) -> None:
        try:
            self.replies.close()  # the socket stays open while its file does
            self.sock.close()
            self.proc.wait(timeout=5)
        except (OSError, subprocess.TimeoutExpired):
            self.proc.kill()


def kernel_manager_class():
    """A jupyter_client KernelManager whose ipykernels are forked by the zygote (or
    Jupyter's own, with ``KGKZ_JUPYTER_KERNELS=1``)."""
    from jupyter_client.manager import KernelManager

    if os.environ.get(PLAIN):
        return KernelManager
    forked = execute.forking_manager(
        lambda args, env, cwd: Client.get().fork(args, env, cwd),
        _Elsewhere,
        "ZygoteKernelManager",
    )

    class ZygoteKernelManager(forked):
        """Over Unix sockets unless told otherwise (as the build's kernels): kernels
        that start at the same moment in two test workers cannot race for a port."""

        def __init__(self, **kwargs) -> None:
            if "transport" not in kwargs:
                kwargs.update(transport="ipc", ip=_socket_path())
            super().__init__(**kwargs)

    return ZygoteKernelManager


_SOCKETS: list[str] = []


def _socket_path() -> str:
    """A fresh path for a kernel's sockets, in a folder this process removes at exit."""
    if not _SOCKETS:
        folder = tempfile.mkdtemp(prefix="kgkz-kernels-")
        atexit.register(shutil.rmtree, folder, ignore_errors=True)
        _SOCKETS.append(folder)
    _SOCKETS.append(os.path.join(_SOCKETS[0], f"k{len(_SOCKETS)}"))
    return _SOCKETS[-1]


def serve(fd: int) -> None:
    """Load what kernels share, then fork a kernel for each request until the client
    hangs up (then stop the kernels still running)."""
    execute.stop_with_parent()
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the client decides
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # kernels are reaped as they end
    execute.warm_up()
    sock = socket.socket(fileno=fd)
    requests, kernels = sock.makefile("rb"), []
    for line in requests:
        request = json.loads(line)
        pid = execute.fork_kernel(request["args"], request["env"], request["cwd"])
        kernels.append(pid)
        sock.sendall((json.dumps({"pid": pid}) + "\n").encode())
    for pid in kernels:
        try:
            os.killpg(pid, signal.SIGKILL)
        except OSError:
            pass


if __name__ == "__main__":
    serve(int(sys.argv[1]))
