"""The build's kernels: ipykernel forked from a worker that has loaded the shared
libraries gives a chapter exactly what a fresh Jupyter kernel gives it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import nbformat
import pytest

from kgkz import paths
from kgkz.build import execute, zygote

# Each cell shows something a kernel's start decides: the path, the working directory,
# the environment, the matplotlib backend and its figures, display hooks, errors' form.
CELLS = [
    "import os, sys\nprint(sys.path[:3], os.getcwd() == os.environ['EXPECT_CWD'])",
    "print(os.environ.get('KGKZ_READ_LOG') is not None, os.environ['SOURCE_DATE_EPOCH'])",
    "import matplotlib\nmatplotlib.get_backend()",
    "import matplotlib.pyplot as plt\nfig, ax = plt.subplots(figsize=(2, 1))\n_ = ax.plot([0, 1])",
    "from IPython.display import Markdown, display\ndisplay(Markdown('**shown**'))\n41 + 1",
    "import kgkz.analysis.records\n"
    "print(sorted(k for k in sys.modules if k.startswith('matplotlib_inline')))",
]

SCRIPT = textwrap.dedent(
    """
    import json, os, sys
    from kgkz.build import execute
    path, warm = sys.argv[1], sys.argv[2] == "warm"
    os.environ["EXPECT_CWD"] = os.path.dirname(path)
    manager = None
    if warm:
        execute.warm_up()
        assert execute._WARM, "the worker did not warm up"
    elif sys.argv[2] == "zygote":
        from kgkz.build import zygote
        manager = zygote.kernel_manager_class()
    done = execute.execute_one(path, manager=manager)
    cells = [c.get("outputs") for c in done.notebook.cells]
    print(json.dumps({"cells": cells, "reads": sorted(done.reads), "error": done.error}))
    """
)


def run(path: Path, how: str) -> dict:
    out = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(path), how],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=paths.root(),
    )
    assert out.returncode == 0, out.stderr[-3000:]
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_a_forked_kernel_gives_a_notebook_what_a_fresh_one_does(tmp_path):
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in CELLS])
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    path = tmp_path / "probe.ipynb"
    nbformat.write(nb, path)
    fresh, forked, served = run(path, "fresh"), run(path, "warm"), run(path, "zygote")
    assert fresh["error"] == forked["error"] == served["error"] == ""
    assert forked["cells"] == fresh["cells"]
    assert served["cells"] == fresh["cells"]
    outputs = fresh["cells"]
    assert outputs[0][0]["text"].endswith(" True\n")
    assert outputs[1][0]["text"] == "True 0\n"
    assert "matplotlib_inline" in outputs[2][0]["data"]["text/plain"]
    assert any("image/png" in o.get("data", {}) for o in outputs[3])  # the open figure shown
    assert "matplotlib_inline.backend_inline" in outputs[5][0]["text"]


@pytest.mark.build
def test_a_chapter_executed_in_a_forked_kernel_is_the_same_notebook(tmp_path):
    chapter = paths.book() / "intro.ipynb"
    fresh, forked = run(chapter, "fresh"), run(chapter, "warm")
    assert fresh["error"] == forked["error"] == ""
    assert forked["cells"] == fresh["cells"]
    assert forked["reads"] == fresh["reads"]  # the same values read: the same keys


def test_nbval_runs_chapters_in_kernels_from_the_zygote_unless_told_otherwise():
    probe = (
        "import nbval.kernel, runpy; runpy.run_path('book/conftest.py'); "
        "print(nbval.kernel.KernelManager.__name__)"
    )

    def manager(**env) -> str:
        out = subprocess.run(
            [sys.executable, "-c", probe],
            capture_output=True,
            text=True,
            timeout=120,
            cwd=paths.root(),
            env={**{k: v for k, v in os.environ.items() if k != zygote.PLAIN}, **env},
        )
        lines = out.stdout.strip().splitlines()
        return lines[-1] if lines else out.stderr[-2000:]

    assert manager() == "ZygoteKernelManager"
    assert manager(**{zygote.PLAIN: "1"}) == "KernelManager"


def test_kernel_arguments_are_found_in_the_kernel_command():
    cmd = ["/usr/bin/python3", "-m", "ipykernel_launcher", "-f", "/tmp/k.json"]
    assert execute._kernel_args(cmd) == ["-f", "/tmp/k.json"]
    assert execute._kernel_args(["/usr/bin/R", "--slave"]) is None


def test_shared_modules_leave_pyplot_to_the_kernel_and_the_environment_as_it_was():
    """pyplot's inline backend hooks into the shell when first imported: loaded ahead,
    a kernel would no longer show figures. The inline backend is named only while
    matplotlib loads: the build's other children (Jupyter Book) must not inherit it."""
    assert not any(
        m.startswith(("matplotlib.pyplot", "matplotlib_inline")) for m in execute.SHARED_MODULES
    )
    probe = (
        "import os, sys; from kgkz.build import execute; execute.warm_up(); "
        "import matplotlib; "
        "print(any(m.startswith(('matplotlib.pyplot', 'matplotlib_inline')) for m in sys.modules),"
        " 'MPLBACKEND' in os.environ, matplotlib.get_backend(), bool(execute._WARM))"
    )
    env = {k: v for k, v in os.environ.items() if k != "MPLBACKEND"}
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=120, env=env
    )
    assert out.stdout.split() == [
        "False",
        "False",
        "module://matplotlib_inline.backend_inline",
        "True",
    ], out.stderr[-2000:]


class _Channel:
    """A kernel channel that hands out given messages, then times out; it notes the
    timeout of every wait."""

    def __init__(self, messages: list[dict]) -> None:
        self.messages, self.waits = list(messages), []

    def get_msg(self, timeout=None):
        from queue import Empty

        self.waits.append(timeout)
        if not self.messages:
            raise Empty
        return self.messages.pop(0)

    def send(self, msg) -> None:
        pass


def test_a_kernel_is_called_ready_without_waiting_out_the_idle_iopub():
    """Ready once it answers and IOPub is connected; then what is left on IOPub is taken
    until none comes for 10 ms (jupyter_client waits 0.2 s for that: every kernel's
    start paid it)."""
    client = execute._ready_client()()
    reply = {"msg_type": "kernel_info_reply", "content": {"protocol_version": "5.3"}}
    client._shell_channel = _Channel([reply])
    status = {"msg_type": "status", "content": {"execution_state": "idle"}}
    client._iopub_channel = _Channel([status, status, status])
    client.wait_for_ready(timeout=5)
    assert client._iopub_channel.waits == [0.2, 0.01, 0.01, 0.01]  # connected; 2 left; none
    assert client._iopub_channel.messages == []


def test_a_forked_kernel_manager_calls_its_ready_client_and_sees_a_kernel_end_at_once(
    monkeypatch,
):
    import asyncio

    from jupyter_client.manager import KernelManager

    manager = execute.forking_manager(lambda args, env, cwd: 0)(kernel_name="python3")
    assert type(manager.client()).__name__ == "ReadyClient"
    polls = []

    async def wait(self, pollinterval: float = 0.1) -> None:
        polls.append(pollinterval)

    monkeypatch.setattr(KernelManager, "_async_wait", wait)
    asyncio.run(manager._async_wait())
    assert polls == [0.005]  # jupyter_client looks every 0.1 s
