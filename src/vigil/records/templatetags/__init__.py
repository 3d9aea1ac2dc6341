"""Template tags of the record."""
