"""Step-up for policy actions: a second factor from the last few minutes, or the host's CLI."""

from __future__ import annotations

from typing import TYPE_CHECKING

from vigil.core.context import current_context
from vigil.core.errors import MissingChangeContext

if TYPE_CHECKING:
    from django.http import HttpRequest


def require_step_up(request: HttpRequest | None) -> None:
    """Raise the accounts app's ``StepUpRequired`` unless the 2FA check is recent.

    Without a request only a CLI command passes: whoever runs it on the host already holds
    the database key, so a second factor there would protect nothing.
    """
    from vigil.accounts.stepup import StepUpRequired, require_recent_2fa

    if request is None:
        try:
            kind = current_context().kind
        except MissingChangeContext:
            kind = ""
        if kind != "cli":
            raise StepUpRequired()
        return
    require_recent_2fa(request)
