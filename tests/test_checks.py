"""Each of the project's own rules (kgkz.data.checks) on a few rows made for it."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest

from kgkz.data import load
from kgkz.data.checks import (
    aliases,
    answer_figures,
    answers,
    boilerplate,
    date_precision,
    date_ranges,
    empty_tables,
    evidence_records,
    evidence_required,
    evidence_unique,
    figures,
    iso_dates,
    locators,
    period,
    publication_dates,
    quotes,
    reference_values,
    references,
    seed_files,
    seeds_cited,
    selections,
    sentence_basis,
    sentence_records,
    sentence_split,
    spaces,
)
from kgkz.data.checks.dataset import Dataset, Table

RESOURCES = {r["name"]: r for r in load.datapackage()["resources"]}
D = dt.date


def dataset(seeds: dict[str, str] | None = None, **tables: list[dict]) -> Dataset:
    """The named tables (every column present, None where not given) and the seeds, each
    listed in sources.csv with its hash unless sources is given."""
    seeds = seeds or {}
    if seeds and "sources" not in tables:
        tables["sources"] = [
            {"source_id": s, "kind": "seed", "file": f"{s}.txt", "sha256": _sha(text)}
            for s, text in seeds.items()
        ]
    made = {}
    for name, rows in tables.items():
        schema = RESOURCES[name]["schema"]
        full = [{f["name"]: row.get(f["name"]) for f in schema["fields"]} for row in rows]
        made[name] = Table(name, full, tuple(load.key(name)))
    files = {f"{s}.txt": text.encode() for s, text in seeds.items()}
    return Dataset(made, RESOURCES, files)


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def found(rule, ds: Dataset) -> list[tuple]:
    return [(p.file, p.row, p.column, p.message) for p in rule.check(ds)]


SEED = "Astana sealed the border. Trucks queued.\nSkip to content\n  4. Free the prisoners."


def test_empty_tables():
    assert found(empty_tables, dataset(cameo=[])) == [
        ("data/cameo.csv", None, None, "table is empty (no data rows)")
    ]
    assert found(empty_tables, dataset(cameo=[{"code": "010"}])) == []


def test_spaces():
    ds = dataset(actors=[{"actor_id": "putin", "name": "Putin "}])
    assert found(spaces, ds) == [
        ("data/actors.csv", 2, "name", "'Putin ' has leading or trailing spaces")
    ]


def test_iso_dates():
    ds = dataset(events=[{"date_start": D(2017, 1, 5)}])
    ds.tables["events"].raw[0]["date_start"] = "2017-1-5"
    assert found(iso_dates, ds) == [
        ("data/events.csv", 2, "date_start", "'2017-1-5' is not a date (YYYY-MM-DD)")
    ]


def test_period():
    ds = dataset(events=[{"date_start": D(2017, 1, 1)}, {"date_end": D(2027, 10, 15)}])
    (p,) = found(period, ds)
    assert p[1:3] == (3, "date_end") and "outside the period" in p[3]


def test_date_ranges():
    ds = dataset(
        events=[{"date_start": D(2017, 10, 18), "date_end": D(2017, 10, 17)}],
        sources=[{"date_earliest": D(2017, 1, 2), "date_latest": D(2017, 1, 1)}],
    )
    assert [p[:3] for p in found(date_ranges, ds)] == [
        ("data/events.csv", 2, "date_end"),
        ("data/sources.csv", 2, "date_latest"),
    ]


@pytest.mark.parametrize(
    "start, end, precision, column",
    [
        (D(2017, 10, 15), D(2017, 10, 15), "day", None),
        (D(2017, 10, 15), D(2017, 10, 16), "day", "date_end"),
        (D(2011, 12, 1), D(2012, 9, 30), "month", None),
        (D(2017, 10, 2), D(2017, 10, 31), "month", "date_end"),
        (D(2017, 2, 1), D(2017, 2, 27), "month", "date_end"),
        (D(2010, 1, 1), D(2010, 12, 31), "year", None),
        (D(2010, 1, 1), D(2010, 12, 30), "year", "date_end"),
        (D(2017, 9, 19), D(2017, 9, 21), "approximate", None),
        (None, None, "undated", None),
        (D(2017, 1, 1), None, "undated", "date_start"),
        (D(2017, 1, 1), None, "approximate", "date_end"),
    ],
)
def test_date_precision(start, end, precision, column):
    row = {"date_start": start, "date_end": end, "date_precision": precision}
    columns = [p[2] for p in found(date_precision, dataset(events=[row]))]
    assert columns == ([column] if column else [])


def test_date_precision_of_a_single_date():
    rows = [{"as_of": D(2017, 1, 1), "as_of_precision": "undated"}, {"as_of_precision": "day"}]
    assert [p[1:] for p in found(date_precision, dataset(quantities=rows))] == [
        (2, "as_of", "an undated record has dates"),
        (3, "as_of", "date is missing (use precision 'undated')"),
    ]


@pytest.mark.parametrize(
    "published, precision, earliest, latest, bad",
    [
        (D(2017, 10, 16), "day", D(2017, 10, 16), D(2017, 10, 16), False),
        (D(2017, 10, 1), "month", D(2017, 10, 1), D(2017, 10, 31), False),
        (D(2017, 10, 1), "month", D(2017, 10, 1), D(2017, 11, 30), True),
        (D(2019, 1, 1), "year", D(2019, 1, 1), D(2019, 12, 31), False),
        (D(2019, 3, 1), "year", D(2019, 1, 1), D(2019, 12, 31), True),
        (None, "unknown", D(2017, 10, 18), None, False),
        (D(2017, 10, 18), "unknown", None, None, True),
    ],
)
def test_publication_dates(published, precision, earliest, latest, bad):
    row = {"published": published, "date_precision": precision}
    row |= {"date_earliest": earliest, "date_latest": latest}
    assert bool(found(publication_dates, dataset(sources=[row]))) == bad


def test_seed_files():
    ds = dataset(seeds={"S000": SEED, "S001": "x"})
    ds.seed_files["S000.txt"] = b"changed"
    ds.seed_files["extra.txt"] = b""
    del ds.seed_files["S001.txt"]
    assert [p[2:] for p in found(seed_files, ds)] == [
        ("sha256", f"seeds/S000.txt has changed: its sha256 is {_sha('changed')}, "
                   f"the manifest says {_sha(SEED)}"),
        ("file", "seed file 'S001.txt' is missing"),
        (None, "seed file is not in sources.csv"),
    ]  # fmt: skip


def test_references():
    report = {"ref_id": "R01", "outlet": "RFE/RL", "url": "https://x"}
    ds = dataset(
        sources=[
            {"source_id": "R01", "kind": "reference", "outlet": "RFE", "url": "https://x"},
            {"source_id": "R02", "kind": "reference"},
        ],
        public_record=[report],
    )
    assert [p[1:] for p in found(references, ds)] == [
        (2, "outlet", "'RFE' differs from public_record.csv ('RFE/RL')"),
        (3, "source_id", "reference 'R02' is not in public_record.csv"),
    ]


def test_boilerplate():
    rows = [{"source_id": "S000", "first_line": 2, "last_line": 3}]
    rows += [{"source_id": "S000", "first_line": 3, "last_line": 4}]
    (p,) = found(boilerplate, dataset(seeds={"S000": SEED}, boilerplate=rows))
    assert p[1:] == (3, "last_line", "lines 3-4 do not fit in a seed of 3 lines")


def test_aliases():
    rows = [{"alias": "Astana", "actor_id": "kazakhstan"}, {"alias": "Astanna"}]
    assert found(aliases, dataset(seeds={"S000": SEED}, aliases=rows)) == [
        ("data/aliases.csv", 3, "alias", "'Astanna' occurs in no seed")
    ]


def test_quotes():
    rows = [
        {"source_id": "S000", "quote": "Astana sealed the border."},
        {"source_id": "S000", "quote": "Astana closed the border."},
        {"source_id": "S000", "quote": "Trucks queued. Skip to content"},
        {"source_id": "S000", "locator": "border"},
    ]
    assert [p[1:3] for p in found(quotes, dataset(seeds={"S000": SEED}, evidence=rows))] == [
        (3, "quote"),
        (4, "quote"),
        (5, "locator"),
        (5, "quote"),
    ]


@pytest.mark.parametrize(
    "quote, value, said",
    [
        ("a lake of 1,257.07 hectares", 1257.07, "exact"),
        ("100 000 people", 100000, "exact"),
        ("eleven candidates", 11, "exact"),
        ("narrowed from fifty-nine", 59, "exact"),
        ("only one six-year term", 6, "exact"),
        ("who received over 54% of the votes", 54, "more_than"),
        ("Babanov took a bit over 33%", 33, "a_bit_over"),
        ("The turnout was almost 56%.", 56, "almost"),
        ("more than 100 smugglers", 100, "more_than"),
        ("for a month and a half", 1.5, "exact"),
        ("measured in tens of thousands of tons", 10000, "exact"),
        ("for $ 2 billion", 2, "exact"),
        ("for $ 2 billion", 2e9, "exact"),
        ("he became a billionaire", 1, "exact"),
    ],
)
def test_figures_reads_the_ways_sources_write_numbers(quote, value, said):
    assert said in figures.figures(quote)[value]


def test_figures_does_not_read_numbers_inside_words():
    assert set(figures.figures("someone often attended")) == set()


def _quantity(value, comparator="exact", unit="candidates", quote="narrowed from 59 to 11"):
    q = {"quantity_id": "Q014", "value": value, "comparator": comparator, "unit": unit}
    ev = {"table": "quantities", "record_id": "Q014", "source_id": "S000", "quote": quote}
    return dataset(seeds={"S000": SEED}, quantities=[q], evidence=[ev])


def test_a_figure_must_stand_in_its_quote():
    assert found(figures, _quantity(59)) == []
    assert found(figures, _quantity(60)) == [
        ("data/quantities.csv", 2, "value", "60 is not in its quote: 'narrowed from 59 to 11'")
    ]


def test_a_figure_keeps_the_quotes_comparator():
    assert found(figures, _quantity(54, "more_than", "percent", "over 54%")) == []
    assert found(figures, _quantity(54, "exact", "percent", "over 54%")) == [
        ("data/quantities.csv", 2, "comparator", "'exact' but the quote says more_than")
    ]


def test_half_an_hour_is_thirty_minutes():
    assert found(figures, _quantity(30, "almost", "minutes", "an almost half-hour speech")) == []


def test_figures_from_the_public_record_are_not_in_quotes():
    ds = _quantity(60)
    ds.tables["evidence"].rows[0] |= {"source_id": "R01", "quote": None}
    assert found(figures, ds) == []


def _reference(locator="loaded trucks stuck", quote=None):
    ev = {"table": "quantities", "record_id": "Q024", "source_id": "R08"}
    return dataset(
        sources=[{"source_id": "R08", "kind": "reference"}],
        public_record=[{"ref_id": "R08", "measure": "loaded trucks stuck", "value": "700"}],
        quantities=[{"quantity_id": "Q024", "value": 700.0}],
        evidence=[ev | {"locator": locator, "quote": quote}],
    )


def test_locators():
    assert found(locators, _reference()) == []
    assert found(locators, _reference("stuck lorries")) == [
        (
            "data/evidence.csv",
            2,
            "locator",
            "public_record.csv has no row for R08 with measure 'stuck lorries'",
        )
    ]
    assert [p[2] for p in found(locators, _reference(quote="700 trucks"))] == ["quote"]


def test_reference_values():
    assert found(reference_values, _reference()) == []
    ds = _reference()
    ds.tables["quantities"].rows[0]["value"] = 800.0
    assert found(reference_values, ds) == [
        (
            "data/evidence.csv",
            2,
            "locator",
            "quantities value 800 disagrees with public_record.csv (R08, 'loaded trucks stuck')",
        )
    ]


def test_reference_values_scale_millions_and_read_the_note():
    report = {"ref_id": "R01", "measure": "debt", "value": "1.5", "unit": "million USD"}
    assert reference_values._agrees(1.5e6, report | {"note": None})
    assert reference_values._agrees(3.0, {"value": "", "unit": "", "note": "3 of 4"})


def test_reference_dates_contain_the_reports_date():
    report = {"ref_id": "R02", "measure": "visit", "value": "2019-07-24", "unit": "date"}
    event = {"event_id": "EV060", "date_start": D(2019, 7, 25), "date_end": D(2019, 7, 26)}
    ev = {"table": "events", "record_id": "EV060", "source_id": "R02", "locator": "visit"}
    ds = dataset(public_record=[report], events=[event], evidence=[ev])
    (p,) = found(reference_values, ds)
    assert p[2] == "locator" and "disagree with public_record.csv (R02: 2019-07-24)" in p[3]


def test_evidence_records():
    evidence = [{"table": "events", "record_id": r} for r in ("EV045", "EV999")]
    ds = dataset(events=[{"event_id": "EV045"}], evidence=evidence)
    assert found(evidence_records, ds) == [
        ("data/evidence.csv", 3, "record_id", "no record 'EV999' in events.csv")
    ]


def test_evidence_of_a_table_that_is_not_valid_is_not_judged():
    ds = dataset(evidence=[{"table": "events", "record_id": "EV999"}])
    assert found(evidence_records, ds) == []


def test_evidence_counted_twice():
    row = {"table": "events", "record_id": "EV001", "source_id": "R1", "locator": "a measure"}
    ds = dataset(
        evidence=[
            {"evidence_id": "X1", **row},
            {"evidence_id": "X2", **row, "locator": "another measure"},
            {"evidence_id": "X3", **row},
        ]
    )
    assert found(evidence_unique, ds) == [
        (
            "data/evidence.csv",
            4,
            "evidence_id",
            "the same evidence as X1 (same record, source and words)",
        )
    ]


def test_evidence_required_is_read_from_the_package():
    ds = dataset(
        events=[{"event_id": "EV001"}, {"event_id": "EV002"}],
        cameo=[{"code": "010"}],
        evidence=[{"table": "events", "record_id": "EV001"}],
    )
    assert found(evidence_required, ds) == [
        ("data/events.csv", 3, "event_id", "record 'EV002' has no evidence in evidence.csv")
    ]
    ds.resources = {**RESOURCES, "events": RESOURCES["events"] | {"x-evidence-required": False}}
    assert found(evidence_required, ds) == []


def test_evidence_required_names_records_by_a_composite_key():
    ds = dataset(sentences=[{"source_id": "S000", "line": 1, "n": 2}], evidence=[])
    ds.resources = {**RESOURCES, "sentences": {"x-evidence-required": True}}
    assert found(evidence_required, ds) == [
        (
            "data/sentences.csv",
            2,
            "source_id, line, n",
            "record 'S000, 1, 2' has no evidence in evidence.csv",
        )
    ]


def test_seeds_cited():
    ds = dataset(seeds={"S000": SEED, "S001": "x"}, evidence=[{"source_id": "S000"}])
    assert found(seeds_cited, ds) == [
        ("data/sources.csv", 3, "source_id", "seed S001 is never cited as evidence")
    ]


def test_sentence_records():
    ds = dataset(events=[{"event_id": "EV036"}], sentences=[{"records": "events:EV036;events:EV1"}])
    assert found(sentence_records, ds) == [
        ("data/sentences.csv", 2, "records", "'events:EV1' names no record")
    ]


@pytest.mark.parametrize(
    "basis, records, note, column",
    [
        ("supports", "events:EV001", None, None),
        ("supports", None, None, "records"),
        ("metadata", None, None, "records"),
        ("rhetoric", None, None, None),
        ("site_furniture", "events:EV001", None, "records"),
        ("out_of_scope", None, "the weather", None),
        ("out_of_scope", None, None, "note"),
        (None, None, None, None),
    ],
)
def test_sentence_basis(basis, records, note, column):
    row = {"basis": basis, "records": records, "note": note}
    assert [p[2] for p in found(sentence_basis, dataset(sentences=[row]))] == (
        [column] if column else []
    )


def _sentences(*rows):
    boiler = [{"source_id": "S000", "first_line": 2, "last_line": 2}]
    rows = [{"source_id": s, "line": line, "n": n, "text": t} for s, line, n, t in rows]
    return dataset(seeds={"S000": SEED}, boilerplate=boiler, sentences=rows)


SPLIT = [
    ("S000", 1, 1, "Astana sealed the border."),
    ("S000", 1, 2, "Trucks queued."),
    ("S000", 3, 1, "4. Free the prisoners."),
]


def test_sentences_are_the_seeds_split():
    assert found(sentence_split, _sentences(*SPLIT)) == []


def test_a_sentence_that_is_not_the_seeds():
    rows = [SPLIT[0], ("S000", 1, 2, "Trucks waited."), SPLIT[2]]
    assert found(sentence_split, _sentences(*rows)) == [
        ("data/sentences.csv", 3, "text", "not the sentence of the seed: 'Trucks queued.'")
    ]


def test_sentences_missing_extra_or_out_of_order():
    rows = [SPLIT[1], SPLIT[0], ("S000", 2, 1, "Skip to content")]
    assert [p[1:3] for p in found(sentence_split, _sentences(*rows))] == [
        (3, None),  # out of order
        (4, "n"),  # a boilerplate line has no sentences
        (None, None),  # line 3 has no row
    ]


def test_sentences_of_a_source_that_is_not_a_seed():
    (p,) = found(sentence_split, _sentences(*SPLIT, ("R01", 1, 1, "x")))
    assert p[1:] == (5, "source_id", "'R01' is not a seed")


def test_answers():
    ds = dataset(
        events=[{"event_id": "EV024"}],
        evidence=[{"table": "events", "record_id": "EV024", "source_id": "S002"}],
        questions=[
            {"question_id": "QU001", "kind": "place"},
            {"question_id": "QU002", "kind": "date"},
        ],
        answers=[
            {
                "question_id": "QU001",
                "source_id": "S002",
                "table": "events",
                "record_id": "EV024",
                "value": "Astana",
            },
            {
                "question_id": "QU001",
                "source_id": "R39",
                "table": "events",
                "record_id": "EV024",
                "value": "Almaty",
            },
            {
                "question_id": "QU001",
                "source_id": "S002",
                "table": "events",
                "record_id": "EV999",
                "value": "x",
            },
            {"question_id": "QU002", "source_id": "S002", "table": "events", "record_id": "EV024"},
        ],
    )
    assert [p[1:3] for p in found(answers, ds)] == [
        (3, "source_id"),
        (4, "record_id"),
        (5, "date_start"),
        (5, "date_end"),
    ]


def test_selections():
    ds = dataset(
        events=[{"event_id": "EV024"}],
        selections=[
            {"chapter": "border", "key": "meeting", "table": "events", "record_id": "EV024"},
            {"chapter": "border", "key": "meeting", "table": "events", "record_id": "EV999"},
        ],
    )
    assert found(selections, ds) == [
        ("data/selections.csv", 3, "record_id", "'events:EV999' names no record")
    ]


def test_answer_figures():
    ds = dataset(
        quantities=[{"quantity_id": "Q1", "value": 2.0, "comparator": "more_than", "unit": "bn"},
                    {"quantity_id": "Q2", "value": 33.49, "comparator": "exact", "unit": "%"}],
        questions=[{"question_id": "QU1", "kind": "figure", "unit": "bn"},
                   {"question_id": "QU2", "kind": "figure", "unit": "%"}],
        answers=[
            {"question_id": "QU1", "table": "quantities", "record_id": "Q1", "number": 2.15},
            {"question_id": "QU2", "table": "quantities", "record_id": "Q2", "number": 33.49},
            {"question_id": "QU2", "table": "quantities", "record_id": "Q2", "number": 33.5},
            {"question_id": "QU2", "table": "quantities", "record_id": "Q2", "number": 33.57},
        ],
    )  # fmt: skip
    assert [p[1:3] for p in found(answer_figures, ds)] == [(5, "number")]
