"""Figure numbers and numbered references come out the same from the pages' skeletons as
from their doctrees, and a rebuild unpickles no page it does not write.

A small Sphinx project of its own: numbered toctrees two levels deep, sections, captioned
and uncaptioned figures, a titled table, captioned code, and numbered references to each
from another page. Built with and without the extension, cold and after a change.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

PAGES = {
    "index.rst": """
Book
====

.. toctree::
   :numbered:

   a
   b
   d
""",
    "a.rst": """
Chapter A
=========

.. _fig-a1:

.. figure:: pic.png

   The first figure.

.. figure:: pic.png

   A figure without a label.

.. figure:: pic.png

Section one
-----------

.. _tbl-a:

.. table:: A titled table.

   =====  =====
   x      y
   =====  =====
   1      2
   =====  =====

.. _code-a:

.. code-block:: python
   :caption: Captioned code.

   print("a")

.. toctree::

   c

Section two
-----------

.. _fig-a2:

.. figure:: pic.png

   A figure in the second section.
""",
    "b.rst": """
Chapter B
=========

See :numref:`fig-a1`, :numref:`fig-a2`, :numref:`tbl-a`, :numref:`code-a`,
:numref:`fig-c` and :numref:`sec-c`.

.. _fig-b:

.. figure:: pic.png

   Chapter B's figure.
""",
    "d.rst": """
Chapter D
=========

.. _fig-d:

.. figure:: pic.png

   Chapter D's figure.
""",
    "c.rst": """
.. _sec-c:

Part C
======

.. _fig-c:

.. figure:: pic.png

   A figure in a page under a section.
""",
}

CONF = """
import os
import re
from sphinx.environment import BuildEnvironment

numfig = True
numfig_secnum_depth = 2
extensions = [e for e in os.environ.get("EXTENSIONS", "").split(",") if e]
html_theme = "basic"

_get = BuildEnvironment.get_doctree

def _logged(self, docname):  # which pages the build unpickles
    with open(os.environ["UNPICKLED"], "a") as f:
        f.write(docname + "\\n")
    return _get(self, docname)

BuildEnvironment.get_doctree = _logged
"""

PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c63f8ffff3f0005fe02fea7d6a4b00000000049454e44ae426082"
)


def project(root: Path) -> Path:
    root.mkdir()
    (root / "conf.py").write_text(CONF, encoding="utf-8")
    (root / "pic.png").write_bytes(PNG)
    for name, text in PAGES.items():
        (root / name).write_text(text, encoding="utf-8")
    return root


def build(src: Path, out: Path, extensions: str) -> list[str]:
    """Build ``src`` into ``out``; the pages unpickled, in order."""
    log = out.parent / f"{out.name}.unpickled"
    log.unlink(missing_ok=True)
    env = {**os.environ, "EXTENSIONS": extensions, "UNPICKLED": str(log)}
    cmd = [sys.executable, "-m", "sphinx", "-W", "-q", "-b", "html", str(src), str(out)]
    run = subprocess.run(cmd, env=env, capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr
    return log.read_text().split() if log.exists() else []


def pages(out: Path) -> dict[str, str]:
    return {page: (out / f"{page}.html").read_text(encoding="utf-8") for page in "abc"}


NUMBERS = ["Fig. 1.1", "Fig. 1.2.1", "Table 1.1.1", "Listing 1.1.1", "Fig. 1.1.1", "Section 1.1.1"]


def numbers(out: Path) -> list[str]:
    """The numbered references of page b, in order."""
    return re.findall(r'<span class="std std-numref">([^<]*)</span>', pages(out)["b"])


def change(src: Path) -> None:
    """A figure before the others in the nested page (the number of the one b cites
    moves), and a sentence more in b (Sphinx rereads the pages that cite a number only
    when they change themselves)."""
    c, b = src / "c.rst", src / "b.rst"
    new = ".. figure:: pic.png\n\n   New.\n\n.. _fig-c:"
    c.write_text(c.read_text().replace(".. _fig-c:", new), encoding="utf-8")
    b.write_text(b.read_text() + "\nMore.\n", encoding="utf-8")


def test_the_skeletons_number_figures_and_resolve_references_as_the_doctrees_do(tmp_path):
    src = project(tmp_path / "src")
    build(src, tmp_path / "plain", "")
    build(src, tmp_path / "skeletons", "kgkz.render.skeletons")
    assert pages(tmp_path / "plain") == pages(tmp_path / "skeletons")
    # Nested pages, sections and every kind of numbered node: numbered as expected.
    assert numbers(tmp_path / "skeletons") == NUMBERS


def test_a_rebuild_numbers_afresh_without_unpickling_pages_it_does_not_write(tmp_path):
    src = project(tmp_path / "src")
    out = tmp_path / "out"
    build(src, out, "kgkz.render.skeletons")
    written = (out / "d.html").stat().st_mtime_ns
    change(src)
    unpickled = build(src, out, "kgkz.render.skeletons")
    fresh = tmp_path / "fresh"
    build(src, fresh, "")
    assert pages(out) == pages(fresh)
    assert numbers(out) == [*NUMBERS[:4], "Fig. 1.1.2", NUMBERS[5]]
    # d, which neither changed nor cites what did, is neither written nor unpickled.
    assert (out / "d.html").stat().st_mtime_ns == written
    assert "d" not in unpickled


def test_without_skeletons_a_rebuild_unpickles_every_page(tmp_path):
    """The check above can fail: Sphinx alone reads every page's doctree to number."""
    src = project(tmp_path / "src")
    out = tmp_path / "out"
    build(src, out, "")
    change(src)
    assert "d" in build(src, out, "")


def test_a_skeleton_keeps_sections_numbered_nodes_and_a_stub_for_every_id():
    from docutils import nodes
    from docutils.core import publish_doctree

    from kgkz.render import skeletons

    text = PAGES["a.rst"].split(".. _code-a:")[0] + ".. _note:\n\nA labelled paragraph.\n"
    settings = {"doctitle_xform": False, "report_level": 5}
    doctree = publish_doctree(text, settings_overrides=settings)

    class Domain:
        enumerable_nodes = {nodes.figure: ("figure", None), nodes.table: ("table", None)}

        def get_enumerable_node_type(self, node):
            if isinstance(node, nodes.section):
                return "section"
            return self.enumerable_nodes.get(node.__class__, (None,))[0]

    env = type("Env", (), {"domains": {"std": Domain()}})()
    root = skeletons.skeleton(env, doctree)
    kinds = [type(n).__name__ for n in root.findall(nodes.Element)][1:]
    assert kinds == [
        "section",  # Chapter A
        "title",
        "figure",
        "caption",
        "figure",
        "caption",
        "figure",
        "section",  # Section one
        "title",
        "table",
        "title",
    ]
    assert set(root.ids) == set(doctree.ids)
    assert all(n.document is None for n in root.findall())
    assert isinstance(root.ids["fig-a1"], nodes.figure)
    assert root.ids["section-one"]["names"] == ["section one"]
    assert type(root.ids["note"]) is nodes.Element and root.ids["note"]["ids"] == ["note"]
