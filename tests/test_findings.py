"""The introduction's findings: each claim checked against the data, with the functions
the introduction uses."""

from __future__ import annotations

import pytest

from kgkz import paths
from kgkz.analysis import background, findings, records
from kgkz.analysis.findings import Support
from kgkz.data import load


@pytest.fixture(scope="module")
def pick():
    return findings.pick()


def _start(ref: str):
    return findings._row(ref)["date_start"]


def test_six_to_ten_findings_each_naming_existing_records(pick):
    keys = findings.keys()
    assert 6 <= len(keys) <= 10
    for key in keys:
        for ref in pick.refs(key):
            table, _, rid = ref.partition(":")
            assert rid in set(load.table(table).iloc[:, 0]), f"{key}: no {ref}"


def test_the_introduction_is_the_root_notebook():
    assert (paths.book() / "intro.ipynb").is_file()
    assert not (paths.book() / "intro.md").exists()
    assert "root: book/intro" in (paths.root() / "_toc.yml").read_text(encoding="utf-8")


# ----------------------------------------------------------------------------- support
@pytest.mark.parametrize(
    ("support", "verdict", "words"),
    [
        (Support(seeds=["S000"]), "silent", "1 seed {cite:p}`S000`; the public record is silent"),
        (Support(seeds=["S000", "S001"], agree=["R01"]), "agrees", "bears it out {cite:p}`R01`"),
        (Support(seeds=[], refine=["R02"]), "refines", "no seed; the public record bears it out"),
        (Support(seeds=["S002"], contradict=["R39"]), "contradicts", "contradicts it"),
        (
            Support(seeds=["S002"], agree=["R43"], contradict=["R39"]),
            "divided",
            "bears out part of it {cite:p}`R43` and contradicts part {cite:p}`R39`",
        ),
    ],
)
def test_support_is_worded_from_its_verdict(support, verdict, words):
    assert support.verdict == verdict
    assert words in findings.support_markdown(support)


def test_support_counts_seeds_and_reports_from_evidence_and_corrections(pick):
    refs = pick.refs("f3_meeting")
    meeting = findings.support(refs)
    ev = load.table("evidence")
    held = (ev["table"] + ":" + ev["record_id"]).isin(refs)
    answers = load.table("answers")
    asked = ("questions:" + answers["question_id"]).isin(refs)
    said = set(ev.loc[held, "source_id"]) | set(answers.loc[asked, "source_id"])
    seeds = said & set(load.seed_ids())
    assert meeting.seeds == sorted(seeds)
    # the place where Nazarbayev received Babanov: one report contradicts a seed by rule
    assert meeting.contradict and meeting.verdict == "divided"
    assert not set(meeting.contradict) & set(meeting.agree)


def test_a_finding_the_public_record_never_mentions_is_silent(pick):
    assert findings.support(pick.refs("f7_russia")).verdict == "silent"


# ----------------------------------------------------------------------------- claims
def test_f1_the_quarrel_goes_back_to_the_year_conflict_peaks(pick):
    events = background.events()
    by_year = background.conflict_by_year(events)
    year, peak, rest = background.conflict_peak(by_year)
    assert background.peak_outweighs_the_rest(by_year)
    refs = pick.refs("f1_roots")
    peak_events = {f"events:{e}" for e in background.conflict_in(events, year)["event_id"]}
    assert peak_events and peak_events <= set(refs)
    revolution, refuge, *_ = findings.by_support(refs)[0]
    assert _start(refuge) >= _start(revolution)  # "who then took refuge"
    assert "month" in findings.quantity_text([r for r in refs if "quantities:" in r][0])


def test_f2_the_seed_and_the_public_record_date_the_remark_apart(pick):
    seed_refs, report_refs = findings.by_support(pick.refs("f2_remark"))
    assert findings.date_verdict(seed_refs[0], report_refs[0]) == "disagree"
    assert _start(report_refs[0]) <= _start(report_refs[1])  # the note answered the interview


def test_f3_every_seed_reports_the_meeting_and_its_place_is_disputed(pick):
    refs = pick.refs("f3_meeting")
    assert len(findings.support(refs).seeds) == findings.seed_count()
    qid = [r for r in refs if r.startswith("questions:")][0].partition(":")[2]
    answers = load.table("answers")
    assert answers.loc[answers["question_id"] == qid, "value"].nunique() >= 2


def test_f4_the_measures_began_days_after_the_speech_on_two_dates(pick):
    (speech, sealed), (checks,) = findings.by_support(pick.refs("f4_closure"))
    assert findings.days_between(speech, sealed) > 0
    assert findings.date_verdict(sealed, checks) == "disagree"


def test_f5_the_border_reopened_by_stages(pick):
    sealed, visit, trucks, treaty = pick.refs("f5_reopening")
    assert _start(sealed) < _start(visit) < _start(trucks) < _start(treaty)
    assert findings.days_between(sealed, trucks) > findings.days_between(sealed, visit)


def test_f6_the_winner_and_every_rounded_claim(pick):
    claims, counts = findings.by_support(pick.refs("f6_election"), "election_2017")
    el = load.table("election_2017").set_index("result_id")
    assert set(el.loc[[c.partition(":")[2] for c in claims], "stage"]) == {"source_claim"}
    (certified,) = counts
    assert el.at[certified.partition(":")[2], "stage"] == "final"
    assert findings.value(certified) > 50
    assert records.claims_check()["holds"].all()


def test_f7_who_judges_russia_then_and_later(pick):
    positions = findings.positions_by_question(pick.refs("f7_russia"))
    then, later = sorted(positions)
    assert len(findings.judges(then)) >= 2
    assert len(findings.judges(later)) == 1  # "the only article that judges the 2019 visit"


def test_f8_the_raid_and_the_arrest_no_seed_reports(pick):
    received, raid, detained = pick.refs("f8_visit")
    assert findings.days_between(received, raid) > 0
    assert findings.days_between(raid, detained) == 1  # "the next day"
    for ref in (raid, detained):
        assert findings.support([ref]).seeds == []
