"""Every entry point shows current numbers; builds are incremental, locked and portable.

Works on a fresh copy of the repository (its tracked files) so that the real data is
never touched. Each test changes a value consistently (the record, the public-record row
or the seed line it cites) and builds one way, then reads the page.
"""

from __future__ import annotations

import csv
import html
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.helpers import chapter_state as _state
from tests.helpers import copy_tracked, least_read_quantity, none_left_in, set_value
from tests.helpers import readers as _readers

pytestmark = pytest.mark.build
BIN = Path(sys.executable).parent


def run(root: Path, *cmd: str, env: dict | None = None) -> subprocess.CompletedProcess:
    out = subprocess.run(cmd, cwd=root, env=env, capture_output=True, text=True)
    assert out.returncode == 0, out.stdout[-3000:] + out.stderr[-3000:]
    return out


def build(root: Path, *args: str) -> str:
    env = {**os.environ, "KGKZ_ROOT": str(root)}
    return run(root, sys.executable, "-m", "kgkz.build", *args, env=env).stdout


def plain_env() -> dict:
    """The environment of a reader who never heard of KGKZ_ROOT."""
    return {k: v for k, v in os.environ.items() if not k.startswith("KGKZ_")}


def executed(out: str) -> list[str]:
    return re.findall(r"^executed (\S+\.ipynb)", out, re.M)


def page_text(path: Path) -> str:
    """What a reader sees on a page: its text and the alt text of its images."""
    raw = path.read_text(encoding="utf-8")
    raw = re.sub(r"<script.*?</script>|<style.*?</style>", " ", raw, flags=re.S)
    alts = " ".join(re.findall(r'alt="([^"]*)"', raw))
    text = re.sub(r"<[^>]+>", " ", raw)
    return re.sub(r"\s+", " ", html.unescape(f"{text} {alts}"))


def occurrences(text: str, token: str) -> int:
    """How often ``token`` stands alone in ``text`` (not inside a longer number/word)."""
    return len(re.findall(rf"(?<![\w.,]){re.escape(token)}(?![\w]|[.,]\d)", text))


def certified_share(root: Path, where: str = "_build/html/book/election.html") -> str:
    text = page_text(root / where)
    match = re.search(r"certified count gives Jeenbekov ([\d.]+) %", text)
    assert match, "the certified share is not on the election page"
    return match.group(1)


