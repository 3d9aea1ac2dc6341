"""One error hierarchy: every user-facing error is a VigilError from `vigil.core.errors`."""

from __future__ import annotations

from vigil.accounts.management.commands.lockdown import LockdownIncomplete as FromLockdown
from vigil.accounts.stepup import StepUpRequired as FromStepUp
from vigil.accounts.throttle import TooManyAttempts as FromThrottle
from vigil.core import errors


def test_policy_errors_live_only_in_the_core_hierarchy():
    import importlib.util

    assert importlib.util.find_spec("vigil.policy.errors") is None
    assert issubclass(errors.Forbidden, errors.VigilError)


def test_account_errors_live_in_the_core_hierarchy():
    assert FromStepUp is errors.StepUpRequired
    assert FromThrottle is errors.TooManyAttempts
    assert FromLockdown is errors.LockdownIncomplete


def test_error_statuses_and_messages_are_fit_for_users():
    assert issubclass(errors.QuotaExceeded, errors.Forbidden)
    assert (errors.Forbidden.status, errors.QuotaExceeded.status) == (403, 429)
    assert errors.StepUpRequired.status == 403
    assert not issubclass(errors.StepUpRequired, errors.Forbidden)  # a 404-mapping must not hide it
    assert errors.TooManyAttempts().status == 429
    assert "authenticator" in errors.StepUpRequired().message
    assert "Wait a minute" in errors.TooManyAttempts().message
    for cls in (errors.Forbidden, errors.QuotaExceeded, errors.LockdownIncomplete):
        assert issubclass(cls, errors.VigilError) and cls("x").exit_code == 2
