"""The one access policy: roles × actions × confidentiality, per-case grants, identity fields."""
