"""The Russia chapter's computations, and the claims its figure titles make, checked
against the data with the functions the chapter itself calls."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import pytest

from kgkz.analysis import compare, links, russia
from kgkz.data import load
from kgkz.render import notes, publish

D = pd.Timestamp
CHAPTER = Path(__file__).resolve().parents[1] / "book" / "russia.ipynb"


# ----------------------------------------------------------------------------- actors, events
def test_russian_actors_are_read_from_the_actors_table():
    actors = load.table("actors")
    assert set(russia.russian_actors()) == set(
        actors.loc[actors["country"] == "Russia", "actor_id"]
    )
    assert "russia" in russia.russian_actors()
    assert len(russia.russian_names()) == len(russia.russian_actors())


def test_the_chapter_takes_every_event_that_involves_russia_and_no_other():
    events = russia.involving()
    ours = set(russia.russian_actors())
    for _, ev in events.iterrows():
        assert ev["actor_id"] in ours or ev["target_id"] in ours or ev["phase"] == "russia"
    everything = load.table("events")
    outside = everything[~everything["event_id"].isin(events["event_id"])]
    assert not outside["actor_id"].isin(ours).any()
    assert not outside["target_id"].isin(ours).any()
    assert (outside["phase"] != "russia").all()


@pytest.mark.parametrize(
    "code, means",
    [
        ("010", "verbal cooperation"),
        ("0212", "verbal cooperation"),
        ("057", "material cooperation"),
        ("071", "material cooperation"),
        ("120", "verbal conflict"),
        ("130", "verbal conflict"),
        ("166", "material conflict"),
        ("170", "material conflict"),
        (None, None),
    ],
)
def test_cameo_quad_classes(code, means):
    assert russia.quad(code) == means


# ----------------------------------------------------------------------------- timeline
def test_the_timeline_title_claims_hold():
    """'Russia's dated acts were material in ..., in words only in ...': each year named
    as material has a material act by Russia dated within it; each year named as words
    only has an act in words and no material act that could fall in it; and every
    material year comes before every year of words only, as the chapter's prose says."""
    acts = russia.directed(russia.involving())
    title = russia.means_title(acts)
    material, words = russia.material_and_verbal_years(acts)
    assert material and words
    own = acts[acts["direction"] == "by Russia"]
    for year in material:
        assert str(year) in title
        assert ((own["year"] == year) & ~own["verbal"]).any()
    for year in words:
        assert str(year) in title
        assert ((own["year"] == year) & own["verbal"]).any()
        lo, hi = D(year, 1, 1), D(year, 12, 31)
        overlaps = (own["date_start"] <= hi) & (own["date_end"] >= lo)
        assert own.loc[overlaps, "verbal"].all(), year
    assert max(material) < min(words)


def test_a_material_act_that_may_fall_in_a_year_denies_it_words_only():
    frame = pd.DataFrame(
        {
            "actor_id": ["russia", "russia", "russia"],
            "target_id": ["kyrgyzstan"] * 3,
            "cameo_code": ["120", "071", "042"],
            "date_start": [D("2017-10-10"), D("2017-06-01"), D("2019-07-24")],
            "date_end": [D("2017-10-10"), D("2018-06-01"), D("2019-07-24")],
            "phase": ["russia"] * 3,
        }
    )
    acts = russia.directed(frame)
    assert russia.material_and_verbal_years(acts) == ([], [2019])
    assert russia.means_title(acts) == "Russia's dated acts were in words only in 2019"


def test_asks_are_appeals_addressed_to_russia_in_the_year():
    acts = russia.directed(russia.involving())
    year = russia.source_years().min()
    asks = russia.asks(acts, year)
    assert len(asks) > 0
    assert asks["target_id"].isin(russia.russian_actors()).all()
    assert asks["cameo_code"].str.startswith("02").all()
    assert (asks["year"] == year).all()


# ----------------------------------------------------------------------------- judgements
def test_the_judgement_title_counts_the_sources_behind_each_question():
    counts = russia.judgement_counts()
    title = russia.judgement_title(counts)
    judged = (counts > 0).sum()
    for label, n in judged.items():
        assert f"{n} " in title and label in title
    silent = counts.index[counts.sum(axis=1) == 0]
    for source in silent:
        assert source in title and "none" in title
    assert set(counts.index) == set(load.seed_ids())


def test_the_judgements_on_2017_are_not_all_alike():
    """The chapter says the sources differ on Russia's 2017 stance."""
    j = russia.judgements()
    positions = j.loc[j["question"] == "russia_stance_2017", "position"]
    assert positions.nunique() > 1
    assert russia.stance_readings().sum() == positions.nunique()


# ----------------------------------------------------------------------------- mentions
def test_the_mentions_title_claims_hold():
    """'Russia draws x% ... in the 2019 source, at most y% in a 2017 one'."""
    shares, years = russia.mention_shares(), russia.source_years()
    title = russia.mentions_title(shares, years)
    late = shares[years == years.max()]
    early = shares[years < years.max()]
    assert late.max() > early.max()
    assert f"{late.max():.0f}%" in title and f"{early.max():.0f}%" in title
    assert str(years.max()) in title


# ----------------------------------------------------------------------------- public record
def _markdown_cites() -> set[str]:
    nb = json.loads(CHAPTER.read_text(encoding="utf-8"))
    text = "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown")
    return russia.cited_by(text)


