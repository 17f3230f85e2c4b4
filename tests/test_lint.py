import subprocess
import sys

from kgkz import paths


def test_ruff_is_clean():
    run = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "."],
        cwd=paths.root(),
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stdout
