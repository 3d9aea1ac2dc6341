"""Helpers for the attack-surface tests: authenticator codes and a fictional record."""

from __future__ import annotations

import time

import pyotp
from django.contrib.contenttypes.models import ContentType

from vigil.accounts.models import TOTPDevice, User
from vigil.core.context import change_context
from vigil.records.models import ExternalId, Information, Person, PersonName, Source


def next_code(user: User) -> str:
    """A valid authenticator code for ``user`` that has not been used yet."""
    device = TOTPDevice.objects.get(user=user)
    totp = pyotp.TOTP(device.secret)
    step = max(totp.timecode(time.time()), device.last_used_step + 1)
    return totp.generate_otp(step)


def make_fictional_person(name: str = "Fictia Testovna") -> Person:
    """A visibly fictional person with names, an identifier and a cited source."""
    with change_context("test"):
        person = Person.objects.create(display_name=name, is_synthetic=True)
        PersonName.objects.create(person=person, value=name, normalised=name.lower())
        PersonName.objects.create(person=person, value="Фікцыя Тэстаўна", normalised="фікцыя")
        ExternalId.objects.create(person=person, scheme="fictional", value="fictional-0001")
        source = Source.objects.create(title="Fictional source for the surface tests")
        Information.objects.create(
            source=source,
            target_type=ContentType.objects.get_for_model(Person),
            target_id=person.pk,
            quote="A fictional quote",
        )
    return person
