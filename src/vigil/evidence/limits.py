"""Upload limits, from settings or the environment."""

from __future__ import annotations

import os

from django.conf import settings

DEFAULT_MAX_UPLOAD_MB = 200


def max_upload_bytes() -> int:
    """The largest accepted upload (EVIDENCE_MAX_UPLOAD_MB, or VIGIL_MAX_UPLOAD_MB; 200 MB)."""
    configured = getattr(settings, "EVIDENCE_MAX_UPLOAD_MB", None)
    if configured is None:
        configured = os.environ.get("VIGIL_MAX_UPLOAD_MB") or DEFAULT_MAX_UPLOAD_MB
    return int(float(configured) * 1024 * 1024)
