"""`vigil.counting`'s names load on first use and keep their meaning: `estimate` is the function,
even after its module of the same name has been imported (Django loads the package without
numpy; tests/test_startup_imports.py checks that part)."""

from __future__ import annotations

import importlib
import types

import pytest

import vigil.counting
from vigil.counting.table import OverlapTable as TableClass


def test_the_package_estimate_is_the_function_after_its_module_is_imported() -> None:
    module = importlib.import_module("vigil.counting.estimate")
    from vigil.counting import estimate

    assert not isinstance(estimate, types.ModuleType)
    assert estimate is module.estimate
    assert vigil.counting.estimate is module.estimate


def test_every_name_the_package_offers_is_its_module_s_object() -> None:
    from vigil.counting import METHODS, Estimate, OverlapTable, read_overlap_table

    estimate_module = importlib.import_module("vigil.counting.estimate")
    assert METHODS == ("loglinear", "lcmcr") and METHODS is estimate_module.METHODS
    assert Estimate is estimate_module.Estimate
    assert OverlapTable is TableClass
    assert callable(read_overlap_table)
    assert sorted(vigil.counting.__all__) == sorted(
        ["METHODS", "Estimate", "OverlapTable", "estimate", "read_overlap_table"]
    )


def test_a_name_the_package_does_not_offer_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="no attribute 'fit'"):
        vigil.counting.fit  # noqa: B018
    with pytest.raises(ImportError):
        from vigil.counting import fit  # noqa: F401
