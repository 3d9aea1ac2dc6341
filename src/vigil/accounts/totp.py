"""Time-based one-time passwords (RFC 6238 via pyotp): enrolment, verification without replay."""

from __future__ import annotations

import hmac
import io
import time

import pyotp
import segno
from django.db import transaction
from django.utils import timezone

from vigil.accounts.auditing import audit
from vigil.accounts.models import TOTPDevice, User
from vigil.core.chunks import chunked

ISSUER = "Vigil"
# One step either side tolerates a phone clock 30 s off without widening the guess space much.
DRIFT_STEPS = 1


def _totp(device: TOTPDevice) -> pyotp.TOTP:
    return pyotp.TOTP(device.secret)


def start_enrolment(user: User) -> TOTPDevice:
    """The user's unconfirmed authenticator, created with a fresh secret if there is none."""
    device = TOTPDevice.objects.filter(user=user).first()
    if device is None:
        return TOTPDevice.objects.create(user=user, secret=pyotp.random_base32(32))
    if device.is_confirmed:
        raise ValueError("this account already has a confirmed authenticator")
    return device


def provisioning_uri(device: TOTPDevice) -> str:
    """The otpauth:// URI an authenticator app reads from the QR code."""
    return _totp(device).provisioning_uri(name=device.user.get_username(), issuer_name=ISSUER)


def qr_svg(uri: str) -> str:
    """An inline SVG QR code of ``uri``, rendered locally (no external service)."""
    return str(segno.make(uri, error="m").svg_inline(scale=4, title="QR code"))


def terminal_qr(uri: str) -> str:
    """A QR code of ``uri`` drawn with Unicode blocks, for printing in a terminal."""
    out = io.StringIO()
    segno.make(uri, error="m").terminal(out=out, compact=True)
    return out.getvalue()


def grouped_secret(secret: str) -> str:
    """The secret in groups of four letters, for typing into an app by hand."""
    return " ".join(chunked(secret, 4))


def matching_step(device: TOTPDevice, code: str, at: float | None = None) -> int | None:
    """The time-step whose code equals ``code`` near ``at``, if any (constant-time compare)."""
    code = "".join(code.split())
    if not code.isdigit() or len(code) != 6:
        return None
    totp = _totp(device)
    now_step = totp.timecode(time.time() if at is None else at)
    found = None
    for step in range(now_step - DRIFT_STEPS, now_step + DRIFT_STEPS + 1):
        if hmac.compare_digest(totp.generate_otp(step), code):
            found = step
    return found


def verify(device: TOTPDevice, code: str, at: float | None = None) -> bool:
    """Accept ``code`` once: a code of a time-step at or before the last accepted one is refused."""
    step = matching_step(device, code, at)
    if step is None or step <= device.last_used_step:
        return False
    # The conditional update makes two concurrent uses of one code accept only one.
    claimed = TOTPDevice.objects.filter(pk=device.pk, last_used_step__lt=step).update(
        last_used_step=step
    )
    if claimed:
        device.last_used_step = step
    return bool(claimed)


def confirm(device: TOTPDevice, code: str, at: float | None = None) -> bool:
    """Confirm an enrolment with a first code from the app."""
    with transaction.atomic():
        if not verify(device, code, at):
            return False
        device.confirmed_at = timezone.now()
        device.save(update_fields=["confirmed_at"])
    return True


def confirmed_device(user: User) -> TOTPDevice | None:
    """The user's confirmed authenticator, if any."""
    return TOTPDevice.objects.filter(user=user, confirmed_at__isnull=False).first()


def reset(user: User) -> None:
    """Remove the user's authenticator (an administrator's action after a lost phone)."""
    TOTPDevice.objects.filter(user=user).delete()
    audit("2fa_removed", obj=user, method="totp")
