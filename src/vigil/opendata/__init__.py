"""Open data: the redacted public export and the public list of political prisoners."""
