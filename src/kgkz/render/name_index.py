"""Index the chapters by name: where a chapter's paragraph or table cell names an actor
(any spelling in data/aliases.csv, or its canonical name), an index entry under the
actor's canonical name, so that the book's index points to the pages that mention it.

The index of names (``names_page``) holds each actor's main entry and its spellings as
"see" entries; this module adds the mentions. On screen the index links each chapter
once per actor (its first mention there); in print every paragraph and table cell that
names an actor is indexed, and the index gives the pages.
"""

from __future__ import annotations

from functools import cache

from docutils import nodes
from sphinx import addnodes

from ..data import aliases, load

# Text inside these is not prose that names someone: code, raw output, comments.
SKIP = (nodes.FixedTextElement, nodes.literal, nodes.raw, nodes.comment)
ACTOR = "kgkz_actor"  # the attribute that marks an index node this module added
CHAPTER = "kgkz_chapter"  # and a paragraph of a chapter


@cache
def finder() -> aliases.MentionFinder:
    return aliases.MentionFinder(aliases.spellings())


@cache
def names() -> dict[str, str]:
    """actor id -> the canonical name, as an index term (";" splits an entry, "!" marks
    a main one)."""
    actors = load.table("actors")
    return {a: index_term(n) for a, n in zip(actors["actor_id"], actors["name"], strict=True)}


def index_term(text: str) -> str:
    """A name as an index term: an entry splits on ";" and a leading "!" marks it main."""
    return text.replace(";", ",").lstrip("!").strip()


def anchor(actor_id: str) -> str:
    """The id of the target before an actor's first mention in a page."""
    return "mention-" + actor_id.replace("_", "-")


def _texts(paragraph: nodes.paragraph):
    """The paragraph's text nodes in reading order, with those inside SKIP left out."""
    for text in paragraph.findall(nodes.Text):
        parent, skipped = text.parent, False
        while parent is not None and parent is not paragraph:
            if isinstance(parent, SKIP):
                skipped = True
                break
            parent = parent.parent
        if not skipped:
            yield text


def paragraphs(doctree: nodes.Node):
    """Paragraphs of running text and of table body cells (not column headers)."""
    for paragraph in doctree.findall(nodes.paragraph):
        parent, keep = paragraph.parent, True
        while parent is not None:
            if isinstance(parent, nodes.thead | nodes.FixedTextElement | nodes.raw):
                keep = False
                break
            parent = parent.parent
        if keep:
            yield paragraph


def indexed(paragraph: nodes.paragraph) -> set[str]:
    """The actors this module has already indexed in a paragraph."""
    return {n[ACTOR] for n in paragraph.findall(addnodes.index) if n.get(ACTOR)}


def mark(
    paragraph: nodes.paragraph, skip: set[str] = frozenset(), target: bool = False
) -> list[str]:
    """Put an index entry just before the first mention of each actor the paragraph
    names (bar those in ``skip``), with a target for it to link to if ``target``;
    return the actors indexed."""
    texts = list(_texts(paragraph))
    joined, starts, at = [], [], 0
    for t in texts:
        starts.append(at)
        joined.append(str(t))
        at += len(str(t))
    found = [m for m in finder().first_mentions("".join(joined)) if m.actor_id not in skip]
    marks: dict[int, list[tuple[int, str]]] = {}
    for m in found:
        i = max(k for k, s in enumerate(starts) if s <= m.start)
        marks.setdefault(i, []).append((m.start - starts[i], m.actor_id))
    for i, at in marks.items():
        _insert(paragraph, texts[i], [(offset, _nodes(actor, target)) for offset, actor in at])
    return [m.actor_id for m in found]


def _nodes(actor_id: str, target: bool) -> list[nodes.Node]:
    entry = ("single", names()[actor_id], anchor(actor_id) if target else "", "", None)
    index = addnodes.index(entries=[entry], inline=True)
    index[ACTOR] = actor_id
    return [nodes.target("", "", ids=[anchor(actor_id)]), index] if target else [index]


def _position(parent: nodes.Element, child: nodes.Node) -> int:
    # by identity: text nodes are strings, and equal ones are not the same node
    return next(i for i, c in enumerate(parent.children) if c is child)


def _insert(paragraph: nodes.paragraph, text: nodes.Text, new: list[tuple[int, list]]) -> None:
    """Insert each list of nodes at its offset in ``text``: split the text where it is a
    direct child of the paragraph, else put them before the paragraph's child that
    holds it (a link, emphasis)."""
    if text.parent is paragraph:
        parts, last = [], 0
        for offset, group in new:
            if offset > last:
                parts.append(nodes.Text(str(text)[last:offset]))
            parts += group
            last = offset
        parts.append(nodes.Text(str(text)[last:]))
        at = _position(paragraph, text)
        paragraph[at : at + 1] = parts
        return
    child = text
    while child.parent is not paragraph:
        child = child.parent
    at = _position(paragraph, child)
    paragraph[at:at] = [n for _, group in new for n in group]


def index_first_mentions(doctree: nodes.document) -> int:
    """Index each actor once in a chapter, at its first mention (with a target: the
    screen's index links there), and mark the chapter's paragraphs for print. Returns
    how many actors were indexed."""
    done: set[str] = set()
    for paragraph in paragraphs(doctree):
        paragraph[CHAPTER] = True
        done |= set(mark(paragraph, skip=done, target=True))
    return len(done)


def index_every_mention(doctree: nodes.document) -> int:
    """Index every chapter paragraph and table cell that names an actor, once per actor,
    beside the entries already there (print: the index gives each page). The print
    book is one doctree, its pages rearranged: the chapters' paragraphs are those
    ``index_first_mentions`` marked when the chapter was read. Returns how many."""
    chapter = [p for p in paragraphs(doctree) if p.get(CHAPTER)]
    return sum(len(mark(p, skip=indexed(p))) for p in chapter)


# xindy: Sphinx's style (sphinx.xdy) sets no mark between the ends of a page range, so
# "4–6" printed as "46".
XINDY_RANGE = '(markup-range :sep "\\textendash{}")\n'


def xindy_style(path) -> bool:
    """Add the page-range mark to Sphinx's xindy style at ``path`` (once); True if
    the file changed."""
    text = path.read_text(encoding="utf-8")
    if XINDY_RANGE in text:
        return False
    path.write_text(
        text + "\n;; a dash between the first and last page of a range\n" + XINDY_RANGE,
        encoding="utf-8",
    )
    return True
