"""Vigil's catalogues, and date and number formats Django lacks (FORMAT_MODULE_PATH)."""
