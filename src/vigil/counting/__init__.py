"""Honest numbers: estimate how many no list recorded (multiple systems estimation).

Pure Python + numpy/scipy/statsmodels; Django only in ``apps.py``, ``models.py`` (stored
estimates, stored lists, link runs), ``stored.store``,
``stored_lists.py`` and ``link_runs.py`` (stored lists: import, linking, review, estimate) and
``management/``; ``list_import.py`` (any CSV with a column mapping) imports no Django.
``estimate(table, method=...)`` is the one entry point; ``uncertain_links.estimate_with_links``
carries the linkage's uncertainty.
"""

from vigil.counting.estimate import METHODS, Estimate, estimate
from vigil.counting.table import OverlapTable, read_overlap_table

__all__ = ["METHODS", "Estimate", "OverlapTable", "estimate", "read_overlap_table"]
