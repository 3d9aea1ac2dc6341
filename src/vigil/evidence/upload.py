"""Web uploads: each file hashed and age-encrypted as its chunks arrive, never spooled in clear.

Django's default handlers keep an upload in memory up to 2.5 MB and spool anything larger to a
plaintext temporary file. :class:`EncryptingUploadHandler` replaces both: every chunk the
multipart parser hands over goes straight into the same streaming pipeline as ``ingest``
(:class:`~vigil.evidence.ingest.HashingReader` into ``storage.write_encrypted``), which runs
in a worker thread because age's encryptor pulls from a reader while Django pushes chunks.
The only thing written to disk is ciphertext in the evidence folder.
"""

from __future__ import annotations

import queue
import threading
from typing import TYPE_CHECKING, Any

from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.utils.translation import gettext as _

from vigil.core.errors import VigilError
from vigil.evidence.errors import UploadRefused, UploadTooLarge
from vigil.evidence.ingest import HashingReader, clean_name
from vigil.evidence.limits import max_upload_bytes
from vigil.evidence.storage import new_identity, new_stored_name, stored_path, write_encrypted

if TYPE_CHECKING:
    from django.http import HttpRequest

# Chunks waiting for the encrypting thread: bounds the memory an upload holds at once.
QUEUE_CHUNKS = 16
# Room for the form's other fields and the multipart framing around the file.
FORM_ALLOWANCE = 256 * 1024
_POLL = 0.1
_JOIN_SECONDS = 120
_EOF = object()


