"""One error hierarchy with user-facing messages: web, API and CLI all map it the same way."""

from __future__ import annotations

import secrets


class VigilError(Exception):
    """An error whose message can be shown to a user as it is."""

    status = 400
    exit_code = 2

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class ConfigurationError(VigilError):
    """Settings or the data directory are not usable."""

    status = 500


class DatabaseKeyError(ConfigurationError):
    """The database key is missing, malformed or does not open the database."""


class MissingChangeContext(VigilError):
    """A record was changed outside any change context (web, API, CLI, job, migration, test)."""

    status = 500


class ConflictError(VigilError):
    """A save was based on a stale version of the record."""

    status = 409


class HardDeleteRefused(VigilError):
    """Records are soft-deleted with a reason; hard deletion is refused in normal operation."""

    status = 405


class NotFound(VigilError):
    """The record does not exist or is not visible to this user."""

    status = 404


class Forbidden(VigilError):
    """The policy does not let this user do this to this record."""

    status = 403


class QuotaExceeded(Forbidden):
    """The user has used up today's quota of identity reveals or exports."""

    status = 429


class StepUpRequired(VigilError):
    """The action needs a fresh second-factor check."""

    status = 403

    def __init__(self, message: str = "") -> None:
        super().__init__(message or "Confirm with a code from your authenticator app to continue.")


class TooManyAttempts(VigilError):
    """Too many failed sign-in attempts for this account or address in the last minute."""

    status = 429

    def __init__(self, message: str = "") -> None:
        super().__init__(message or "Too many attempts. Wait a minute and try again.")


class LockdownIncomplete(VigilError):
    """The account is disabled but a revoker failed; the operator must finish by hand."""

    status = 500


class ValidationFailed(VigilError):
    """Input does not describe a valid record."""


class ImportFailed(VigilError):
    """An import found rows it could not understand and wrote nothing."""

    def __init__(
        self, message: str, problems: list[tuple[int, str]] | None = None, *, unit: str = "line"
    ) -> None:
        super().__init__(message)
        self.problems = problems or []
        self.unit = unit  # what the problems' numbers count: a file's lines, a list's records


def new_error_id() -> str:
    """A random id that ties what a user reports to the server log, and reveals nothing."""
    return secrets.token_hex(6)
