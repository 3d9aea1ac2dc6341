"""Search across the record: any spelling of a name, full text over descriptions and sources."""
