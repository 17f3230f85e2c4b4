"""Split the seeds into sentences: the units that the coverage table accounts for.

A sentence ends at ".", "!", "?" or "…" (with any closing quotes or brackets) followed by
a space and a capital letter, a digit or an opening quote — except after a title, an
initial or a month abbreviation. Lines inside a site-furniture range
(``data/boilerplate.csv``) and blank lines hold no sentences. The split is a pure function
of the text, so the table and the seeds can be checked against each other.
"""

from __future__ import annotations

import re

ABBREVIATIONS = frozenset(
    "Mr Mrs Ms Dr St Jr Sr Gen Lt Col Prof No vs etc Jan Feb Mar Apr Jun Jul Aug Sep Sept "
    "Oct Nov Dec U.S U.N e.g i.e".split()
)
_END = re.compile(r"""(?<=[.!?…])(["'”’»)\]]*)\s+(?=["'“‘«(\[]?[A-ZА-ЯЁ0-9])""")


def split(line: str) -> list[str]:
    """The sentences of one line, stripped, in order ("" and spaces yield none)."""
    text = line.strip()
    if not text:
        return []
    out, start = [], 0
    for m in _END.finditer(text):
        head = text[start : m.end(1)]
        last = re.search(r"(\S+)$", head)
        word = last.group(1).rstrip(".!?…\"'”’»)]") if last else ""
        word = word.lstrip("\"'“‘«([")
        numbered = re.fullmatch(r"\d+[.)]", head.strip())  # "1." heading a list item
        if word in ABBREVIATIONS or re.fullmatch(r"[A-Z]", word) or numbered:
            continue
        out.append(head.strip())
        start = m.end()
    tail = text[start:].strip()
    if tail:
        out.append(tail)
    return out
