"""The network: one e-mail over SMTP, one signed webhook POST. Called only by delivery."""

from __future__ import annotations

import time
import urllib.error
import urllib.request

from django.conf import settings
from django.core.mail import EmailMessage, get_connection

from vigil.alerts.email_url import parse_email_url
from vigil.alerts.signing import DELIVERY_HEADER, SIGNATURE_HEADER, TIMESTAMP_HEADER, sign

TIMEOUT_SECONDS = 15


class DeliveryFailed(Exception):
    """The server refused or could not be reached; the row is retried later."""


def send_email(address: str, subject: str, body: str, delivery: str) -> None:
    """Send one plain-text e-mail through VIGIL_EMAIL_URL."""
    server = parse_email_url(settings.VIGIL_EMAIL_URL)
    connection = get_connection(
        "django.core.mail.backends.smtp.EmailBackend",
        host=server.host,
        port=server.port,
        username=server.username or None,
        password=server.password or None,
        use_ssl=server.use_ssl,
        use_tls=server.use_tls,
        timeout=TIMEOUT_SECONDS,
        fail_silently=False,
    )
    message = EmailMessage(
        subject,
        body,
        settings.VIGIL_EMAIL_FROM,
        [address],
        connection=connection,
        headers={DELIVERY_HEADER: delivery},
    )
    try:
        message.send()
    except OSError as exc:  # smtplib errors are OSErrors
        raise DeliveryFailed(f"SMTP: {type(exc).__name__}: {exc}"[:400]) from exc


def post_webhook(url: str, secret: str, body: bytes, delivery: str) -> int:
    """POST ``body`` signed with ``secret``; the HTTP status, DeliveryFailed unless 2xx."""
    timestamp = int(time.time())
    request = urllib.request.Request(  # noqa: S310 - http(s) only, checked when added
        url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json",
            "User-Agent": "Vigil-Webhook",
            SIGNATURE_HEADER: sign(secret, timestamp, body),
            TIMESTAMP_HEADER: str(timestamp),
            DELIVERY_HEADER: delivery,
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310  # nosec B310
            return int(response.status)
    except urllib.error.HTTPError as exc:
        raise DeliveryFailed(f"HTTP {exc.code} from the webhook") from exc
    except (urllib.error.URLError, OSError) as exc:
        raise DeliveryFailed(f"webhook unreachable: {type(exc).__name__}"[:400]) from exc
