"""The type of a file from its bytes (never its name), and the types served as they are."""

from __future__ import annotations

import filetype

OCTET_STREAM = "application/octet-stream"
TEXT = "text/plain"
HEAD_BYTES = 8192
# Types with no magic number: a declared one is believed only when the bytes are text.
_TEXT_TYPES = frozenset({"text/plain", "text/csv", "application/json"})
# Downloads keep these types (still as attachments, with nosniff); anything else is served as
# application/octet-stream so no browser renders it.
SERVED_AS_IS = frozenset(
    {
        "application/pdf",
        "image/jpeg",
        "image/png",
        "image/webp",
        "image/gif",
        "audio/mpeg",
        "audio/ogg",
        "video/mp4",
        "video/webm",
        "text/plain",
        "text/csv",
    }
)


def _is_text(head: bytes, complete: bool) -> bool:
    if not head or b"\x00" in head:
        return False
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        # A multi-byte character cut at the end of the sample is still text.
        return not complete and exc.start >= len(head) - 3
    return True


def sniff(head: bytes, *, complete: bool = False, declared: str | None = None) -> str:
    """The MIME type of a file whose first bytes are ``head`` (``complete``: that is all of it)."""
    found = filetype.guess_mime(head)
    if found:
        return str(found)
    if _is_text(head, complete):
        wanted = (declared or "").split(";")[0].strip().lower()
        return wanted if wanted in _TEXT_TYPES else TEXT
    return OCTET_STREAM


def served_type(content_type: str) -> str:
    """The Content-Type a download carries: the stored type if allow-listed, else octet-stream."""
    return content_type if content_type in SERVED_AS_IS else OCTET_STREAM
