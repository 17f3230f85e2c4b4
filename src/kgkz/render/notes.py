"""Notes a reader meets where a claim is used: the public record's corrections."""

from __future__ import annotations

import pandas as pd

from ..data import load


def _question(qid: str) -> str:
    return load.table("questions").set_index("question_id").at[qid, "question"]


def corrections_markdown(frame: pd.DataFrame, title: str | None = None) -> str:
    """A clearly marked note listing each correction: the question, what the source says
    (and in which record), what the report says, with citations to both."""
    if frame.empty:
        return ""
    items = []
    for _, r in frame.iterrows():
        verb = "contradicts" if r["correction"] == "contradicts" else "is more precise than"
        items.append(
            f"- **{_question(r['question_id'])}** {r['source']} says *{r['source says']}* "
            f"({r['record']}); {r['report']} says *{r['report says']}*, which {verb} it "
            f"{{cite:p}}`{r['source']},{r['report']}`."
        )
    heading = title or "The public record corrects the sources here"
    return ":::{admonition} " + heading + "\n:class: warning\n\n" + "\n".join(items) + "\n:::\n"
