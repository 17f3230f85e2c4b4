"""The warm build server (kgkz.build.server): a build asks it first and runs in a fork of
it as it would by itself (arguments, directory, environment, terminal, exit status,
signals); a server loaded with other code leaves, and the build runs by itself.

Each test runs its own server in a temporary directory of its own (``TMPDIR``), so that
none meets another test's server, nor the one a developer's builds leave behind."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from kgkz.build import server
from tests.helpers import copy_tracked, none_left_in, set_value

WARM = "(in the warm build server)"


@pytest.fixture
def env(tmp_path) -> dict:
    private = tmp_path / "tmp"
    private.mkdir()
    return {**os.environ, "TMPDIR": str(private), "KGKZ_BUILD_SERVER": "1"}


def ask(env: dict, code: str) -> str:
    """Run ``code`` (with ``server`` imported) under ``env``; what it prints."""
    code = f"from kgkz.build import server; {code}"
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    return out.stdout.strip()


def answers(env: dict) -> bool:
    """Does a server answer at the address ``env`` names?"""
    return ask(env, "print(server.ready(timeout=0.5))") != "None"


def start_server(env: dict) -> subprocess.Popen:
    """A server, started as a build leaves one, once it has loaded everything."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "kgkz.build.server"],
        env=env,
        cwd="/",
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
    )
    pid = ask(env, "print(server.ready(timeout=120))")
    if pid != str(proc.pid):
        proc.kill()
        raise AssertionError(f"the server never answered (got {pid})")
    return proc


def command(*args: str, env: dict, cwd: Path, **kw) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "kgkz.build", *args],
        env=env,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
        **kw,
    )


def test_a_build_runs_in_the_server_with_its_own_environment_output_and_status(env, tmp_path):
    project = tmp_path / "project"
    (project / "_build").mkdir(parents=True)
    mine = {**env, "KGKZ_ROOT": str(project)}
    proc = start_server(env)
    try:
        out = command("clean", env=mine, cwd=project)
        assert out.returncode == 0, out.stderr
        assert WARM in out.stdout
        assert not (project / "_build").exists()  # the command's KGKZ_ROOT, not the server's
        failed = command("chapter", "nosuch", env=mine, cwd=project)
        assert failed.returncode == 1
        assert "no chapter 'nosuch'" in failed.stderr
        off = command("clean", env={**mine, "KGKZ_BUILD_SERVER": "0"}, cwd=project)
        assert off.returncode == 0 and WARM not in off.stdout
    finally:
        stopped = command("stop", env=env, cwd=tmp_path)
        proc.wait(timeout=30)
    assert "build server stopped" in stopped.stdout
    assert not answers(env)
    assert "no build server was running" in command("stop", env=env, cwd=tmp_path).stdout


def test_a_server_loaded_with_other_code_leaves_and_the_build_runs_by_itself(env, tmp_path):
    proc = start_server({**env, "MPLBACKEND": "agg"})  # matplotlib loads otherwise
    out = command("clean", env={**env, "KGKZ_ROOT": str(tmp_path)}, cwd=tmp_path)
    assert out.returncode == 0 and WARM not in out.stdout
    proc.wait(timeout=30)
    assert not answers(env)


def test_a_build_leaves_a_server_behind_for_the_next(env, tmp_path):
    ask(env, "server.spawn()")
    assert ask(env, "print(server.ready(timeout=120))") != "None"  # once loaded
    out = command("clean", env={**env, "KGKZ_ROOT": str(tmp_path)}, cwd=tmp_path)
    assert WARM in out.stdout
    assert "build server stopped" in command("stop", env=env, cwd=tmp_path).stdout


def test_a_server_leaves_when_no_build_comes(env):
    proc = start_server({**env, "KGKZ_BUILD_SERVER_IDLE": "1"})
    assert proc.wait(timeout=30) == 0
    assert not answers(env)


def test_the_key_names_what_loading_reads(monkeypatch):
    before = server.key()
    monkeypatch.setenv("PYTHONUNBUFFERED", "1")  # set up per build: the same code loads
    assert server.key() == before
    monkeypatch.setenv("MPLBACKEND", "pdf")
    assert server.key() != before


@pytest.fixture
def book(tmp_path) -> Path:
    root = tmp_path / "book"
    copy_tracked(root)
    set_value(root, "election_2017", "EL020", "54.38")
    return root


def executing(root: Path, env: dict, **popen) -> subprocess.Popen:
    proc = subprocess.Popen(
        [sys.executable, "-m", "kgkz.build", "execute"],
        cwd=root,
        env={**env, "KGKZ_ROOT": str(root)},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        **popen,
    )
    for line in proc.stdout:
        if line.startswith("executing:"):
            return proc
    raise AssertionError("the build never started executing")


def test_ctrl_c_reaches_a_build_in_the_server(env, book):
    proc = start_server(env)
    try:
        build = executing(book, env, start_new_session=True)
        os.killpg(build.pid, signal.SIGINT)  # as the terminal sends it to its group
        rest, _ = build.communicate(timeout=120)
        assert build.returncode == 130, rest[:3000]
        assert "interrupted" in rest
    finally:
        command("stop", env=env, cwd=book)
        proc.wait(timeout=60)


def test_a_killed_command_takes_its_build_in_the_server_with_it(env, book):
    proc = start_server(env)
    try:
        build = executing(book, env)
        build.kill()
        build.wait()
        assert none_left_in(book) == []
        assert proc.poll() is None  # the server itself goes on
    finally:
        command("stop", env=env, cwd=book)
        proc.wait(timeout=60)
