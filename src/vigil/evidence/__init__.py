"""Evidence files: streamed ingest with SHA-256, encryption at rest, handling log, shared copies."""
