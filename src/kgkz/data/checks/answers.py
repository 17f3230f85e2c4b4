"""An answer is the word of its source: the source is evidence for the record that holds
the claim, and the answer has the shape its question's kind needs (a date range, a
figure, or a value)."""

from .dataset import Dataset, Problem

SHAPE = {"date": ("date_start", "date_end"), "figure": ("number",)}


def check(ds: Dataset):
    answers, questions = ds.tables.get("answers"), ds.tables.get("questions")
    evidence = ds.tables.get("evidence")
    if answers is None or questions is None:
        return
    supported = set()
    if evidence is not None:
        supported = {(r["table"], r["record_id"], r["source_id"]) for r in evidence.rows}
    kinds = {r["question_id"]: r["kind"] for r in questions.rows}
    for line, row in answers:
        ref = f"{row['table']}:{row['record_id']}"
        if ds.names_no_record(ref):
            yield Problem(answers.file, line, "record_id", f"'{ref}' names no record")
        elif (
            evidence is not None
            and (row["table"], row["record_id"], row["source_id"]) not in supported
        ):
            yield Problem(
                answers.file,
                line,
                "source_id",
                f"{row['source_id']} is not evidence for {ref} (data/evidence.csv)",
            )
        kind = kinds.get(row["question_id"])
        if kind is None:
            continue
        for column in SHAPE.get(kind, ("value",)):
            if row.get(column) is None:
                yield Problem(answers.file, line, column, f"a {kind} answer needs {column}")