def test_every_report_that_bears_on_the_chapter_is_cited():
    """In the prose, or through the evidence links of the events the chapter tables (all
    the events that involve Russia)."""
    events = russia.involving()
    tabled = links.evidence_links("events").reindex(events["event_id"]).dropna()
    cited = _markdown_cites() | russia.cited_by("; ".join(tabled))
    missing = [r for r in russia.reports() if r not in cited]
    assert missing == []


def test_reports_of_the_russia_topic_bear_on_the_chapter():
    pr = load.table("public_record")
    topical = set(pr.loc[pr["topic"] == "russia_context", "ref_id"])
    assert topical <= set(russia.reports())


# ----------------------------------------------------------------------------- register
@pytest.fixture
def answered(project, monkeypatch):
    """A copy of the dataset with no questions and answers but those the test sets; the
    loaders read it while the test runs."""

    def clear():
        load.datapackage.cache_clear()
        load._table.cache_clear()
        load.seed_lines.cache_clear()

    for name in ("questions", "answers"):  # no questions but those a test adds
        path = project / "data" / f"{name}.csv"
        path.write_text(path.read_text(encoding="utf-8").splitlines()[0] + "\n", "utf-8")
    monkeypatch.setenv("KGKZ_ROOT", str(project))
    clear()
    yield project
    clear()  # the next test reads the dataset again, from the restored root


QUESTIONS = """\
QU901,date,russia,When did Karasin turn down a second Russian base?,,
QU902,place,russia,Where did the Sochi summit of October 2017 meet?,,
"""
ANSWERS = """\
QU901,S001,events,EV047,,,,,2017-10-15,2017-12-01,,,
QU901,R56,events,EV260,,,,,2017-10-10,2017-10-10,,,
QU901,R59,events,EV047,,,,,2017-12-01,2017-12-31,,,
QU902,S000,events,EV032,Sochi,,,,,,,,
QU902,S001,events,EV041,Sochi,,,,,,,,
"""


def _add(root, questions: str, answers: str) -> None:
    for name, rows in (("questions", questions), ("answers", answers)):
        path = root / "data" / f"{name}.csv"
        path.write_text(path.read_text(encoding="utf-8") + rows, encoding="utf-8")


def test_the_register_and_corrections_read_well_with_none(answered):
    register, corrections = compare.register(["russia"]), compare.corrections(["russia"])
    assert register.empty and corrections.empty
    assert russia.register_sentence(register) == "no question has answers that conflict"
    assert "no answer" in russia.corrections_sentence(corrections)
    table = russia.register_table(register)
    assert list(table.columns) == ["question", "answers", "between whom"]
    assert len(table) == 1 and table.iloc[0, 0] == "No question has answers that conflict."
    placed = russia.place_corrections(corrections, {"asks": ["events:EV047"]})
    assert all(frame.empty for frame in placed.values())
    assert notes.corrections_markdown(placed["asks"]) == ""


def test_the_register_and_corrections_read_well_with_rows(answered):
    _add(answered, QUESTIONS, ANSWERS)
    register, corrections = compare.register(["russia"]), compare.corrections(["russia"])
    assert list(register["question_id"]) == ["QU901"]
    sentence = russia.register_sentence(register)
    assert sentence.startswith("1 question has answers that conflict")
    assert "between a source and the public record" in sentence
    table = publish.markdown_table(russia.register_table(register))
    assert "(S001)" in table and "R56" in table and "R59" in table
    assert set(corrections["record"]) == {"events:EV047"}
    assert russia.corrections_sentence(corrections).startswith("the public record corrects")
    placed = russia.place_corrections(
        corrections, {"manas": ["events:EV008"], "asks": ["events:EV260", "events:EV047"]}
    )
    assert placed["manas"].empty and placed["other"].empty
    assert len(placed["asks"]) == len(corrections)
    note = notes.corrections_markdown(placed["asks"])
    assert "When did Karasin turn down a second Russian base?" in note


def test_a_correction_is_placed_once_in_the_first_section_that_uses_its_record():
    corrections = pd.DataFrame({"record": ["events:EV1", "events:EV2", "statements:ST1"]})
    placed = russia.place_corrections(
        corrections, {"a": ["events:EV1"], "b": ["events:EV1", "events:EV2"]}
    )
    assert list(placed["a"]["record"]) == ["events:EV1"]
    assert list(placed["b"]["record"]) == ["events:EV2"]
    assert list(placed["other"]["record"]) == ["statements:ST1"]


def test_the_chapter_runs_with_a_register_of_any_size(answered):
    """The chapter itself, executed on a dataset whose register has rows: it runs, and
    says so in its glued text."""
    nbclient = pytest.importorskip("nbclient")
    import nbformat

    _add(answered, QUESTIONS, ANSWERS)
    nb = nbformat.read(CHAPTER, as_version=4)
    # The kernel inherits KGKZ_ROOT (set by the fixture), so it reads the changed copy.
    nbclient.NotebookClient(
        nb, timeout=180, resources={"metadata": {"path": str(answered)}}
    ).execute()
    outputs = json.dumps([c.get("outputs", []) for c in nb.cells if c.cell_type == "code"])
    assert "1 question has answers that conflict" in outputs
    assert re.search(r"When did Karasin turn down a second Russian base\?", outputs)
