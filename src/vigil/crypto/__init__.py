"""Keys and field-level encryption: key sources, Argon2id, AES-256-GCM envelopes, key shares."""
