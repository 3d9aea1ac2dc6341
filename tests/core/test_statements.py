"""Reads compiled once per process (``vigil.core.statements``) give what their querysets give."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from tests.policy import factories as f

from vigil.accounts.models import User
from vigil.alerts.models import Notification
from vigil.alerts.notifications import unread_count
from vigil.core import generations
from vigil.core.models import Generation
from vigil.core.statements import Statement
from vigil.policy.access import _active_grants, granted_case_ids
from vigil.policy.models import CaseGrant
from vigil.records.models import Case, Person

pytestmark = pytest.mark.django_db

GRANTS = Statement(
    CaseGrant,
    [CaseGrant._meta.get_field("user"), CaseGrant._meta.get_field("expires")],
    _active_grants,
)


def orm_grants(user: User, at: object) -> list[tuple[object, ...]]:
    return list(CaseGrant.objects.active(at).filter(user=user).values_list("case_id", "level"))


def test_the_grants_statement_reads_the_rows_the_orm_reads_for_every_user_and_instant(ctx, users):
    case = f.saved(Case(title="Fictional case"))
    other = f.saved(Case(title="Fictional other case"))
    viewer, analyst = users["viewer"], users["analyst"]
    now = timezone.now()
    CaseGrant.objects.create(user=viewer, case=case, level="secret")
    CaseGrant.objects.create(
        user=viewer, case=other, level="restricted", expires=now + timedelta(hours=1)
    )
    CaseGrant.objects.create(
        user=analyst, case=other, level="secret", expires=now - timedelta(minutes=1)
    )
    CaseGrant.objects.create(user=analyst, case=case, level="restricted", revoked_at=now)
    for user in (viewer, analyst, users["admin"]):
        for at in (now, now + timedelta(hours=2), now - timedelta(days=1)):
            assert sorted(GRANTS.rows(user.pk, at), key=str) == sorted(
                orm_grants(user, at), key=str
            )
    assert {case.pk, other.pk} == {row[0] for row in GRANTS.rows(viewer.pk, now)}
    assert all(isinstance(row[0], uuid.UUID) for row in GRANTS.rows(viewer.pk, now))
    assert GRANTS.rows(analyst.pk, now) == []


def test_granted_case_ids_reads_grants_given_and_revoked_since_the_last_read(ctx, users):
    case = f.saved(Case(title="Fictional case"))
    viewer = users["viewer"]
    assert granted_case_ids(viewer)["secret"] == []
    grant = CaseGrant.objects.create(user=viewer, case=case, level="secret")
    assert granted_case_ids(viewer)["secret"] == [case.pk]
    assert granted_case_ids(viewer)["restricted"] == [case.pk]  # a secret grant covers it
    CaseGrant.objects.filter(pk=grant.pk).update(revoked_at=timezone.now())
    assert granted_case_ids(viewer)["secret"] == []


def test_the_generation_statement_reads_the_counter_as_it_changes():
    name = "fictional-generation"
    assert generations.current(name) == 0
    generations.bump(name)
    assert generations.current(name) == 1
    Generation.objects.filter(key=name).update(value=41)
    assert generations.current(name) == 41
    assert generations.current("fictional-other") == 0


def test_the_unread_check_sees_a_notification_at_once_and_not_once_read(ctx, users):
    analyst, viewer = users["analyst"], users["viewer"]
    person = f.person("internal")
    assert unread_count(analyst) == 0
    note = Notification.objects.create(
        recipient=analyst,
        kind="act.created",
        dedup_key="fictional-1",
        target_type=ContentType.objects.get_for_model(Person),
        target_id=person.pk,
    )
    assert unread_count(analyst) == 1
    assert unread_count(viewer) == 0  # another user's notification
    Notification.objects.filter(pk=note.pk).update(read_at=timezone.now())
    assert unread_count(analyst) == 0


def test_a_statement_runs_one_query_each_time_and_counts_as_one(users):
    viewer = users["viewer"]
    GRANTS.rows(viewer.pk, timezone.now())  # compiled
    with CaptureQueriesContext(connection) as captured:
        GRANTS.rows(viewer.pk, timezone.now())
        GRANTS.rows(viewer.pk, timezone.now())
    assert len(captured.captured_queries) == 2
    assert "policy_casegrant" in captured.captured_queries[0]["sql"]


def test_a_statement_whose_value_the_sql_does_not_hold_is_refused(users):
    ignoring = Statement(
        CaseGrant,
        [CaseGrant._meta.get_field("user")],
        lambda user_id: CaseGrant.objects.values_list("case_id"),  # the value is not used
    )
    with pytest.raises(ValueError, match="not found"):
        ignoring.rows(users["viewer"].pk)
