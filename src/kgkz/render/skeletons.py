"""Sphinx extension: figure numbers and numbered references without unpickling pages.

After every build's reading, Sphinx numbers the figures and tables by walking the doctree
of every page in the table of contents, and each numbered reference ("Table 3.2") looks
its target up in the target page's doctree. A rebuild that reads one page unpickled all
the others for that.

When a page is read, this extension keeps its skeleton in the environment: the sections,
toctrees and numberable nodes (figures, tables, captioned code, with their captions and
titles), in document order, and a stub for every id of the page. Sphinx's own numbering
and reference code then read the skeletons instead of the doctrees, and give the same
numbers: everything else in a page is something they pass over.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.domains.std import StandardDomain
from sphinx.environment import BuildEnvironment

from . import page_data

KEY = "kgkz_skeletons"


def _bare(node: nodes.Element) -> nodes.Element:
    """The node with its attributes and no children, tied to no document."""
    copy = node.copy()
    copy._document = None
    return copy


def _whole(node: nodes.Element) -> nodes.Element:
    copy = node.deepcopy()
    for part in copy.findall():
        part._document = None
    return copy


def _numberable(env: BuildEnvironment, node: nodes.Element) -> bool:
    return any(domain.get_enumerable_node_type(node) for domain in env.domains.values())


def _has_title_getter(env: BuildEnvironment, node: nodes.Element) -> bool:
    """A numberable node whose title an extension reads its own way (kept whole)."""
    std = env.domains["std"]
    return std.enumerable_nodes.get(node.__class__, (None, None))[1] is not None


def skeleton(env: BuildEnvironment, doctree: nodes.document) -> nodes.Element:
    """What Sphinx's numbering and numbered references read of ``doctree``: the root's
    ``ids`` maps every id of the page to its node in the skeleton, or to a stub."""
    kept: dict[int, nodes.Element] = {}

    def prune(node: nodes.Element) -> nodes.Element | None:
        numberable = _numberable(env, node)
        if numberable and _has_title_getter(env, node):
            copy = _whole(node)
            pairs = zip(node.findall(nodes.Element), copy.findall(nodes.Element), strict=True)
            kept.update((id(original), part) for original, part in pairs)
            return copy
        children = []
        for child in node.children:
            if not isinstance(child, nodes.Element):
                continue
            if numberable and isinstance(child, (nodes.caption, nodes.title)):
                children.append(_whole(child))  # its number's title
            elif numberable and isinstance(child, nodes.literal_block):
                children.append(_bare(child))  # what makes a container a code block
            elif (part := prune(child)) is not None:
                children.append(part)
        relevant = numberable or isinstance(node, (nodes.section, addnodes.toctree))
        if not (relevant or children):
            return None
        copy = _bare(node)
        copy.extend(children)
        kept[id(node)] = copy
        return copy

    root = nodes.Element()
    root.extend(filter(None, (prune(c) for c in doctree.children if isinstance(c, nodes.Element))))
    root.ids = {
        name: kept.get(id(node)) or nodes.Element(ids=[name]) for name, node in doctree.ids.items()
    }
    return root


def _skeletons(env: BuildEnvironment) -> dict[str, nodes.Element]:
    return page_data.kept(env, KEY)


def _keep(app: Sphinx, doctree: nodes.document) -> None:
    _skeletons(app.env)[app.env.docname] = skeleton(app.env, doctree)


@contextlib.contextmanager
def reading_skeletons(env: BuildEnvironment) -> Iterator[None]:
    """Within the block, ``env.get_doctree`` gives a page's skeleton (its doctree for a
    page read without this extension): for Sphinx code that only looks for numbers."""
    kept = _skeletons(env)

    def get_doctree(docname: str):
        found = kept.get(docname)
        return found if found is not None else BuildEnvironment.get_doctree(env, docname)

    env.get_doctree = get_doctree
    try:
        yield
    finally:
        del env.get_doctree


def _number_from_skeletons() -> None:
    from sphinx.environment.collectors.toctree import TocTreeCollector

    assign = TocTreeCollector.assign_figure_numbers
    if getattr(assign, "kgkz_skeletons", False):
        return

    def assign_figure_numbers(self, env: BuildEnvironment) -> list[str]:
        with reading_skeletons(env):
            return assign(self, env)

    assign_figure_numbers.__doc__ = assign.__doc__
    assign_figure_numbers.kgkz_skeletons = True
    TocTreeCollector.assign_figure_numbers = assign_figure_numbers


class _StandardDomain(StandardDomain):
    """Sphinx's standard domain, finding the targets of numbered references in the
    skeletons."""

    def _resolve_numref_xref(self, env, *args, **kwargs):
        with reading_skeletons(env):
            return super()._resolve_numref_xref(env, *args, **kwargs)


def setup(app: Sphinx) -> dict:
    _number_from_skeletons()
    app.add_domain(_StandardDomain, override=True)
    # Last of the page's reading events: the doctree as it is pickled.
    app.connect("doctree-read", _keep, priority=999)
    page_data.keep_per_page(app, KEY)
    return {
        "version": "1",
        # An environment pickled without skeletons is discarded and every page read.
        "env_version": 1,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
