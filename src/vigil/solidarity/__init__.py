"""Trial monitoring, solidarity campaigns and the calendar (issue 12, sections 4–6)."""
