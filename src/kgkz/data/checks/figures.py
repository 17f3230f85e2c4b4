"""A figure taken from a seed stands in its quote, written as the seed writes it: in
digits ("1,257.07", "100 000"), in words ("eleven", "fifty-nine", "tens of thousands",
"a billionaire"), after a comparator ("over 54%", "a bit over 33%", "almost 56%") or as
a fraction in words ("a month and a half" = 1.5; "half-hour" = 30 minutes). Where the
quote puts a comparator before the figure, the record's comparator is that one."""

import math
import re
from collections import defaultdict

from .dataset import Dataset, Problem

UNITS = "one two three four five six seven eight nine".split()
TEENS = "ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen"
TENS = "twenty thirty forty fifty sixty seventy eighty ninety".split()
WORDS = {w: i + 1.0 for i, w in enumerate(UNITS + TEENS.split())} | {
    w: 20.0 + 10 * i for i, w in enumerate(TENS)
}
WORDS |= {"half": 0.5, "dozens": 12.0, "tens": 10.0, "hundreds": 1e2, "thousands": 1e3}
SCALES = {"hundred": 1e2, "thousand": 1e3, "million": 1e6, "billion": 1e9}
COMPARATORS = {
    "a bit over": "a_bit_over",
    "more than": "more_than",
    "over": "more_than",
    "at least": "at_least",
    "almost": "almost",
    "nearly": "almost",
    "about": "about",
    "around": "about",
}


def _any(words) -> str:
    return "|".join(sorted(words, key=len, reverse=True))


NUMBER = re.compile(
    rf"(?<![\w.,])(?:(?P<digits>\d{{1,3}}(?:[,\s]\d{{3}})+(?:\.\d+)?|\d+(?:\.\d+)?)"
    rf"|(?P<word>{_any(WORDS)})(?:-(?P<unit>{_any(UNITS)}))?|(?P<a>an?)(?=\s+\w+\s+and a half)"
    rf"|(?P<aire>{_any(SCALES)})aires?)"
    rf"(?:\s+(?:of\s+)?(?P<scale>{_any(SCALES)})s?)?(?P<half>(?:\s+\w+)?\s+and a half)?(?!\w)"
)
COMPARATOR = re.compile(rf"(?<!\w)(?:{_any(COMPARATORS)})\s+$")


def figures(quote: str) -> dict[float, set[str]]:
    """Every figure the quote states, with the comparators written before it ("exact"
    where none)."""
    text = quote.lower()
    found: dict[float, set[str]] = defaultdict(set)
    for m in NUMBER.finditer(text):
        if m["digits"]:
            value = float(re.sub(r"[,\s]", "", m["digits"]))
        else:
            value = WORDS.get(m["word"], 1.0) + (WORDS[m["unit"]] if m["unit"] else 0)
        before = COMPARATOR.search(text, 0, m.start())
        said = COMPARATORS[before[0].strip()] if before else "exact"
        scale = SCALES.get(m["scale"] or m["aire"] or "", 1)
        for v in {value, value * scale, value + 0.5 if m["half"] else value}:
            found[v].add(said)
    return found


def check(ds: Dataset):
    evidence, sources = ds.tables.get("evidence"), ds.tables.get("sources")
    if evidence is None or sources is None:
        return
    seeds = {r["source_id"] for r in sources.rows if r["kind"] == "seed"}
    quotes = defaultdict(list)
    for row in evidence.rows:
        if row["source_id"] in seeds and row["quote"]:
            quotes[row["table"], row["record_id"]].append(row["quote"])
    for table, column in ds.fields("number"):
        for line, row in table:
            texts, value = quotes.get((table.name, table.id(row))), row[column]
            if column != "value" or not texts or value is None:
                continue
            said = set()
            for quote in texts:
                hours = row.get("unit") == "minutes" and "hour" in quote
                for v, comparators in figures(quote).items():
                    if math.isclose(v * (60 if hours else 1), value):
                        said |= comparators
            if not said:
                message = f"{value:.12g} is not in its quote: '{texts[0][:80]}'"
                yield Problem(table.file, line, column, message)
            elif "exact" not in said and row.get("comparator") not in said:
                message = f"'{row.get('comparator')}' but the quote says {', '.join(sorted(said))}"
                yield Problem(table.file, line, "comparator", message)
