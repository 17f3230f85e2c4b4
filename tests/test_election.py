"""The election chapter: its computations, the claims its figure titles make (checked
against the data with the functions the chapter uses), its register and corrections for
any number of rows, and its citation of every report on the election."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pandas as pd
import pytest

from kgkz import paths
from kgkz.analysis import compare, election, records, selection
from kgkz.data import load
from kgkz.render import blocks

CHAPTER = paths.book() / "election.ipynb"
TABLED = ["kazakhstan", "campaign", "ties", "fairness", "forecast"]  # keys the chapter tables


@pytest.fixture(scope="module")
def pick():
    return selection.Chapter("election")


@pytest.fixture(scope="module")
def leaders(pick):
    return election.actors_of([pick.one("certified_share"), pick.one("certified_share_runner_up")])


# ----------------------------------------------------------------------------- titles
def test_the_field_title_states_the_counts_and_whether_they_agree(pick):
    field = election.field(pick.ids("field"))
    start, end, registered = field["value"]
    title = election.field_title(start, end, registered)
    assert f"from {start:g} hopefuls to {end:g} candidates" in title
    assert ("the same number" in title) == (registered == end)
    assert election.field_title(59, 11, 12).endswith("registers 12")
    assert list(field["group"]) == ["seed", "seed", "public record"]


def test_the_lead_stays_within_its_bounds_in_every_count(leaders):
    """Prose: the winner's lead stayed between the bounds in every report of both shares."""
    winner, runner_up = leaders
    shares = election.shares(leaders)
    leads = election.leads(shares, winner, runner_up)
    low, high = election.lead_bounds(leads["lead"])
    assert leads["lead"].between(low, high).all()
    # every report that gives the winner's share gives the runner-up's: no count is left out
    assert set(leads.index) == set(shares.loc[shares["actor_id"] == winner, "report"])
    assert (leads["lead"] > 0).all()


def test_the_lead_bounds_enclose_the_leads():
    assert election.lead_bounds(pd.Series([20.73, 21.07])) == (20.7, 21.1)


def test_the_turnout_title_says_what_the_counts_bear_out():
    claimed = election.claim(None, "turnout")
    counts = election.counts_of("turnout")
    holds = election.holding(claimed, counts)
    verdict = election.bears_out(holds.sum(), len(holds))
    spread = counts["value"].max() - counts["value"].min()
    title = election.turnout_title("S001", records.claim_label(claimed), verdict, spread)
    assert title.startswith("Every count bears out") == bool(holds.all())
    assert f"{spread:.2f} points apart" in title
    low, high = election.band(claimed)  # the band the figure draws agrees with the verdicts
    assert [low <= v < high for v in counts["value"]] == holds.tolist()


def test_counts_bear_a_claim_out_in_words():
    assert election.bears_out(3, 3) == "every count bears out"
    assert election.bears_out(0, 3) == "no count bears out"
    assert election.bears_out(2, 3) == "2 of 3 counts bear out"


def test_the_slack_is_the_one_the_check_applies():
    assert election.slack() == "1 percentage point"
    assert records.comparator_holds(56, "almost", 55.0)  # 1 point below holds, 1.01 not
    assert not records.comparator_holds(56, "almost", 54.99)


def test_the_claims_table_has_a_verdict_and_a_source_per_comparison():
    table = election.claims_table()
    assert len(table) == len(records.claims_check())
    assert set(table["claim holds?"]) <= {"yes", "no"}
    assert table["source"].str.contains("cite:p").all()


# ----------------------------------------------------------------------------- records
def test_records_of_any_table_are_described_in_the_order_chosen(pick):
    refs = pick.refs("forecast")
    table = election.described(refs, judgement="position")
    assert list(table.columns) == ["when", "who", "what", "sources"]
    assert len(table) == len(refs)
    positions = load.table("assessments").set_index("assessment_id")["position"]
    first = refs[0].split(":")[1]
    assert table["what"].iloc[0] == positions[first]
    with pytest.raises(KeyError, match="EV999"):
        election.described(["events:EV999"])


def test_the_forecast_holds_a_record_for_every_row(pick):
    """The polls' forecast and the certified share are records, not typed text."""
    tables = {r.split(":")[0] for r in pick.refs("forecast")}
    assert tables <= {"assessments", "election_2017"}
    assert (election.described(pick.refs("forecast"))["sources"] != "").all()


def test_the_smear_complaints_are_one_per_campaign(pick):
    rows = pick.rows("smear_complaints")
    assert rows["speaker_id"].is_unique
    assert set(rows["topic"]) == {"election_fairness"}


def test_figures_and_phrases_read_as_prose():
    assert election.number(3.025) == "3.025" and election.number(3025768.0) == "3,025,768"
    assert election.listing(["a", "b", "c"]) == "a, b and c"
    assert election.listing([]) == "none"
    assert "eligible voters" in election.electorate_text(election.electorate())


# ----------------------------------------------------------------------------- register
def _register(rows: int) -> pd.DataFrame:
    frame = pd.DataFrame(
        {
            "question_id": [f"QU{900 + i}" for i in range(rows)],
            "kind": "place",
            "phase": "election",
            "question": [f"Where, case {i}?" for i in range(rows)],
            "answers": "Astana (S002, R43); Almaty (R39)",
            "between": "source–report",
            "note": "",
        }
    )
    return frame


