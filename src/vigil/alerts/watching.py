"""Watching records and adding webhooks: the services the CLI and the pages call."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction

from vigil.alerts.models import EventKind, Watch, Webhook
from vigil.core.errors import Forbidden, NotFound, ValidationFailed
from vigil.policy.access import restrict
from vigil.records.lookup import resolve_person
from vigil.records.models import Case, Organisation, Person

if TYPE_CHECKING:
    from vigil.accounts.types import User

#: What a user can watch by id, in the order an id is looked up.
WATCHABLE: tuple[type[models.Model], ...] = (Person, Organisation, Case)
WEBHOOK_ROLES = {"admin", "coordinator"}


def find_watchable(user: User, text: str) -> models.Model:
    """The record ``text`` names (an id of a person, organisation or case, or a person's name),
    among those ``user`` may view."""
    text = text.strip()
    if not text:
        raise ValidationFailed("Name the record to watch: a person's name or a record id.")
    try:
        pk = uuid.UUID(text)
    except ValueError:
        return resolve_person(text, restrict(user, "view", Person.objects.all()))
    for model in WATCHABLE:
        found = restrict(user, "view", model._default_manager.filter(pk=pk)).first()
        if found is not None:
            return found
    raise NotFound(f"No person, organisation or case with id {text} that you may view.")


def watch(user: User, record: models.Model) -> tuple[Watch, bool]:
    """``user`` watches ``record``; (the watch, whether it is new)."""
    if not restrict(user, "view", type(record)._default_manager.filter(pk=record.pk)).exists():
        raise NotFound("No such record that you may view.")
    return Watch.objects.get_or_create(
        user=user,
        target_type=ContentType.objects.get_for_model(type(record)),
        target_id=record.pk,
    )


def is_watching(user: User, record: models.Model) -> bool:
    """Whether ``user`` watches ``record``."""
    return Watch.objects.filter(
        user=user,
        target_type=ContentType.objects.get_for_model(type(record)),
        target_id=record.pk,
    ).exists()


def unwatch(user: User, record: models.Model) -> bool:
    """Stop watching ``record``; whether there was a watch."""
    found = Watch.objects.filter(
        user=user,
        target_type=ContentType.objects.get_for_model(type(record)),
        target_id=record.pk,
    )
    return bool(found.delete()[0])


def watches_of(user: User) -> list[tuple[Watch, models.Model | None]]:
    """The user's watches with their records (None where the user may no longer view it)."""
    rows = []
    for item in Watch.objects.filter(user=user).select_related("target_type"):
        model = item.target_type.model_class()
        record = None
        if model is not None:
            rows_of = model._default_manager.filter(pk=item.target_id)
            record = restrict(user, "view", rows_of).first()
        rows.append((item, record))
    return rows


def parse_events(text: str) -> list[str]:
    """``--events act.created,act.changed`` as a list; ValidationFailed naming an unknown kind."""
    kinds = [k.strip() for k in text.split(",") if k.strip()]
    known = set(EventKind.values)
    for kind in kinds:
        if kind not in known:
            raise ValidationFailed(
                f"Unknown event {kind!r}; known events: {', '.join(sorted(known))}."
            )
    return kinds


def add_webhook(owner: User, url: str, secret: str, events: list[str] | None = None) -> Webhook:
    """A webhook for ``owner``'s watches (admins and coordinators only)."""
    if getattr(owner, "role", None) not in WEBHOOK_ROLES:
        raise Forbidden("Only an admin or a coordinator may add a webhook.")
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValidationFailed(f"A webhook URL must be http:// or https:// with a host: {url!r}.")
    if len(secret) < 16:
        raise ValidationFailed("A webhook secret must be at least 16 characters long.")
    with transaction.atomic():
        hook = Webhook(owner=owner, url=url.strip(), secret=secret, events=list(events or []))
        hook.save()
    return hook


def disable_webhook(owner: User, webhook_id: str) -> None:
    """Stop sending to one of ``owner``'s webhooks; its pending rows are dropped at delivery."""
    try:
        pk = uuid.UUID(webhook_id.strip())
    except ValueError:
        raise ValidationFailed(f"{webhook_id!r} is not a webhook id.") from None
    if not Webhook.objects.filter(pk=pk, owner=owner).update(active=False):
        raise NotFound(f"You have no webhook with id {webhook_id}.")
