"""The country report: figures derived from the record, charts, and a PDF advocates can send."""
