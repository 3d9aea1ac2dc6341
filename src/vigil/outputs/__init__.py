"""The drafts advocates send: WGAD communication, Special Procedures appeal, case brief."""
