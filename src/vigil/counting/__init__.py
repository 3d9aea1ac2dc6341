"""Honest numbers: estimate how many no list recorded (multiple systems estimation).

Pure Python + numpy/scipy/statsmodels; no Django import outside ``apps.py`` and
``management/``. ``estimate(table, method=...)`` is the one entry point.
"""

from vigil.counting.estimate import METHODS, Estimate, estimate
from vigil.counting.table import OverlapTable, read_overlap_table

__all__ = ["METHODS", "Estimate", "OverlapTable", "estimate", "read_overlap_table"]
