"""Small phrases the chapters' prose is built from, right for any number: a count with
its noun, a list of items, who a disagreement sets against whom."""

from __future__ import annotations

from collections.abc import Iterable


def count_phrase(n: int, one: str, many: str | None = None, none: str = "no") -> str:
    """``n`` with its noun: "no question", "1 question", "3 questions"."""
    many = many or one + "s"
    if n == 0:
        return f"{none} {one}"
    return f"{n:,} {one if n == 1 else many}"


def listing(items: Iterable[str], none: str = "none") -> str:
    """Items as a phrase: "S000, S001 and S002"; ``none`` when there are none."""
    items = list(items)
    if len(items) > 1:
        return ", ".join(items[:-1]) + " and " + items[-1]
    return items[0] if items else none


BETWEEN = {  # the sides of a disagreement (compare.pairs), as readers should see them
    "source–source": "two sources",
    "source–report": "a source and a report",
    "report–report": "two reports",
    "within one source": "one source and itself",
}
