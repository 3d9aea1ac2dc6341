"""Identity fields: revealed only with permission, a fresh second factor, a quota and an audit."""

from __future__ import annotations

import pytest
from django.test import override_settings

from tests.conftest import stale, stepped_up
from vigil.accounts.stepup import StepUpRequired
from vigil.audit.models import AuditEntry
from vigil.core.errors import Forbidden, QuotaExceeded, ValidationFailed
from vigil.policy.identity import can_reveal, identity_fields, ordinary_fields, reveal
from vigil.policy.models import CaseGrant, UserFlag
from vigil.policy.quotas import used_today
from vigil.records.models import Case, Source

from . import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def witness_source(ctx):
    witness = f.person("restricted", "Fictional Witness Examplenka")
    return f.source("restricted", source_person=witness), witness


def test_req11_source_person_is_an_identity_field_hidden_from_ordinary_fields():
    assert {"source_person", "source_person_id"} <= identity_fields(Source)
    assert "source_person" not in ordinary_fields(Source)
    assert "title" in ordinary_fields(Source)


def test_req11_reveal_returns_the_witness_and_writes_an_audit_entry(witness_source, users):
    source, witness = witness_source
    coordinator = users["coordinator"]
    assert reveal(coordinator, source, "source_person", stepped_up(coordinator)) == witness
    entry = AuditEntry.objects.filter(event="identity_read").latest("seq")
    assert (entry.object_id, entry.meta) == (str(source.pk), {"field": "source_person"})
    assert str(witness.pk) not in str(entry.meta)
    assert used_today(coordinator, "reveal") == 1


def test_req11_analyst_reveals_only_with_a_case_grant(witness_source, users):
    source, witness = witness_source
    analyst = users["analyst"]
    assert not can_reveal(analyst, source, "source_person")
    with pytest.raises(Forbidden):
        reveal(analyst, source, "source_person", stepped_up(analyst))
    assert AuditEntry.objects.filter(event="denied", object_id=str(source.pk)).exists()
    case = f.saved(Case(title="Fictional case"))
    case.persons.add(witness)
    CaseGrant.objects.create(user=analyst, case=case, level="restricted")
    assert can_reveal(analyst, source, "source_person")


def test_req11_viewer_can_never_reveal(witness_source, users):
    source, _ = witness_source
    assert not can_reveal(users["viewer"], source, "source_person")


def test_req9_reveal_needs_a_recent_second_factor(witness_source, users):
    source, _ = witness_source
    coordinator = users["coordinator"]
    with pytest.raises(StepUpRequired):
        reveal(coordinator, source, "source_person", stale(coordinator))
    with pytest.raises(StepUpRequired):
        reveal(coordinator, source, "source_person")
    assert used_today(coordinator, "reveal") == 0


def test_req11_reveal_refuses_a_field_that_is_not_an_identity_field(witness_source, users):
    source, _ = witness_source
    with pytest.raises(ValidationFailed):
        reveal(users["admin"], source, "title", stepped_up(users["admin"]))


def test_req11_reveal_reads_the_stored_value_not_the_callers_copy(witness_source, users):
    source, witness = witness_source
    source.source_person = f.person("internal", "Fictional Decoy")
    admin = users["admin"]
    assert reveal(admin, source, "source_person", stepped_up(admin)) == witness


@override_settings(VIGIL_REVEAL_QUOTA=2)
def test_req13_reveal_quota_refuses_alerts_and_flags_the_user(witness_source, users):
    source, _ = witness_source
    coordinator = users["coordinator"]
    for _ in range(2):
        reveal(coordinator, source, "source_person", stepped_up(coordinator))
    with pytest.raises(QuotaExceeded) as raised:
        reveal(coordinator, source, "source_person", stepped_up(coordinator))
    assert raised.value.status == 429
    assert AuditEntry.objects.filter(event="identity_read").count() == 2
    alert = AuditEntry.objects.get(event="quota_exceeded")
    assert alert.object_id == str(coordinator.pk)
    assert UserFlag.objects.filter(user=coordinator, kind="quota_reveal").count() == 1
    with pytest.raises(QuotaExceeded):
        reveal(coordinator, source, "source_person", stepped_up(coordinator))
    assert UserFlag.objects.filter(user=coordinator, kind="quota_reveal").count() == 1
