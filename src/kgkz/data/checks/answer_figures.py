"""A figure answer tied to a record with a figure in the same unit agrees with it: the
same figure (or one written with more or fewer digits), or, where the record qualifies its
figure ("more than 2"), a figure the qualification allows. An answer is not a second copy
of the figure that could go stale when the record changes."""

import math

from .dataset import Dataset, Problem

FIGURE_TABLES = ("quantities", "election_2017")


def _decimals(x: float) -> int:
    text = format(x, "g")
    return len(text.split(".")[1]) if "." in text and "e" not in text else 0


def compatible(number: float, value: float, comparator: str) -> bool:
    """Could ``number`` be what a record's ``comparator value`` says?"""
    if comparator in ("exact", None, ""):
        digits = min(_decimals(number), _decimals(value))
        scale = 10.0**digits
        cut = lambda x: math.floor(x * scale + 1e-9) / scale  # noqa: E731
        return round(number, digits) == round(value, digits) or cut(number) == cut(value)
    step = 10.0 ** -_decimals(value)
    low, high = {
        "more_than": (value, math.inf),
        "at_least": (value, math.inf),
        "almost": (value - step, value),
        "a_bit_over": (value, value + step),
        "about": (value - step, value + step),
    }.get(comparator, (-math.inf, math.inf))
    return low <= number <= high


def check(ds: Dataset):
    answers, questions = ds.tables.get("answers"), ds.tables.get("questions")
    if answers is None or questions is None:
        return
    units = {r["question_id"]: r.get("unit") for r in questions.rows if r["kind"] == "figure"}
    for line, row in answers:
        table = ds.tables.get(row["table"])
        if row["question_id"] not in units or row["table"] not in FIGURE_TABLES or table is None:
            continue
        record = table.by_id.get(row["record_id"])
        if record is None or record.get("unit") != units[row["question_id"]]:
            continue
        if row.get("number") is None or record.get("value") is None:
            continue
        number, value = float(row["number"]), float(record["value"])
        if (row.get("comparator") or "exact") == "exact" and not compatible(
            number, value, record.get("comparator")
        ):
            yield Problem(
                answers.file,
                line,
                "number",
                f"{number:g} does not agree with the figure of {row['table']}:"
                f"{row['record_id']} ({record.get('comparator')} {value:g})",
            )
