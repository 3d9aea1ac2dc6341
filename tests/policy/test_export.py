"""Exports: published data plainly; the rest stepped-up, counted, audited, age-encrypted."""

from __future__ import annotations

import csv
import io
import json

import pyrage
import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import override_settings

from tests.conftest import stale, stepped_up
from vigil.accounts.stepup import StepUpRequired
from vigil.audit.models import AuditEntry
from vigil.core.errors import ConfigurationError, Forbidden, QuotaExceeded, ValidationFailed
from vigil.policy.export import export
from vigil.policy.models import UserFlag
from vigil.records.models import Person, Source

from . import factories as f

pytestmark = pytest.mark.django_db

IDENTITY = pyrage.x25519.Identity.generate()
RECIPIENT = str(IDENTITY.to_public())


@pytest.fixture
def people(ctx):
    return {
        "public": f.person("public", "Fictional Published"),
        "internal": f.person("internal", "Fictional Internal"),
        "secret": f.person("secret", "Fictional Secret"),
    }


def test_req13_published_data_downloads_plainly_for_anyone(people):
    result = export(AnonymousUser(), Person.objects.all(), ["id", "display_name"], "csv")
    assert not result.encrypted
    rows = list(csv.DictReader(io.StringIO(result.data.decode())))
    assert [r["display_name"] for r in rows] == ["Fictional Published"]
    assert not AuditEntry.objects.filter(event="export").exists()


@override_settings(VIGIL_EXPORT_RECIPIENTS=[RECIPIENT])
def test_req13_unpublished_export_is_encrypted_audited_and_counted(people, users):
    analyst = users["analyst"]
    result = export(
        analyst,
        Person.objects.all(),
        ["id", "display_name", "notes"],
        "json",
        request=stepped_up(analyst),
    )
    assert result.encrypted and result.filename.endswith(".json.age")
    assert b"Fictional" not in result.data
    rows = json.loads(pyrage.decrypt(result.data, [IDENTITY]))
    assert {r["display_name"] for r in rows} == {"Fictional Published", "Fictional Internal"}
    entry = AuditEntry.objects.get(event="export")
    assert (entry.meta["count"], entry.meta["format"], entry.meta["recipients"]) == (2, "json", 1)


def test_req13_unpublished_export_refused_when_no_recipients_are_configured(people, users):
    admin = users["admin"]
    with override_settings(VIGIL_EXPORT_RECIPIENTS=[]), pytest.raises(ConfigurationError) as raised:
        export(admin, Person.objects.all(), ["id"], request=stepped_up(admin))
    assert "VIGIL_EXPORT_RECIPIENTS" in raised.value.message


@override_settings(VIGIL_EXPORT_RECIPIENTS=["age1-not-a-key"])
def test_req13_invalid_recipient_is_a_clear_configuration_error(people, users):
    with pytest.raises(ConfigurationError):
        export(users["admin"], Person.objects.all(), ["id"], request=stepped_up(users["admin"]))


@override_settings(VIGIL_EXPORT_RECIPIENTS=[RECIPIENT])
def test_req9_unpublished_export_needs_a_recent_second_factor(people, users):
    with pytest.raises(StepUpRequired):
        export(users["admin"], Person.objects.all(), ["id"], request=stale(users["admin"]))


@override_settings(VIGIL_EXPORT_RECIPIENTS=[RECIPIENT])
def test_req13_non_public_fields_of_public_records_are_encrypted_too(people, users):
    admin = users["admin"]
    result = export(
        admin,
        Person.objects.filter(confidentiality="public"),
        ["id", "notes"],
        request=stepped_up(admin),
    )
    assert result.encrypted


def test_req13_anonymous_cannot_export_unpublished_fields(people):
    with pytest.raises(Forbidden):
        export(AnonymousUser(), Person.objects.all(), ["id", "notes"])


@override_settings(VIGIL_EXPORT_RECIPIENTS=[RECIPIENT])
def test_req13_identity_fields_are_never_exported(users, ctx):
    f.source("restricted", source_person=f.person("restricted"))
    admin = users["admin"]
    for field in ("source_person", "source_person_id"):
        with pytest.raises(Forbidden):
            export(admin, Source.objects.all(), ["id", field], request=stepped_up(admin))


@override_settings(VIGIL_EXPORT_RECIPIENTS=[RECIPIENT])
def test_req11_export_leaves_out_rows_the_user_may_not_export(people, users):
    viewer = users["viewer"]
    result = export(viewer, Person.objects.all(), ["id", "display_name"], request=stale(viewer))
    # A viewer may export published rows only, so what is left is published and plain.
    assert not result.encrypted
    rows = list(csv.DictReader(io.StringIO(result.data.decode())))
    assert [r["display_name"] for r in rows] == ["Fictional Published"]


def test_req13_export_rejects_unknown_fields_and_formats(people, users):
    with pytest.raises(ValidationFailed):
        export(users["admin"], Person.objects.all(), ["password"])
    with pytest.raises(ValidationFailed):
        export(users["admin"], Person.objects.all(), ["id"], "pdf")


@override_settings(VIGIL_EXPORT_RECIPIENTS=[RECIPIENT], VIGIL_EXPORT_QUOTA=1)
def test_req13_export_quota_refuses_and_flags_the_user(people, users):
    analyst = users["analyst"]
    export(analyst, Person.objects.all(), ["id"], request=stepped_up(analyst))
    with pytest.raises(QuotaExceeded):
        export(analyst, Person.objects.all(), ["id"], request=stepped_up(analyst))
    assert UserFlag.objects.filter(user=analyst, kind="quota_export").exists()
    assert AuditEntry.objects.filter(event="quota_exceeded").count() == 1
    assert AuditEntry.objects.filter(event="export").count() == 1