@pytest.fixture(scope="module")
def copy(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("book")
    copy_tracked(root)
    return root


def test_cold_build_executes_every_chapter_once(copy):
    out = build(copy, "html")
    chapters = sorted(p.name for p in (copy / "book").glob("*.ipynb"))
    assert sorted(executed(out)) == chapters


def test_a_rebuild_without_changes_does_nothing(copy):
    out = build(copy, "html")
    assert executed(out) == []
    assert "nothing to do" in out


def test_make_book_shows_a_changed_value_and_reruns_only_its_readers(copy):
    set_value(copy, "election_2017", "EL020", "54.31")
    out = build(copy, "html")
    assert certified_share(copy) == "54.31"
    assert "election.ipynb" in executed(out)
    assert "background.ipynb" not in executed(out)  # it never reads election_2017.csv
    assert executed(build(copy, "html")) == []


def test_plain_jupyter_book_build_shows_a_changed_value(copy):
    set_value(copy, "election_2017", "EL020", "54.32")
    out = run(copy, str(BIN / "jupyter-book"), "build", ".", env=plain_env()).stdout
    assert "election.ipynb" in executed(out)
    assert certified_share(copy) == "54.32"


def test_make_chapter_re_executes_that_chapter_alone(copy):
    out = build(copy, "chapter", "russia")
    assert executed(out) == ["russia.ipynb"]
    assert "_build/html/book/russia.html" in out


def test_a_fresh_kernel_reads_the_data_as_it_is_now(copy):
    """JupyterLab and nbval run a chapter in a fresh kernel: it reads the current data."""
    import nbformat
    from nbclient import NotebookClient

    set_value(copy, "election_2017", "EL020", "54.33")
    nb = nbformat.read(copy / "book/election.ipynb", as_version=4)
    env = {**os.environ, "KGKZ_ROOT": str(copy)}
    NotebookClient(nb, resources={"metadata": {"path": str(copy / "book")}}).execute(env=env)
    outputs = str([c.get("outputs") for c in nb.cells if c.cell_type == "code"])
    assert "54.33" in outputs
    assert "54.32" not in outputs


def test_a_prose_change_renders_without_executing(copy):
    nb = copy / "book/russia.ipynb"
    text = nb.read_text(encoding="utf-8")
    assert "Actions and non-actions" in text
    nb.write_text(text.replace("Actions and non-actions", "Actions and abstentions"), "utf-8")
    out = build(copy, "html")
    assert "russia.ipynb" not in executed(out)
    assert "Actions and abstentions" in page_text(copy / "_build/html/book/russia.html")
    assert "nothing to do" in build(copy, "html")


def test_invalid_data_stops_the_build_with_the_validators_report_and_writes_no_page(copy):
    """The chapters execute while the data is validated: a problem still stops the
    build with the validator's report (file, line, column) before a page is read."""
    pages = sorted((copy / "_build/html").rglob("*.html"))
    before = {p: p.stat().st_mtime_ns for p in pages}
    evidence = copy / "data/evidence.csv"
    original = evidence.read_text(encoding="utf-8")
    set_value(copy, "election_2017", "EL020", "54.37")  # a chapter to execute meanwhile
    evidence.write_text(
        original.replace(
            "Kyrgyz President Almazbek Atambayev accused official Astana",
            "Kyrgyz President Almazbek Atambayev praised official Astana",
            1,
        ),
        encoding="utf-8",
    )
    env = {**os.environ, "KGKZ_ROOT": str(copy)}
    out = subprocess.run(
        [sys.executable, "-m", "kgkz.build", "html"], cwd=copy, env=env, capture_output=True,
        text=True,
    )  # fmt: skip
    evidence.write_text(original, encoding="utf-8")
    assert out.returncode == 1, out.stdout[-2000:]
    assert re.search(r"data/evidence\.csv.*\b2\b.*quote.*not in seed S000", out.stderr), out.stderr
    assert {p: p.stat().st_mtime_ns for p in pages} == before
    assert "election.ipynb" in executed(build(copy, "html"))  # the next build completes it


def test_a_changed_environment_re_executes_every_chapter(copy):
    lock = copy / "requirements.lock"
    lock.write_text(lock.read_text(encoding="utf-8") + "# upgraded\n", encoding="utf-8")
    out = build(copy, "html")
    assert len(executed(out)) == len(list((copy / "book").glob("*.ipynb")))


def test_a_moved_checkout_rebuilds_nothing(copy, tmp_path):
    moved = tmp_path / "moved"
    shutil.copytree(copy, moved, symlinks=True)
    out = build(moved, "html")
    assert executed(out) == []
    assert "nothing to do" in out


def test_two_builds_at_once_both_succeed_and_execute_each_chapter_once(copy):
    set_value(copy, "election_2017", "EL020", "54.34")
    env = {**os.environ, "KGKZ_ROOT": str(copy)}
    cmd = [sys.executable, "-m", "kgkz.build", "html"]
    first = subprocess.Popen(
        cmd, cwd=copy, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    time.sleep(0.5)
    second = subprocess.Popen(
        cmd, cwd=copy, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    outs = [p.communicate(timeout=600) for p in (first, second)]
    assert first.returncode == 0 and second.returncode == 0, outs
    ran = executed(outs[0][0]) + executed(outs[1][0])
    assert ran.count("election.ipynb") == 1
    assert len(ran) == len(set(ran))
    assert "waiting for it to finish" in outs[1][1]
    assert certified_share(copy) == "54.34"


def start_executing(root: Path, **popen) -> subprocess.Popen:
    """Start ``python -m kgkz.build html`` and return once it is executing chapters."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "kgkz.build", "html"],
        cwd=root,
        env={**os.environ, "KGKZ_ROOT": str(root)},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        **popen,
    )
    for line in proc.stdout:
        if line.startswith("executing:"):
            break
    return proc


def test_an_interrupted_build_leaves_a_state_the_next_build_completes(copy):
    set_value(copy, "election_2017", "EL020", "54.35")
    proc = start_executing(copy, start_new_session=True)
    time.sleep(1)
    os.killpg(proc.pid, signal.SIGINT)
    proc.communicate(timeout=120)
    out = build(copy, "html")
    assert "election.ipynb" in executed(out)
    assert certified_share(copy) == "54.35"
    assert "nothing to do" in build(copy, "html")


def test_a_killed_build_leaves_no_process_behind(copy):
    set_value(copy, "election_2017", "EL020", "54.36")
    proc = start_executing(copy)
    proc.kill()  # SIGKILL: no handler runs in the build process itself
    proc.wait()
    assert none_left_in(copy) == []
    assert "election.ipynb" in executed(build(copy, "html"))


def _first_border_event(root: Path) -> tuple[str, str]:
    with (root / "data/events.csv").open(encoding="utf-8") as f:
        rows = [r for r in csv.DictReader(f) if r["phase"] == "border" and r["date_start"]]
    rows = [r for r in rows if "2017-09-19" <= r["date_start"] <= "2017-10-18"]
    return rows[0]["event_id"], rows[0]["summary"]


def test_every_changed_value_reaches_its_chapter_and_no_old_rendering_stays(copy):
    """A sample of values across the tables, changed at once: each one's old rendering
    is gone from its chapter (text and alt text) and its new rendering is there."""
    event_id, summary = _first_border_event(copy)
    sample = [  # table, record, column, new value, chapter
        ("quantities", "Q014", "value", "61", "election"),
        ("election_2017", "EL022", "value", "33.57", "election"),
        ("quantities", "Q029", "value", "671", "border"),
        ("quantities", "Q031", "value", "2.9", "border"),
        ("quantities", "Q035", "value", "57", "visit2019"),
        ("assessments", "AS013", "position", "second round foreseen", "election"),
        ("events", event_id, "summary", summary.upper(), "border"),
    ]
    before = {c: page_text(copy / f"_build/html/book/{c}.html") for *_, c in sample}
    olds = []
    for table, rid, column, new, chapter in sample:
        old = set_value(copy, table, rid, new, column)
        assert occurrences(before[chapter], old) >= 1, (rid, old)
        olds.append(old)
    build(copy, "html")
    for (_table, rid, _column, new, chapter), old in zip(sample, olds, strict=True):
        after = page_text(copy / f"_build/html/book/{chapter}.html")
        assert occurrences(after, old) == 0, (rid, old, chapter)
        assert occurrences(after, new) >= 1, (rid, new, chapter)


@pytest.mark.pdf
def test_make_pdf_and_jupyter_book_pdflatex_show_a_changed_value(copy):
    set_value(copy, "election_2017", "EL020", "54.36")
    build(copy, "pdf")
    tex = (copy / "_build/latex/book.tex").read_text(encoding="utf-8")
    assert "54.36" in tex and "54.35" not in tex
    set_value(copy, "election_2017", "EL020", "54.37")
    run(copy, str(BIN / "jupyter-book"), "build", ".", "--builder", "pdflatex", env=plain_env())
    tex = (copy / "_build/latex/book.tex").read_text(encoding="utf-8")
    assert "54.37" in tex and "54.36" not in tex


def test_a_changed_value_re_executes_exactly_the_chapters_that_read_it(copy):
    build(copy, "html")  # settle any earlier change
    q, value, expected = least_read_quantity(copy)
    assert len(expected) < len(list((copy / "book").glob("*.ipynb")))
    set_value(copy, "quantities", q, value)
    assert sorted(executed(build(copy, "html"))) == sorted(expected)


def test_a_row_added_to_a_counted_table_re_executes_every_chapter_that_counts_it(copy):
    counting = _readers(copy, "cameo")
    assert len(counting) >= 2
    table = copy / "data/cameo.csv"
    table.write_text(table.read_text(encoding="utf-8") + "174,Expel or deport individuals,-5.0\n")
    assert sorted(executed(build(copy, "html"))) == sorted(counting)


def test_a_value_no_chapter_read_changes_nothing(copy):
    """A free-text cell (a note, a summary) that no chapter's recorded reads include."""
    state = _state(copy)
    for table in ("quantities", "statements", "events", "assessments", "actors"):
        path = copy / f"data/{table}.csv"
        with path.open(encoding="utf-8") as f:
            rows = list(csv.DictReader(f))
        key = next(iter(rows[0]))
        for column in ("note", "date_basis", "summary", "roles"):
            if column not in rows[0]:
                continue
            unread = [r for r in rows if not _readers(copy, table, column, r[key])]
            if unread:
                break
        else:
            continue
        break
    else:
        pytest.fail("every free-text cell is read by some chapter")
    assert state
    unread[0][column] = f"{unread[0][column]} (reworded)" if unread[0][column] else "reworded"
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    assert executed(build(copy, "html")) == []
