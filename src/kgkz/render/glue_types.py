"""The mime types the book glues beside a figure (no builder renders them): one light
module, so that the Sphinx process reading the glue need not import matplotlib."""

from __future__ import annotations

# A figure's numbers, as CSV (kgkz.render.figure_data writes them, figure_links reads them).
FIGURE_NUMBERS = "text/csv"
