"""Shared copies of images with every piece of metadata (EXIF, GPS, XMP, ICC, text) removed."""

from __future__ import annotations

import io
import warnings

from PIL import Image, ImageOps, UnidentifiedImageError

from vigil.evidence.errors import ShareRefused

# Formats Vigil can re-encode from pixels alone, by sniffed type.
STRIPPABLE = {"image/jpeg": "JPEG", "image/png": "PNG", "image/webp": "WEBP"}
MAX_PIXELS = 200_000_000


def can_strip(content_type: str) -> bool:
    """Whether Vigil can make a metadata-free copy of files of ``content_type``."""
    return content_type in STRIPPABLE


def stripped_image(data: bytes, content_type: str) -> bytes:
    """The image re-encoded from its pixels only: nothing of the original's metadata survives."""
    fmt = STRIPPABLE.get(content_type)
    if fmt is None:
        raise ShareRefused(
            f"Vigil cannot remove the metadata of {content_type or 'unknown'} files, so it makes "
            "no shared copy of them; share the original deliberately instead."
        )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data), formats=[fmt]) as opened:
                if opened.width * opened.height > MAX_PIXELS:
                    raise ShareRefused("The image is too large to make a shared copy of.")
                # Apply the orientation the EXIF data carried before dropping it.
                upright = ImageOps.exif_transpose(opened)
                pixels = _plain_mode(upright, fmt)
                # A new image from raw pixels carries no info dict: no EXIF, XMP, ICC or text.
                clean = Image.frombytes(pixels.mode, pixels.size, pixels.tobytes())
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombWarning):
        raise ShareRefused(
            "The stored image cannot be decoded, so no shared copy was made."
        ) from None
    out = io.BytesIO()
    options = {"quality": 92} if fmt in {"JPEG", "WEBP"} else {}
    clean.save(out, format=fmt, **options)
    return out.getvalue()


def _plain_mode(image: Image.Image, fmt: str) -> Image.Image:
    if fmt == "JPEG":
        return image if image.mode in {"L", "RGB", "CMYK"} else image.convert("RGB")
    if image.mode in {"L", "LA", "RGB", "RGBA"}:
        return image
    has_alpha = "A" in image.getbands() or "transparency" in image.info
    return image.convert("RGBA" if has_alpha else "RGB")
