"""The project's own rules, which no schema can state: every module here but ``dataset``
holds one, as a function ``check(dataset)`` that yields the problems it finds."""

import importlib
import pkgutil

RULES = [
    importlib.import_module(f"{__name__}.{m.name}").check
    for m in pkgutil.iter_modules(__path__)
    if m.name != "dataset"
]
