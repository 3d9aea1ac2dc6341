"""Package data: one CSV per vocabulary, built by scripts/build_vocab.py (see ATTRIBUTION.md)."""