@pytest.mark.parametrize("rows", [0, 1, 3])
def test_the_register_block_suits_any_number_of_rows(rows):
    block = blocks.register_block(_register(rows), "tbl-el-register", "Caption.")
    if rows == 0:
        assert block == ""
        return
    assert block.startswith(":::{table} Caption.\n:name: tbl-el-register\n")
    assert block.count("{cite:p}`S002,R43`") == rows
    assert "source and report" in block


@pytest.mark.parametrize(
    "n, phrase",
    [(0, "no question"), (1, "1 question"), (3, "3 questions"), (1200, "1,200 questions")],
)
def test_counts_read_right_for_any_number(n, phrase):
    assert election.count_phrase(n, "question") == phrase


def test_source_ids_in_answers_become_citations():
    assert election.cite("5 (at 01 Nov 2017) (S004); 6 (R13, R34)") == (
        "5 (at 01 Nov 2017) {cite:p}`S004`; 6 {cite:p}`R13,R34`"
    )


def test_corrections_notes_keep_the_records_a_section_uses():
    corr = pd.DataFrame(
        {
            "question_id": ["QU001", "QU001"],
            "phase": "election",
            "kind": "place",
            "correction": ["contradicts", "refines"],
            "source": ["S002", "S003"],
            "record": ["events:EV024", "events:EV030"],
            "source says": ["Astana", "x"],
            "report": ["R39", "R40"],
            "report says": ["Almaty", "y"],
        }
    )
    note = blocks.corrections_note(corr, ["events:EV024"])
    assert "admonition" in note and note.count("\n- **") == 1  # only EV024's correction
    assert "Nazarbayev receives Babanov" in note
    assert blocks.corrections_note(corr, ["events:EV999"]) == ""
    assert blocks.corrections_note(corr.iloc[0:0]) == ""


QUESTIONS = 'QU900,date,election,"When was Kanatbek Isaev detained?",,\n'
QUESTIONS += "QU901,figure,election,What share of the vote did Jeenbekov win?,percent,\n"
ANSWERS = "QU900,S000,events,EV031,,,,,2017-10-01,2017-10-01,,,\n"
ANSWERS += "QU900,R49,events,EV031,,,,,2017-09-30,2017-09-30,,,\n"
ANSWERS += "QU901,S001,election_2017,EL001,,54,more_than,,,,,,\n"
ANSWERS += "QU901,R01,election_2017,EL020,,54.22,exact,,,,,,\n"


@pytest.fixture
def disputed(project, monkeypatch):
    """A copy of the data with two election questions only: one the sources answer in
    ways that cannot both be true, one the public record refines."""
    for name, rows in (("questions", QUESTIONS), ("answers", ANSWERS)):
        f = project / "data" / f"{name}.csv"
        header = f.read_text(encoding="utf-8").splitlines()[0]
        f.write_text(header + "\n" + rows, encoding="utf-8")  # these questions alone
    monkeypatch.setenv("KGKZ_ROOT", str(project))
    _forget()
    yield project
    _forget()


def _forget() -> None:
    for cached in (load._table, load.datapackage, load.seed_lines):
        cached.cache_clear()


def test_the_register_and_corrections_with_rows(disputed):
    reg = compare.register(["election"])
    corr = compare.corrections(["election"])
    assert list(reg["question_id"]) == ["QU900"]
    assert set(corr["question_id"]) == {"QU900", "QU901"}
    block = blocks.register_block(reg, "tbl-el-register", "Caption.")
    assert "When was Kanatbek Isaev detained?" in block and "{cite:p}`R49`" in block
    note = blocks.corrections_note(corr, ["events:EV031"])
    assert "When was Kanatbek Isaev detained?" in note and "contradicting it" in note
    assert "What share" not in note


def test_the_chapter_runs_with_rows_in_the_register(disputed):
    """The chapter's cells run, and show the register and the count, when it has rows."""
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.read(CHAPTER, as_version=4)
    env = {**os.environ, "KGKZ_ROOT": str(disputed)}
    NotebookClient(nb, resources={"metadata": {"path": str(CHAPTER.parent)}}).execute(env=env)
    glued = {}
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            name = out.get("metadata", {}).get("scrapbook", {}).get("name")
            if name:
                glued[name] = json.dumps(out["data"])
    assert "tbl-el-register" in glued["el_register"]
    assert "1 question" in glued["el_register_count"]
    assert "2 answers" in glued["el_corrections_count"]
    assert "When was Kanatbek Isaev detained?" in glued["el_corr_campaign"]


# ----------------------------------------------------------------------------- citations
def _prose() -> str:
    cells = json.loads(Path(CHAPTER).read_text(encoding="utf-8"))["cells"]
    return "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")


def test_every_report_on_the_election_is_cited(pick):
    """Each report the public record files under the election is cited in the prose or
    in the evidence links of a record the chapter tables."""
    tabled = [ref for key in TABLED for ref in pick.refs(key)]
    tabled += [f"election_2017:{r}" for r in records.claims_check()["result_id"]]
    reached = election.cited(_prose()) | election.evidenced_by(tabled)
    missing = [r for r in election.reports_on("election_2017") if r not in reached]
    assert missing == []
    assert "R24" in election.cited(_prose())  # the OSCE/ODIHR assessment


def test_citations_are_read_from_prose():
    text = "as {cite:p}`S000,R05` and {cite:t}`R24` say"
    assert election.cited(text) == {"S000", "R05", "R24"}
    assert election.reports_on("election_2017")[0] == "R01"
