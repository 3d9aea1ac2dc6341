import pytest
from django.db import connection

from vigil.core.context import change_context, without_context
from vigil.core.errors import (
    ConflictError,
    HardDeleteRefused,
    MissingChangeContext,
    ValidationFailed,
)
from vigil.core.history import bulk_create_records, history_of
from vigil.core.models import Version
from vigil.records.models import Person

pytestmark = pytest.mark.django_db


def test_save_without_context_raises_and_writes_nothing():
    with without_context(), pytest.raises(MissingChangeContext):
        Person(display_name="Fictional Ivanka Tsvirko").save()
    assert Person.all_objects.count() == 0
    assert Version.objects.count() == 0


def test_create_writes_version_one_under_the_context():
    with change_context("cli", detail="vigil test-command") as ctx:
        person = Person.objects.create(display_name="Fictional Ivanka Tsvirko")
    assert person.version == 1
    [version] = history_of(person)
    assert (version.version, version.action, version.context_kind) == (1, "create", "cli")
    assert version.context_id == ctx.id
    assert version.snapshot["display_name"] == "Fictional Ivanka Tsvirko"


def test_update_increments_version_and_names_changed_fields():
    with change_context("test"):
        person = Person.objects.create(display_name="Fictional Ivanka Tsvirko")
        person.notes = "moved to another city"
        person.save()
    assert person.version == 2
    latest = history_of(person).last()
    assert latest.action == "update"
    assert latest.changed == ["notes"]


def test_stale_save_raises_conflict_instead_of_overwriting():
    with change_context("test"):
        person = Person.objects.create(display_name="Fictional Ivanka Tsvirko")
        first = Person.objects.get(pk=person.pk)
        second = Person.objects.get(pk=person.pk)
        first.notes = "first writer"
        first.save()
        second.notes = "second writer"
        with pytest.raises(ConflictError):
            second.save()
    assert Person.objects.get(pk=person.pk).notes == "first writer"
    assert second.version == 1  # the failed save leaves the stale copy as it was


def test_soft_delete_hides_the_record_and_keeps_its_history():
    with change_context("test"):
        person = Person.objects.create(display_name="Fictional Ivanka Tsvirko")
        person.soft_delete("entered twice by mistake")
    assert not Person.objects.filter(pk=person.pk).exists()
    kept = Person.all_objects.get(pk=person.pk)
    assert kept.deletion_reason == "entered twice by mistake"
    assert [v.action for v in history_of(person)] == ["create", "delete"]


def test_soft_delete_needs_a_reason():
    with change_context("test"):
        person = Person.objects.create(display_name="Fictional Ivanka Tsvirko")
        with pytest.raises(ValidationFailed):
            person.soft_delete("  ")


def test_restore_brings_a_deleted_record_back_with_a_version():
    with change_context("test"):
        person = Person.objects.create(display_name="Fictional Ivanka Tsvirko")
        person.soft_delete("mistake")
        person.restore()
    assert Person.objects.filter(pk=person.pk).exists()
    assert [v.action for v in history_of(person)] == ["create", "delete", "restore"]


def test_hard_delete_is_refused_for_records_querysets_and_history():
    with change_context("test"):
        person = Person.objects.create(display_name="Fictional Ivanka Tsvirko")
    with pytest.raises(HardDeleteRefused):
        person.delete()
    with pytest.raises(HardDeleteRefused):
        Person.objects.all().delete()
    with pytest.raises(HardDeleteRefused):
        history_of(person).first().delete()
    assert Person.objects.filter(pk=person.pk).exists()


def test_bulk_create_writes_the_same_history_as_single_saves():
    with change_context("test") as ctx:
        single = Person.objects.create(display_name="Fictional Ales Kvitka", notes="n")
        bulk = Person(display_name="Fictional Ales Kvitka", notes="n")
        bulk_create_records([bulk], ctx=ctx)
    one, two = history_of(single).get(), history_of(bulk).get()
    ignore = {"id", "created_at", "updated_at"}
    assert {k: v for k, v in one.snapshot.items() if k not in ignore} == {
        k: v for k, v in two.snapshot.items() if k not in ignore
    }
    for field in ("version", "action", "context_kind", "context_id", "changed"):
        assert getattr(one, field) == getattr(two, field)
    assert bulk.version == 1 and Person.objects.get(pk=bulk.pk).version == 1


def test_context_kind_must_be_known():
    with pytest.raises(ValueError):
        with change_context("telepathy"):
            pass


def test_web_requests_run_in_a_web_context(client, django_user_model):
    # The middleware gives every request a context: a save made by a view is attributed.
    from vigil.web.middleware import ChangeContextMiddleware

    seen = {}

    def view(request):
        from vigil.core.context import current_context

        seen["kind"] = current_context().kind
        from django.http import HttpResponse

        return HttpResponse("ok")

    from django.test import RequestFactory

    request = RequestFactory().get("/")
    ChangeContextMiddleware(view)(request)
    assert seen["kind"] == "web"
    assert connection.vendor in {"sqlite", "postgresql"}
