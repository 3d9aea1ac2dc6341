"""`VIGIL_EMAIL_URL`: ``smtp://[user:password@]host[:port]``, ``smtp+starttls://…``, ``smtps://…``."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from vigil.core.errors import ConfigurationError

DEFAULT_PORTS = {"smtp": 25, "smtp+starttls": 587, "smtps": 465}


@dataclass(frozen=True)
class SmtpServer:
    host: str
    port: int
    username: str
    password: str
    use_ssl: bool
    use_tls: bool


def parse_email_url(url: str) -> SmtpServer:
    """The SMTP server ``url`` names; ConfigurationError saying what is wrong otherwise."""
    if not url:
        raise ConfigurationError(
            "E-mail is not configured: set VIGIL_EMAIL_URL (smtp://host:port, "
            "smtp+starttls://user:password@host:587 or smtps://user:password@host:465)."
        )
    parts = urlsplit(url)
    if parts.scheme not in DEFAULT_PORTS:
        raise ConfigurationError(
            f"VIGIL_EMAIL_URL must start with smtp://, smtp+starttls:// or smtps://, "
            f"not {parts.scheme or 'nothing'}://."
        )
    try:
        port = parts.port or DEFAULT_PORTS[parts.scheme]
    except ValueError:
        raise ConfigurationError("VIGIL_EMAIL_URL has a port that is not a number.") from None
    if not parts.hostname:
        raise ConfigurationError("VIGIL_EMAIL_URL names no host.")
    return SmtpServer(
        host=parts.hostname,
        port=port,
        username=unquote(parts.username or ""),
        password=unquote(parts.password or ""),
        use_ssl=parts.scheme == "smtps",
        use_tls=parts.scheme == "smtp+starttls",
    )
