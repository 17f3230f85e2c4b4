"""The 2019 visit chapter: its computations, the claims its figure titles make, and its
register and corrections for any number of questions (including none)."""

from __future__ import annotations

import csv
import json
import re
import shutil
from pathlib import Path

import matplotlib

matplotlib.use("agg")  # tests only; chapters must not call this

import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from kgkz import paths  # noqa: E402
from kgkz.analysis import records, selection, visit2019  # noqa: E402
from kgkz.data import load  # noqa: E402
from kgkz.render import figures, style  # noqa: E402

NOTEBOOK = paths.book() / "visit2019.ipynb"


def visit_events() -> pd.DataFrame:
    """The events the chapter tables and plots, as the notebook computes them."""
    events = records.events(visit2019.PHASES)
    return visit2019.in_order(events[events["phase"] == "visit_2019"])


# ----------------------------------------------------------------------------- dating
def test_the_dating_title_counts_what_the_figure_shows():
    ev = visit_events()
    title = visit2019.dating_title(ev)
    dated = ev.dropna(subset=["date_start"])
    day = int((dated["date_precision"] == "day").sum())
    widest = int(((dated["date_end"] - dated["date_start"]).dt.days + 1).max())
    assert title.startswith(f"{day} of the {len(dated)} dated events are known to the day")
    assert title.endswith(f"spans {widest:,} days")
    days = dated[dated["date_precision"] == "day"]
    assert (days["date_end"] == days["date_start"]).all()  # drawn as a day, not a window


def test_the_dating_figure_draws_a_day_or_a_window_per_event():
    style.use()
    dated = visit_events().dropna(subset=["date_start"])
    fig = figures.windows(dated, [str(n) for n in dated["no."]], "T", "x", "y")
    assert style.is_labelled(fig)
    ax = fig.axes[0]
    windows = (dated["date_end"] > dated["date_start"]).sum()
    assert len(ax.patches) == windows and len(ax.collections) == len(dated) - windows
    plt.close(fig)


def test_events_are_numbered_in_order_with_the_undated_last():
    ev = visit_events()
    assert list(ev["no."]) == list(range(1, len(ev) + 1))
    dated = ev["date_start"].notna().tolist()
    assert dated == sorted(dated, reverse=True)  # every dated event before any undated one
    starts = ev["date_start"].dropna()
    assert starts.is_monotonic_increasing


def test_no_visit_event_starts_before_the_conflict_the_source_dates():
    """The events of the visit lie within the conflict (31 Mar 2018 in seed 004) or later."""
    ev = visit_events().dropna(subset=["date_start"])
    assert ev["date_start"].min() == pd.Timestamp("2018-03-31")
    assert not (ev["date_start"] == pd.Timestamp("2019-01-01")).any()


def test_days_from_the_flight_to_the_raid():
    pick = selection.Chapter("visit2019")
    flight, raid = pick.rows("flight").iloc[0], pick.rows("raid").iloc[0]
    days = visit2019.days_between(pick.one("flight"), pick.one("raid"))
    assert days == (raid["date_start"] - flight["date_start"]).days > 0


# ----------------------------------------------------------------------------- tables
def test_who_and_when_come_from_the_records():
    pick = selection.Chapter("visit2019")
    refs = pick.refs("then_now")
    table = visit2019.who_when(refs)
    assert len(table) == len(refs)
    names = load.table("actors").set_index("actor_id")["name"]
    outlets = load.table("sources").set_index("source_id")["outlet"]
    for ref, (_, row) in zip(refs, table.iterrows(), strict=True):
        kind, _, rid = ref.partition(":")
        record = load.table(kind).set_index(load.table(kind).columns[0]).loc[rid]
        if kind == "statements":
            assert row["who"] == names[record["speaker_id"]]
        elif kind == "events":
            assert row["who"] == names[record["actor_id"]]
        else:
            assert row["who"] == outlets[record["source_id"]]
        assert row["what"] == record["summary"] and row["sources"]


def test_a_source_is_dated_by_what_is_known():
    assert visit2019.source_when("S002") == "21 Sep 2017"
    assert visit2019.source_when("S004") == "after 24 Jul 2019"
    assert visit2019.source_when("R37") == "undated"


