"""Build benchmark: how long each way of producing the book takes on this machine.

    python benchmarks/bench.py            (or: make bench)

Runs on a fresh copy of the repository's tracked files (KGKZ_ROOT points at it), so the
working tree is never touched. Measures, in one run:

  floor          every chapter executed one after another in a fresh kernel (nbclient)
  cold build     `python -m kgkz.build html` from nothing (no warm build server either)
  no-change      the same command again (in the warm server the cold build left)
  rebuilds       after changing one value in election_2017.csv, then in quantities.csv
  nbval          the notebooks under pytest --nbval-lax with two workers
  pdf            `python -m kgkz.build pdf` after the HTML build

and prints each as seconds and as a ratio to the floor (and the rebuilds to the cold
build). Nothing here is asserted: targets are compared in the printout.
"""

from __future__ import annotations

import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from kgkz.build import server  # noqa: E402
from tests.helpers import copy_tracked, least_read_quantity, set_value  # noqa: E402

TARGETS = {  # ratio and what it is a ratio to
    "cold build": (0.6, "floor"),
    "no-change rebuild": (0.02, "cold build"),
    "election_2017 rebuild": (0.4, "cold build"),
    "quantities rebuild": (0.3, "cold build"),
    "nbval suite": (0.5, "floor"),
}


def timed(label: str, cmd: list[str], cwd: Path, env: dict) -> float:
    start = time.perf_counter()
    run = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if run.returncode != 0:
        sys.exit(f"{label} failed:\n{run.stdout[-2000:]}\n{run.stderr[-2000:]}")
    ran = len(re.findall(r"^executed ", run.stdout, re.M))
    warm = "   (in the warm build server)" if WARM in run.stdout else ""
    print(f"  {label:<22} {seconds:7.1f} s   chapters executed: {ran}{warm}", flush=True)
    return seconds


WARM = "(in the warm build server)"


def cold_start() -> None:
    """No warm server before the cold build: a first build on a fresh machine has none."""
    pid = server.ready(timeout=0.5)
    if server.stop() and pid:
        deadline = time.time() + 120
        while Path(f"/proc/{pid}").exists() and time.time() < deadline:
            time.sleep(0.1)


def warm_server() -> None:
    """Wait for the server the cold build leaves behind to load (as a reader's next edit
    would take longer) and say what it holds."""
    if not server.enabled():
        print("  (KGKZ_BUILD_SERVER=0: every build loads everything itself)")
        return
    pid = server.ready(timeout=120)
    if pid is None:
        print("  (no warm build server came up: the rebuilds load everything themselves)")
        return
    status = Path(f"/proc/{pid}/status").read_text(encoding="utf-8")
    rss = int(re.search(r"^VmRSS:\s+(\d+)", status, re.M)[1]) / 1024
    print(f"  warm build server ready (pid {pid}, {rss:.0f} MiB resident)", flush=True)


# One value in a table, changed consistently (record, seed quote, public record): a
# certified-count share the election chapter shows (its seed quote changes with it), and a
# figure of quantities.csv from the public record alone that the fewest chapters read (the
# same rule as the build test), picked after the cold build from what each chapter read.
ELECTION = ("election_2017 rebuild", "election_2017", "EL001", "55")


FLOOR = """
import sys, nbformat
from pathlib import Path
from nbclient import NotebookClient
for path in sorted(Path("book").glob("*.ipynb")):
    nb = nbformat.read(path, as_version=4)
    NotebookClient(nb, timeout=600, resources={"metadata": {"path": str(path.parent)}}).execute()
"""


def main() -> int:
    py = sys.executable
    with tempfile.TemporaryDirectory(prefix="kgkz-bench-") as tmp:
        root = Path(tmp)
        copy_tracked(root)
        env = {**os.environ, "KGKZ_ROOT": str(root)}
        print(f"machine: {os.cpu_count()} cores; copy at {root}")
        t = {}
        t["floor"] = timed("floor (sequential)", [py, "-c", FLOOR], root, env)
        cold_start()
        t["cold build"] = timed("cold build", [py, "-m", "kgkz.build", "html"], root, env)
        warm_server()
        t["no-change rebuild"] = timed(
            "no-change rebuild", [py, "-m", "kgkz.build", "html"], root, env
        )
        q, value, readers = least_read_quantity(root)
        for label, table, record, new in [ELECTION, ("quantities rebuild", "quantities", q, value)]:
            set_value(root, table, record, new)
            if table == "quantities":
                print(f"  ({record}: read by {', '.join(sorted(readers))})")
            t[label] = timed(label, [py, "-m", "kgkz.build", "html"], root, env)
        t["nbval suite"] = timed(
            "nbval suite",
            [
                py,
                "-m",
                "pytest",
                "-q",
                "-p",
                "no:cacheprovider",
                "-o",
                "addopts=",
                "--nbval-lax",
                "-n",
                "2",
                "--dist",
                "loadscope",
                "book",
            ],
            root,
            env,
        )
        if shutil.which("xelatex"):
            t["pdf build"] = timed("pdf build", [py, "-m", "kgkz.build", "pdf"], root, env)
        server.stop()
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print()
    print(f"peak memory of one build process run by itself (largest child): {peak:.0f} MiB")
    print(f"{'measure':<20} {'seconds':>8} {'x floor':>8} {'x cold':>8}   target")
    for name, seconds in t.items():
        target = TARGETS.get(name)
        goal = ""
        if target:
            ratio = seconds / t[target[1]]
            ok = "met" if ratio <= target[0] else "MISSED"
            goal = f"<= {target[0]} x {target[1]}: {ratio:.2f} {ok}"
        print(
            f"{name:<20} {seconds:8.1f} {seconds / t['floor']:8.2f} "
            f"{seconds / t['cold build']:8.2f}   {goal}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
