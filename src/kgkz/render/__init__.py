"""Turning results into what a reader sees: figures, glued values, source pages, the
bibliography and the Sphinx extension that renders the sources."""
