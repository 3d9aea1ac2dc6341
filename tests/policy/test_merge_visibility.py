"""A merge record follows both persons, including the duplicate it soft-deleted."""

from __future__ import annotations

from typing import Any

from vigil.accounts.models import User
from vigil.policy.access import restrict
from vigil.records.merge import merge_persons
from vigil.records.models import Person, PersonMerge, PersonName


def _person(name: str, confidentiality: str = "internal") -> Person:
    p = Person(display_name=name, confidentiality=confidentiality)
    p.save()
    PersonName(person=p, value=name, is_primary=True).save()
    return p


def test_a_merge_is_visible_to_whoever_may_view_both_persons(
    users: dict[str, User], ctx: Any
) -> None:
    keep, dup = _person("Fictiona Mergeva"), _person("Fictiona Mergava")
    merge_persons(keep, dup, reason="two spellings")

    assert restrict(users["viewer"], "view", PersonMerge.objects.all()).count() == 1


def test_a_merge_stays_hidden_when_the_merged_away_duplicate_was_secret(
    users: dict[str, User], ctx: Any
) -> None:
    keep = _person("Fictiona Mergeva")
    dup = _person("Fictiona Mergava", confidentiality="secret")
    merge_persons(keep, dup, reason="two spellings")

    assert restrict(users["viewer"], "view", PersonMerge.objects.all()).count() == 0
    assert restrict(users["admin"], "view", PersonMerge.objects.all()).count() == 1


def test_a_soft_deleted_person_still_hides_its_live_names(users: dict[str, User], ctx: Any) -> None:
    gone = _person("Fictiona Deletedova")
    gone.soft_delete(reason="entered by mistake")

    names = restrict(users["admin"], "view", PersonName.objects.filter(person=gone))
    assert names.count() == 0
