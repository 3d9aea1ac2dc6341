"""Entry forms: record an arrest or a trial in one form, names in several scripts, evidence."""
