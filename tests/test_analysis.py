from __future__ import annotations

import re

import pandas as pd
import pytest

from kgkz.analysis import links, records
from kgkz.data import load

T = pd.Timestamp


@pytest.mark.parametrize(
    ("start", "end", "precision", "label"),
    [
        (T("2017-10-15"), T("2017-10-15"), "day", "15 Oct 2017"),
        (T("2016-12-01"), T("2016-12-31"), "month", "Dec 2016"),
        (T("2010-01-01"), T("2010-12-31"), "year", "2010"),
        (T("2017-09-01"), T("2017-09-10"), "approximate", "between 1 and 10 Sep 2017"),
        (T("2017-10-01"), T("2017-10-01"), "approximate", "c. 1 Oct 2017"),
        (pd.NaT, pd.NaT, "undated", "undated"),
    ],
)
def test_date_labels_show_uncertainty(start, end, precision, label):
    assert records.date_label(start, end, precision) == label


@pytest.mark.parametrize(
    ("claim", "comparator", "actual", "holds"),
    [
        (54, "more_than", 54.22, True),
        (54, "more_than", 53.9, False),
        (33, "a_bit_over", 33.49, True),
        (33, "a_bit_over", 35.0, False),
        (56, "almost", 55.93, True),
        (56, "almost", 56.1, False),
        (55, "about", 54.2, True),
    ],
)
def test_rounded_claims(claim, comparator, actual, holds):
    assert records.comparator_holds(claim, comparator, actual) is holds


def test_unknown_comparator():
    with pytest.raises(ValueError):
        records.comparator_holds(1, "roughly", 1)


def test_claims_are_checked_against_every_count():
    check = records.claims_check()
    assert len(check) == 12
    assert check["holds"].all()


def test_escalation_sums_weights_per_day():
    ev = pd.DataFrame(
        {
            "mid": [T("2017-10-09"), T("2017-10-09"), T("2017-10-18"), pd.NaT],
            "goldstein": [-9.5, -2.0, 8.0, -5.0],
        }
    )
    per = records.escalation(ev)
    assert per.loc[T("2017-10-09"), "goldstein"] == -11.5
    assert per["cumulative"].iloc[-1] == -3.5
    assert per["events"].sum() == 3


def test_events_carry_links_and_weights():
    ev = records.events(["border"]).set_index("event_id")
    assert ev.at["EV036", "goldstein"] == -9.5
    assert re.search(r"\{ref\}`S001 l\.2[a-z]? <x\d+>`", ev.at["EV036", "sources"])
    assert "{cite:p}`R07`" in ev.at["EV037", "sources"]


def test_accusation_matrix_counts_statements():
    m = records.accusation_matrix()
    assert m.loc["Almazbek Atambayev", "Kazakhstan"] >= 2
    by_country = records.accusation_matrix(by="country")
    assert by_country.to_numpy().sum() == m.to_numpy().sum()


def test_stance_matrix_marks_silent_sources():
    s = records.stance_matrix(["russia_stance_2017"])
    assert s.loc["S000", "russia_stance_2017"] == "abstained"
    assert s.loc["S002", "russia_stance_2017"] == ""


def test_shares_by_stage_are_ordered():
    shares = records.shares_by_stage()
    assert list(shares["stage"].cat.categories) == records.STAGE_ORDER
    assert shares["stage"].is_monotonic_increasing


def test_quantity_labels():
    q = load.table("quantities").set_index("quantity_id")
    assert records.quantity_label(q.loc["Q004"]) == "over 100 people"
    assert records.quantity_label(q.loc["Q039"]) == "1,257.07 km"


def test_records_by_reference():
    r = records.records(["events:EV036", "assessments:AS001"])
    assert list(r["record_id"]) == ["EV036", "AS001"]
    ev = load.evidence("events")
    mine = ev.loc[(ev["record_id"] == "EV036") & (ev["source_id"] == "S001"), "evidence_id"]
    for eid in mine:
        assert f"<{links.quote_anchor(eid)}>`" in r.loc[0, "sources"]
    with pytest.raises(KeyError, match="EV999"):
        records.records(["events:EV999"])


def test_links_to_source_pages_and_lines():
    assert links.page_link("S002") == "{ref}`S002 <s002>`"
    assert links.line_link("S001", 2) == "{ref}`S001 l.2 <s001-l2>`"


def test_links_to_quotes():
    assert links.quote_anchor("X0042") == "x0042"
    assert links.quote_link("S000", 54, "X0042") == "{ref}`S000 l.54 <x0042>`"
    assert links.quote_link("S000", 54, "X0042", "b") == "{ref}`S000 l.54b <x0042>`"


def test_evidence_links_point_at_each_quote():
    ev = load.evidence("assessments")
    quoted = ev[ev["quote"].notna()]
    per_line = quoted.groupby(["record_id", "source_id", "line"]).size()
    (record, sid, line) = per_line[per_line > 1].index[0]
    text = links.evidence_links("assessments")[record]
    mine = quoted[(quoted["record_id"] == record) & (quoted["source_id"] == sid)]
    for eid in mine["evidence_id"]:
        assert f"<{links.quote_anchor(eid)}>" in text
    # two quotes of one record on one line are told apart
    assert f"{sid} l.{line}a <" in text and f"{sid} l.{line}b <" in text


def test_corpus_describes_each_seed():
    from kgkz.analysis import summary

    c = summary.corpus()
    assert list(c.index) == ["S000", "S001", "S002", "S003", "S004"]
    assert c.loc["S000", "published"] == "15 Oct 2017"
    assert c.loc["S001", "published"] == "unknown"
    assert c["quotes used"].sum() == load.table("evidence")["quote"].notna().sum()


def test_a_claim_is_worded_as_the_source_words_it():
    el = load.table("election_2017").set_index("result_id")
    assert records.claim_label(el.loc["EL001"]) == "over 54%"
    assert records.claim_label(el.loc["EL003"]) == "almost 56%"


def test_one_of_a_unit_is_singular():
    assert records.unit_for(1, "trucks per hour") == "truck per hour"
    assert records.unit_for(2, "trucks per hour") == "trucks per hour"
    assert records.unit_for(1, "terms") == "term"
    assert records.unit_for(1, "km") == "km"
