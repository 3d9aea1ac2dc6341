"""Vigil: documentation and advocacy for lawyers and defenders at risk."""

__version__ = "0.1.0"