def test_numbered_judgements_sort_by_item_then_id_and_keep_every_view():
    for question in ("visit_2019_conclusions", "visit_2019_scenarios"):
        table = visit2019.numbered(question)
        a = load.table("assessments")
        assert len(table) == (a["question"] == question).sum()
        items = [int(n) for n in table["no."] if n]
        assert items == sorted(items)
        assert "" not in list(table["no."])[: len(items)]  # unnumbered ones come last
    scenarios = visit2019.numbered("visit_2019_scenarios")
    per_item = scenarios.groupby("no.").size()
    assert (per_item >= 2).all()  # both judgements under each number are shown
    assert visit2019.numbered_items(scenarios) == len(per_item)


def test_the_demands_are_the_numbered_list_voiced_at_the_meeting():
    table = visit2019.demands("visit_2019_demands")
    assert list(table["no."]) == [str(i) for i in range(1, len(table) + 1)]
    meeting = selection.Chapter("visit2019").rows("meeting").iloc[0]
    assert set(table["when"]) == {f"{meeting['date_start'].day} {meeting['date_start']:%b %Y}"}


def test_the_sentence_is_read_from_the_report_its_record_cites():
    pick = selection.Chapter("visit2019")
    values = visit2019.report_values("events", pick.one("sentence"))
    assert len(values) == 1
    summary = pick.rows("sentence")["summary"].iloc[0]
    years = re.match(r"(\d+) years (\d+) months", values[0])
    assert years and f"{years[1]} years and {years[2]} months" in summary


# ----------------------------------------------------------------------------- figures
def test_the_charges_title_states_two_passages_and_the_record():
    pick = selection.Chapter("visit2019")
    figs = visit2019.stated_figures(pick.ids("charges"))
    first, second = pick.one("charges_flight"), pick.one("charges_scenario")
    record = pick.one("charges_record")
    title = visit2019.charges_title(
        figs.at[first, "value"], figs.at[second, "value"], figs.at[record, "value"]
    )
    # "in one passage ... in another": two different lines of one seed
    assert figs.at[first, "source"] == figs.at[second, "source"]
    assert figs.at[first, "kind"] == "seed"
    assert figs.at[first, "where"] != figs.at[second, "where"]
    assert figs.at[first, "value"] != figs.at[second, "value"]
    # "the public record counts": a report
    assert figs.at[record, "kind"] == "public record"
    assert f"counts {figs.at[record, 'value']:g}" in title


def test_the_charges_title_says_so_when_the_passages_agree():
    assert "in both passages" in visit2019.charges_title(5, 5, 5)


def test_the_casualty_title_counts_outlets_and_measures():
    hurt = visit2019.stated_figures(selection.Chapter("visit2019").ids("casualties"))
    spread = visit2019.casualty_spread(hurt)
    assert spread["outlets"] == hurt["outlet"].nunique() == len(hurt)  # one figure per outlet
    assert spread["measures"] == hurt["measure"].nunique() == len(hurt)  # no two alike
    assert spread["low"] == hurt.loc[hurt["value"].idxmin(), "figure"]
    assert spread["high"] == hurt.loc[hurt["value"].idxmax(), "figure"]
    title = visit2019.casualties_title(hurt)
    assert title.startswith(f"{spread['outlets']} outlets, {spread['measures']} different")
    assert title.endswith(f"from {spread['low']} to {spread['high']}")


# ----------------------------------------------------------------------------- citations
def test_every_report_that_bears_on_the_chapter_is_cited():
    cells = json.loads(NOTEBOOK.read_text(encoding="utf-8"))["cells"]
    prose = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")
    cited = {k for keys in re.findall(r"\{cite:p\}`([^`]+)`", prose) for k in keys.split(",")}
    missing = set(visit2019.reports()) - cited
    assert not missing, missing


# ----------------------------------------------------------------------------- register
QUESTIONS = ["question_id", "kind", "phase", "question", "unit", "note"]
ANSWERS = ["question_id", "source_id", "table", "record_id", "value", "number", "comparator",
           "as_of", "date_start", "date_end", "holder", "said_on", "note"]  # fmt: skip


