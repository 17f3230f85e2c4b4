"""sentences.csv holds, for each seed, exactly the sentences that
``kgkz.data.sentences.split`` finds on its lines outside the boilerplate.csv ranges: in
the seed's order, verbatim."""

from ..sentences import split
from .dataset import Dataset, Problem


def check(ds: Dataset):
    table, boiler = ds.tables.get("sentences"), ds.tables.get("boilerplate")
    sources = ds.tables.get("sources")
    if table is None or boiler is None or sources is None:
        return
    seeds = {r["source_id"] for r in sources.rows if r["kind"] == "seed"}
    furniture = {
        (r["source_id"], n)
        for r in boiler.rows
        if r["first_line"] and r["last_line"]
        for n in range(r["first_line"], r["last_line"] + 1)
    }
    expected = {
        (sid, number, n): sentence
        for sid, lines in ds.seeds.items()
        for number, text in enumerate(lines, start=1)
        if (sid, number) not in furniture
        for n, sentence in enumerate(split(text), start=1)
    }
    missing, last = dict(expected), {}
    for line, row in table:
        sid, key = row["source_id"], (row["source_id"], row["line"], row["n"])
        if sid not in seeds:
            yield Problem(table.file, line, "source_id", f"'{sid}' is not a seed")
        if sid not in ds.seeds or None in key:
            continue
        if key < last.get(sid, key):
            yield Problem(table.file, line, None, "out of the seed's order (line, then n)")
        last[sid] = max(key, last.get(sid, key))
        missing.pop(key, None)
        if key not in expected:
            yield Problem(table.file, line, "n", f"line {key[1]} of {sid} has no sentence {key[2]}")
        elif row["text"] != expected[key]:
            message = f"not the sentence of the seed: '{expected[key][:80]}'"
            yield Problem(table.file, line, "text", message)
    for (sid, number, n), sentence in missing.items():
        message = f"no row for sentence {n} of line {number} of {sid}: '{sentence[:80]}'"
        yield Problem(table.file, None, None, message)