def too_large(limit: int) -> UploadTooLarge:
    """The refusal for an upload over ``limit`` bytes."""
    return UploadTooLarge(
        _("The file is larger than the %(mb)s MB limit (VIGIL_MAX_UPLOAD_MB); nothing was stored.")
        % {"mb": limit // (1024 * 1024)}
    )


def interrupted() -> UploadRefused:
    """The refusal for an upload that did not arrive whole."""
    return UploadRefused(_("The upload was interrupted; nothing was stored."))


class _Pipe:
    """A reader over chunks pushed by the request thread, for the encrypting thread."""

    def __init__(self, stop: threading.Event) -> None:
        self.queue: queue.Queue[Any] = queue.Queue(maxsize=QUEUE_CHUNKS)
        self.stop = stop
        self.pending = b""
        self.ended = False

    def read(self, size: int = -1) -> bytes:
        """Up to ``size`` bytes; b"" at the end of the file."""
        while not self.pending and not self.ended:
            if self.stop.is_set():
                raise interrupted()
            try:
                item = self.queue.get(timeout=_POLL)
            except queue.Empty:
                continue
            if item is _EOF:
                self.ended = True
            else:
                self.pending = item
        if size is None or size < 0:
            size = len(self.pending)
        data, self.pending = self.pending[:size], self.pending[size:]
        return data


class StagedFile:
    """One uploaded file on its way into the evidence store, encrypted to its own identity."""

    def __init__(self, original_name: str, declared_type: str, limit: int) -> None:
        self.original_name = clean_name(original_name)
        self.declared_type = declared_type
        self.stored_name = new_stored_name()
        self.path = stored_path(self.stored_name)
        self.identity = new_identity()
        self.stop = threading.Event()
        self.pipe = _Pipe(self.stop)
        self.reader = HashingReader(self.pipe, limit)
        self.error: BaseException | None = None
        self.complete = False
        self.claimed = False
        self.worker = threading.Thread(target=self._encrypt, name="evidence-upload", daemon=True)
        self.worker.start()

    def _encrypt(self) -> None:
        try:
            write_encrypted(self.reader, self.path, self.identity)
        except BaseException as exc:  # reported to the request thread, never lost
            self.error = self.reader.error or exc

    @property
    def sha256(self) -> str:
        return self.reader.digest.hexdigest()

    @property
    def size(self) -> int:
        return self.reader.size

    @property
    def head(self) -> bytes:
        return bytes(self.reader.head)

    def _failure(self) -> VigilError:
        if isinstance(self.error, VigilError):
            return self.error
        return UploadRefused(_("The file could not be stored; nothing was kept."))

    def feed(self, data: Any) -> None:
        """Hand a chunk to the encrypting thread (waits while it is behind)."""
        while True:
            if not self.worker.is_alive():
                raise self._failure()
            try:
                self.pipe.queue.put(data, timeout=_POLL)
                return
            except queue.Full:
                continue

    def finish(self) -> None:
        """Wait for the last chunk to be encrypted; raise if the file was not stored whole."""
        self.feed(_EOF)
        self.worker.join(_JOIN_SECONDS)
        if self.worker.is_alive() or self.error is not None:
            self.discard()
            raise self._failure()
        if self.size == 0:
            self.discard()
            raise UploadRefused(_("The file is empty; nothing was stored."))
        self.complete = True

    def discard(self) -> None:
        """Stop encrypting and remove whatever was stored of this file."""
        self.stop.set()
        self.worker.join(_JOIN_SECONDS)
        self.path.unlink(missing_ok=True)
        self.complete = False


class StagedUpload(UploadedFile):
    """What ``request.FILES`` holds: a stored, encrypted file, its SHA-256 and size; no bytes."""

    def __init__(self, staged: StagedFile) -> None:
        super().__init__(
            file=None,
            name=staged.original_name,
            content_type=staged.declared_type,
            size=staged.size,
        )
        self.staged = staged

    def chunks(self, chunk_size: int | None = None) -> Any:
        raise UploadRefused(_("An encrypted upload is read back only through the evidence store."))

    def close(self) -> None:
        return None


class EncryptingUploadHandler(FileUploadHandler):
    """Streams each uploaded file into the evidence store: bounded memory, no plaintext on disk.

    Install it before the request body is read (``request.upload_handlers = [handler]``). A
    refusal (too large, interrupted, unreadable) is kept in :attr:`refused`; the caller must
    call :meth:`discard_unclaimed` when done, so files no record claimed are removed.
    """

    def __init__(self, request: HttpRequest | None = None, *, limit: int | None = None) -> None:
        super().__init__(request)
        self.limit = max_upload_bytes() if limit is None else limit
        self.staged: list[StagedFile] = []
        self.current: StagedFile | None = None
        self.refused: VigilError | None = None
        self.declared_too_large = False

    def handle_raw_input(
        self,
        input_data: Any,
        META: Any,  # noqa: N803 - Django's argument name
        content_length: int,
        boundary: Any,
        encoding: str | None = None,
    ) -> None:
        """Note a request whose declared length alone is over the limit; parse as usual."""
        self.declared_too_large = content_length > self.limit + FORM_ALLOWANCE
        return None

    def _refuse(self, error: VigilError, *, reset: bool = False) -> StopUpload:
        self.refused = error
        if self.current is not None:
            self.current.discard()
            self.current = None
        # connection_reset=False reads the rest of the body into nothing, so the browser
        # receives the message; a body declared too large is not read at all.
        return StopUpload(connection_reset=reset)

    def new_file(self, field_name: str, file_name: str, *args: Any, **kwargs: Any) -> None:
        """Start encrypting a new file (the form's fields before it are already parsed)."""
        super().new_file(field_name, file_name, *args, **kwargs)
        if self.declared_too_large:
            raise self._refuse(too_large(self.limit), reset=True)
        if self.content_length is not None and self.content_length > self.limit:
            raise self._refuse(too_large(self.limit), reset=True)
        self.current = StagedFile(file_name, self.content_type or "", self.limit)
        self.staged.append(self.current)

    def receive_data_chunk(self, raw_data: bytes, start: int) -> None:
        """Pass one chunk on to the encryptor; nothing is returned to other handlers."""
        if self.current is None:
            return None
        if start + len(raw_data) > self.limit:
            raise self._refuse(too_large(self.limit))
        try:
            self.current.feed(raw_data)
        except VigilError as exc:
            raise self._refuse(exc) from None
        return None

    def file_complete(self, file_size: int) -> StagedUpload | None:
        """The stored file as an upload object, or None (and :attr:`refused`) if it failed."""
        staged, self.current = self.current, None
        if staged is None:
            return None
        try:
            staged.finish()
        except VigilError as exc:
            self.refused = exc
            return None
        return StagedUpload(staged)

    def upload_interrupted(self) -> None:
        """The body ended inside a file: remove what was stored of it."""
        if self.current is not None:
            self._refuse(interrupted())

    def discard_unclaimed(self) -> None:
        """Remove every stored file that no evidence record claimed."""
        for staged in self.staged:
            if not staged.claimed:
                staged.discard()
