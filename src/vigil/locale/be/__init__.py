"""Belarusian formats (Django ships none for be)."""