@pytest.fixture
def with_questions(tmp_path: Path, monkeypatch):
    """Write questions and answers into a copy of the dataset and read from it."""
    for name in ("data", "seeds"):
        shutil.copytree(paths.root() / name, tmp_path / name)
    monkeypatch.setenv("KGKZ_ROOT", str(tmp_path))

    def clear():
        load._table.cache_clear()
        load.datapackage.cache_clear()
        load.seed_lines.cache_clear()

    def write(questions: list[dict], answers: list[dict]) -> None:
        for name, cols, rows in (
            ("questions", QUESTIONS, questions),
            ("answers", ANSWERS, answers),
        ):
            with (tmp_path / "data" / f"{name}.csv").open("w", encoding="utf-8", newline="") as f:
                out = csv.DictWriter(f, cols, lineterminator="\n")
                out.writeheader()
                out.writerows(rows)
        clear()

    clear()
    yield write
    clear()


CHARGES = {"question_id": "QU900", "kind": "figure", "phase": "visit_2019",
           "question": "How many charges did parliament bring against Atambayev?",
           "unit": "charges"}  # fmt: skip
WHEN = {"question_id": "QU901", "kind": "date", "phase": "visit_2019",
        "question": "When did parliament move against Atambayev?"}  # fmt: skip


def test_no_question_at_all(with_questions):
    with_questions([], [])
    assert visit2019.questions().empty and visit2019.register().empty
    assert visit2019.register_sentence().startswith("No question")
    assert visit2019.disagreeing_sources() == [] and visit2019.listing([]) == "none"
    assert visit2019.corrections().empty
    assert visit2019.no_corrections(visit2019.corrections(), "these events").endswith(
        "corrects these events."
    )
    shown = visit2019.shown(visit2019.register())
    assert len(shown) == 1 and set(shown.iloc[0]) == {"—"}


def test_one_question_whose_answers_agree(with_questions):
    with_questions(
        [CHARGES],
        [
            {"question_id": "QU900", "source_id": "S004", "table": "quantities",
             "record_id": "Q018", "number": "5", "comparator": "exact"},
            {"question_id": "QU900", "source_id": "R13", "table": "quantities",
             "record_id": "Q021", "number": "5", "comparator": "exact"},
        ],
    )  # fmt: skip
    assert len(visit2019.questions()) == 1 and visit2019.register().empty
    assert visit2019.register_sentence().endswith("can all be true")
    assert visit2019.corrections().empty


def test_questions_with_a_contradiction_and_a_refinement(with_questions):
    with_questions(
        [CHARGES, WHEN],
        [
            {"question_id": "QU900", "source_id": "S004", "table": "quantities",
             "record_id": "Q019", "number": "6", "comparator": "exact"},
            {"question_id": "QU900", "source_id": "R13", "table": "quantities",
             "record_id": "Q021", "number": "5", "comparator": "exact"},
            {"question_id": "QU901", "source_id": "S004", "table": "events",
             "record_id": "EV062", "date_start": "2018-03-31", "date_end": "2019-07-24"},
            {"question_id": "QU901", "source_id": "R13", "table": "events",
             "record_id": "EV270", "date_start": "2019-06-01", "date_end": "2019-06-30"},
        ],
    )  # fmt: skip
    register = visit2019.register()
    assert list(register["question"]) == [CHARGES["question"]]
    assert register.iloc[0]["answers"] == "6 {cite:p}`S004`; 5 {cite:p}`R13`"
    assert register.iloc[0]["between"] == "a source and a report"
    assert visit2019.register_sentence() == (
        "Of the 2 questions recorded so far on this chapter's claims, 1 has answers that "
        "cannot all be true"
    )
    assert visit2019.disagreeing_sources() == ["S004", "R13"]
    assert visit2019.shown(register) is register
    corr = visit2019.corrections()
    assert set(corr["correction"]) == {"contradicts", "refines"}
    charges = selection.Chapter("visit2019").refs("charges")
    only = visit2019.corrections(charges)
    assert list(only["record"]) == ["quantities:Q019"] and visit2019.no_corrections(only) == ""
    assert visit2019.corrections(["events:EV999"]).empty
    rest = visit2019.corrections(exclude=charges)  # what the other sections' notes hold
    assert list(rest["record"]) == ["events:EV062"] and rest.at[0, "correction"] == "refines"
    # a question of another chapter stays out of this one's register
    assert visit2019.register(["border"]).empty
