"""Files the commands read and write: a missing folder or a binary file is a clear VigilError.

Commands check an output path before doing the work (a PDF is not built, an export quota not
spent, for a folder that does not exist) and write through :func:`write_output`; text input
files are read through :func:`read_text_lines`.
"""

from __future__ import annotations

from pathlib import Path

from vigil.core.errors import ValidationFailed


def check_output(path: Path) -> None:
    """Refuse an output path whose folder is missing or that is itself a folder."""
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise ValidationFailed(f"cannot write {path}: the folder {folder} does not exist")
    if path.is_dir():
        raise ValidationFailed(f"cannot write {path}: it is a folder; give a file name")


def write_output(path: Path, data: str | bytes) -> None:
    """Write ``data`` to ``path``; an operating-system refusal becomes a ValidationFailed."""
    check_output(path)
    try:
        path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    except OSError as exc:
        raise ValidationFailed(f"cannot write {path}: {exc.strerror or exc}") from None


def decode_text(data: bytes, source: str) -> list[str]:
    """The lines of a UTF-8 text file; a binary or non-UTF-8 file is refused with its name."""
    if b"\x00" in data:
        raise ValidationFailed(f"{source}: is a binary file, not text (one name per line)")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValidationFailed(
            f"{source}: is not UTF-8 text (byte {exc.start + 1} cannot be read); "
            "save it as UTF-8 text with one name per line"
        ) from None
    return text.splitlines()


def read_bytes(path: Path) -> bytes:
    """The bytes of the file at ``path``; a missing path, a folder or an unreadable file is a
    ValidationFailed naming it."""
    if path.is_dir():
        raise ValidationFailed(f"{path}: is a folder, not a file")
    if not path.is_file():
        raise ValidationFailed(f"{path}: no such file")
    try:
        return path.read_bytes()
    except OSError as exc:
        raise ValidationFailed(f"{path}: cannot be read ({exc.strerror or exc})") from None


def decode_csv(data: bytes, name: str) -> str:
    """The text of a UTF-8 CSV file (a byte-order mark allowed); a binary or non-UTF-8 file
    (cp1251, UTF-16) is a ValidationFailed naming it, never a UnicodeDecodeError."""
    if b"\x00" in data:
        raise ValidationFailed(f"{name}: is a binary file, not a CSV text file")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValidationFailed(
            f"{name}: is not UTF-8 text (byte {exc.start + 1} cannot be read); "
            "save it as UTF-8 CSV"
        ) from None


def read_csv_text(path: Path) -> str:
    """The text of the UTF-8 CSV file at ``path`` (:func:`read_bytes`, :func:`decode_csv`)."""
    return decode_csv(read_bytes(path), path.name)


def read_text_lines(path: Path) -> list[str]:
    """The lines of the UTF-8 text file at ``path``, with a clear error when it cannot be."""
    return decode_text(read_bytes(path), str(path))
