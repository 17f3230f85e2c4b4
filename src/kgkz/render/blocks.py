"""MyST blocks the chapters glue: the register as a numbered table, the public record's
corrections of the records a section uses as a note."""

from __future__ import annotations

import pandas as pd

from ..analysis.election import register_table
from . import notes
from .publish import markdown_table


def register_block(reg: pd.DataFrame, label: str, caption: str) -> str:
    """MyST for the register: a numbered table when it has rows; empty when it has none
    (the chapter says so in its glued count)."""
    if reg.empty:
        return ""
    table = markdown_table(register_table(reg), raw=["answers, and who gives them"])
    return f":::{{table}} {caption}\n:name: {label}\n\n{table}\n:::\n"


def corrections_note(corr: pd.DataFrame, refs: list[str] | None = None) -> str:
    """The public record's corrections of the records ``refs`` (all, if None), as a note;
    empty when there are none."""
    if refs is not None:
        corr = corr[corr["record"].isin(refs)]
    return notes.corrections_markdown(corr)
