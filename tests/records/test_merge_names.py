"""A merged person keeps one primary name; the duplicate's becomes secondary (issue 10)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from vigil.core.context import ChangeContext, change_context
from vigil.records.merge import merge_persons, unmerge
from vigil.records.models import Person, PersonName

pytestmark = pytest.mark.django_db


@pytest.fixture
def ctx() -> Iterator[ChangeContext]:
    with change_context("test", detail="merge name tests") as c:
        yield c


def _person(name: str, script: str, lang: str = "") -> Person:
    p = Person(display_name=name, is_synthetic=True)
    p.save()
    PersonName(person=p, value=name, script=script, lang=lang, is_primary=True).save()
    return p


def _names(p: Person) -> dict[str, tuple[bool, str]]:
    return {n.value: (n.is_primary, n.kind) for n in PersonName.objects.filter(person=p)}


def test_a_merged_person_keeps_one_primary_name_and_the_other_script_stays_official(
    ctx: ChangeContext,
) -> None:
    keep = _person("Maksim Filatau", "Latn")
    dup = _person("Максим Филатов", "Cyrl", "ru")
    merge_persons(keep, dup, reason="one fictional judge in two scripts")
    assert _names(keep) == {
        "Maksim Filatau": (True, "official"),
        "Максим Филатов": (False, "official"),
    }


def test_a_second_name_in_the_same_script_becomes_an_alias(ctx: ChangeContext) -> None:
    keep = _person("Maksim Filatau", "Latn")
    dup = _person("Maxim Filatov", "Latn")
    merge_persons(keep, dup, reason="one fictional judge, two Latin spellings")
    assert _names(keep) == {"Maksim Filatau": (True, "official"), "Maxim Filatov": (False, "alias")}
    assert PersonName.objects.filter(person=keep, is_primary=True).count() == 1


def test_unmerge_gives_the_duplicate_its_primary_name_back(ctx: ChangeContext) -> None:
    keep = _person("Maksim Filatau", "Latn")
    dup = _person("Maxim Filatov", "Latn")
    merge_persons(keep, dup, reason="one fictional judge, two Latin spellings")
    unmerge(dup, reason="two fictional judges after all")
    assert _names(keep) == {"Maksim Filatau": (True, "official")}
    assert _names(dup) == {"Maxim Filatov": (True, "official")}
