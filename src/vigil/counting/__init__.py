"""Honest numbers: estimate how many no list recorded (multiple systems estimation).

Pure Python + numpy/scipy/statsmodels; Django only in ``apps.py``, ``models.py`` (stored
estimates, stored lists, link runs), ``stored.store``,
``stored_lists.py`` and ``link_runs.py`` (stored lists: import, linking, review, estimate) and
``management/``; ``list_import.py`` (any CSV with a column mapping) imports no Django.
``estimate(table, method=...)`` is the one entry point; ``uncertain_links.estimate_with_links``
carries the linkage's uncertainty.
"""

from __future__ import annotations

import importlib
import sys
import types
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from vigil.counting.estimate import METHODS, Estimate, estimate
    from vigil.counting.table import OverlapTable, read_overlap_table

__all__ = ["METHODS", "Estimate", "OverlapTable", "estimate", "read_overlap_table"]

# Django imports this package when it loads the apps, in every `vigil` process; the estimators
# (numpy) load on first use of one of these names, not then.
_HOME = {
    "METHODS": "vigil.counting.estimate",
    "Estimate": "vigil.counting.estimate",
    "estimate": "vigil.counting.estimate",
    "OverlapTable": "vigil.counting.table",
    "read_overlap_table": "vigil.counting.table",
}


def __getattr__(name: str) -> Any:
    if name not in _HOME:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(_HOME[name]), name)
    globals()[name] = value
    return value


class _Package(types.ModuleType):
    """This package, keeping ``estimate`` the function.

    The import system binds a submodule to its package's attribute of the same name when it
    first loads it: ``vigil.counting.estimate`` (the module) would hide ``estimate`` (the
    function) once anything imported the module. The package's own names are left alone.
    """

    def __setattr__(self, name: str, value: Any) -> None:
        if name in _HOME and isinstance(value, types.ModuleType):
            return
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package
