"""What several hosts share through the database, one piece at a time (both databases, except
the concurrent insert, which needs PostgreSQL's row-level concurrency)."""

from __future__ import annotations

import threading
import time
import uuid

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction

from tests.alerts.conftest import make_user
from vigil.alerts.events import notify
from vigil.alerts.models import TERM_ENDING, Notification, Outbox, Watch
from vigil.audit import signing
from vigil.audit.checkpoints import create_checkpoint
from vigil.audit.errors import AuditError
from vigil.core import generations
from vigil.core.context import change_context
from vigil.core.models import Generation
from vigil.records.models import Person, Term
from vigil.web import filters

pytestmark = pytest.mark.django_db


def test_saving_a_term_starts_a_new_generation_of_the_filter_options_for_every_host(
    django_capture_on_commit_callbacks,
):
    before = generations.current(filters.OPTIONS_GENERATION)
    term = Term.objects.filter(vocabulary="act_type").first()
    assert term is not None
    with django_capture_on_commit_callbacks(execute=True):
        with change_context("test"):
            term.label_en = term.label_en + " (fictional edit)"
            term.save()
        assert generations.current(filters.OPTIONS_GENERATION) == before  # not before commit
    assert generations.current(filters.OPTIONS_GENERATION) == before + 1


def test_cached_options_are_read_again_when_another_host_bumped_the_generation():
    field = filters.TermChoiceField("act_type")
    filters.cached_options(field, "fictional-key")
    first = list(field.choices)
    # Another host renames a term: its process bumps the shared counter, ours only reads.
    term = Term.objects.filter(vocabulary="act_type").order_by("label_en").first()
    assert term is not None
    Term.objects.filter(pk=term.pk).update(label_en="Aaa fictional renamed on host B")
    again = filters.TermChoiceField("act_type")
    filters.cached_options(again, "fictional-key")
    assert list(again.choices) == first  # same generation: the cached options, as designed
    Generation.objects.update_or_create(
        key=filters.OPTIONS_GENERATION,
        defaults={"value": generations.current(filters.OPTIONS_GENERATION) + 1},
    )
    fresh = filters.TermChoiceField("act_type")
    filters.cached_options(fresh, "fictional-key")
    labels = [str(label) for _, label in fresh.choices]
    assert "Aaa fictional renamed on host B" in labels


def test_a_host_whose_audit_signing_key_is_not_the_logs_is_refused(tmp_path, settings):
    create_checkpoint()
    signing.check_same_key_as_log()  # this installation's own key: fine
    settings.AUDIT_SIGNING_KEY_FILE = tmp_path / "other-host.key"
    signing._create(settings.AUDIT_SIGNING_KEY_FILE)  # a key made on another host
    with pytest.raises(AuditError, match="VIGIL_AUDIT_SIGNING_KEY"):
        signing.check_same_key_as_log()
    settings.AUDIT_SIGNING_KEY_FILE = tmp_path / "missing.key"
    with pytest.raises(AuditError, match="missing"):
        signing.check_same_key_as_log()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_workers_queueing_the_same_reminder_at_once_write_it_once():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite's write lock already serialises the two writers")
    user = make_user("fictional-reminded", "coordinator", "reminded@example.org")
    with change_context("test"):
        person = Person(display_name="Fictional Reminded Person")
        person.save()
    watch = Watch.objects.create(
        user=user, target_type=ContentType.objects.get_for_model(Person), target_id=person.pk
    )
    key = f"{TERM_ENDING}:{person.pk}:2027-01-01"
    first_wrote = threading.Event()
    results: dict[str, object] = {}

    def first() -> None:
        try:
            with transaction.atomic():
                results["first"] = notify(watch, TERM_ENDING, key, uuid.uuid4(), {})
                first_wrote.set()
                time.sleep(1.0)  # the second worker's insert waits on this uncommitted row
        finally:
            connection.close()  # each thread has its own connection, also when it failed

    def second() -> None:
        first_wrote.wait(10)
        try:
            with transaction.atomic():
                results["second"] = notify(watch, TERM_ENDING, key, uuid.uuid4(), {})
        except Exception as exc:  # noqa: BLE001 - the test reports what escaped
            results["second"] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert results == {"first": 1, "second": 0}
    assert Notification.objects.filter(dedup_key__startswith=key).count() == 1
    assert Outbox.objects.filter(dedup_key__startswith=key).count() == 1
