"""Where a quote stands in a text (shared by the loader and the build's dependency key,
which must not pay for importing pandas)."""

from __future__ import annotations

from collections.abc import Sequence


def first_line_with(lines: Sequence[str], quote: str) -> int:
    """The 1-based number of the first line holding ``quote``, or 0."""
    return next((n for n, line in enumerate(lines, start=1) if quote in line), 0)
