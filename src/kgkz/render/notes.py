"""Notes a reader meets where a claim is used: the public record's corrections."""

from __future__ import annotations

import pandas as pd

from ..analysis.prose import listing
from ..data import load


def _question(qid: str) -> str:
    return load.table("questions").set_index("question_id").at[qid, "question"]


def _record_summary(ref: str) -> str:
    table, _, rid = ref.partition(":")
    frame = load.table(table)
    key = load.key(table)[0]
    row = frame[frame[key] == rid].iloc[0]
    if "summary" in row.index:
        return str(row["summary"])
    measure = str(row.get("measure", rid)).replace("_", " ")
    subject = row.get("subject")
    return f"{subject}: {measure}" if isinstance(subject, str) else measure


def corrections_markdown(frame: pd.DataFrame, title: str | None = None) -> str:
    """A clearly marked note listing each correction: the question, what the source says
    (and in which record), what the report says, with citations to both."""
    if frame.empty:
        return ""
    items = []
    grouped = frame.groupby(
        ["question_id", "source", "record", "source says", "correction", "report says"],
        sort=False,
    )["report"].agg(lambda s: sorted(set(s)))
    for (qid, source, record, says, correction, report_says), reports in grouped.items():
        verb = "contradicting" if correction == "contradicts" else "more precise than"
        who = listing(reports)
        cites = ",".join([source, *reports])
        items.append(
            f"- **{_question(qid)}** {source} says *{says}* (in: {_record_summary(record)}); "
            f"{who} {'says' if len(reports) == 1 else 'say'} *{report_says}*, {verb} it "
            f"{{cite:p}}`{cites}`."
        )
    heading = title or "The public record corrects the sources here"
    return ":::{admonition} " + heading + "\n:class: warning\n\n" + "\n".join(items) + "\n:::\n"
