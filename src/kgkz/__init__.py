"""The book on the 2017 Kyrgyzstan–Kazakhstan crisis, as a package, in the order data flows:

- ``kgkz.data``: load the tables and seeds, split sentences, resolve names, validate;
- ``kgkz.analysis``: what the chapters compute from the data;
- ``kgkz.render``: figures, glued tables, source pages, bibliography, Sphinx hooks;
- ``kgkz.build``: decide which chapters are stale, execute them, run Jupyter Book.

Each layer imports only from the layers above it in this list (and ``kgkz.paths``).
"""
