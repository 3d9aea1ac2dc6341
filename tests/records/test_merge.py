"""Merging duplicate persons: every reference moves, history is kept, unmerge is exact."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.record_acts import act_of

from vigil.core.context import ChangeContext, change_context
from vigil.core.errors import ConflictError, NotFound, ValidationFailed
from vigil.core.history import history_of
from vigil.core.models import Action, Version
from vigil.records.merge import (
    follow_merges,
    merge_candidates,
    merge_persons,
    person_references,
    unmerge,
)
from vigil.records.models import (
    Act,
    Case,
    Counsel,
    ExternalId,
    Information,
    Intervention,
    Involvement,
    Organisation,
    Participant,
    Person,
    PersonMerge,
    PersonName,
    Profession,
    Source,
    Term,
)

pytestmark = pytest.mark.django_db

# Every name below is invented for these tests ("Example...", "Sample...", "Fiction...").
KEEP_NAME = "Anton Examplenka"
DUPLICATE_NAME = "Anton Examplenko"


@pytest.fixture
def ctx() -> Iterator[ChangeContext]:
    """Run the test's changes under a test change context."""
    with change_context("test", detail="merge tests") as c:
        yield c


def term(vocabulary: str, key: str) -> str:
    """The id of a vocabulary term, created when the vocabularies are not loaded."""
    obj, _ = Term.objects.get_or_create(
        id=Term.pk_for(vocabulary, key),
        defaults={"vocabulary": vocabulary, "key": key, "code": f"vigil:{key}", "label_en": key},
    )
    return obj.pk


def person(name: str, **fields: object) -> Person:
    """A saved person with a primary name."""
    p = Person(display_name=name, **fields)
    p.save()
    PersonName(person=p, value=name, is_primary=True).save()
    return p


@dataclass
class World:
    """A kept person, a duplicate referred to in every possible way, and their records."""

    keep: Person
    duplicate: Person
    earlier: Person
    case_with_both: Case
    case_with_duplicate: Case
    intervention: Intervention


def build_world() -> World:
    """Create two spellings of one fictional judge, the duplicate referred to in every way."""
    keep = person(KEEP_NAME)
    dup = person(DUPLICATE_NAME)
    PersonName(person=dup, value="Антон Экзампленка", script="Cyrl").save()
    Profession(person=dup, profession_id=term("profession", "lawyer")).save()
    ExternalId(person=dup, scheme="example", value="fictional-1").save()
    victim_act = act_of(dup, "arrest", None)
    other = act_of(person("Zmitser Samplevich"), "arrest", None)
    Involvement(act=other, perpetrator_person=dup, role_id=term("perpetrator_role", "judge")).save()
    Counsel(act=other, lawyer=dup).save()
    Participant(act=other, person=dup, name_text=DUPLICATE_NAME, stated_role="counsel").save()
    source = Source(title="Fictional testimony", source_person=dup)
    source.save()
    Information(
        source=source,
        target_type=ContentType.objects.get_for_model(Person),
        target_id=dup.pk,
    ).save()
    Information(
        source=source, target_type=ContentType.objects.get_for_model(Act), target_id=victim_act.pk
    ).save()
    both = Case(title="Fictional case with both")
    both.save()
    both.persons.add(keep, dup)
    only = Case(title="Fictional case with the duplicate")
    only.save()
    only.persons.add(dup)
    intervention = Intervention(intervention_type_id=term("intervention_type", "statement"))
    intervention.save()
    intervention.persons.add(dup)
    from django.utils import timezone

    from vigil.sanctions.models import ListedEntity, SanctionsList, ScreeningMatch

    fictional_list = SanctionsList.objects.create(
        name="fictional-list", kind="ftm", issuer="EU", imported_at=timezone.now()
    )
    entity = ListedEntity.objects.create(
        sanctions_list=fictional_list, entity_id="F-1", schema="Person",
        caption="Anton Examplenka", fingerprint="x",
    )
    ScreeningMatch(person=dup, listed_entity=entity, score=0.9, query_name=DUPLICATE_NAME,
                   matched_name="Anton Examplenka", explanation="fictional").save()
    from vigil.responses.models import ForumPosition, InterventionBeneficiary

    state = Organisation(display_name="Fictional Republic of Exampleland")
    state.save()
    position = ForumPosition(forum="hrc", state=state, position="statement")
    position.save()
    position.persons.add(dup)
    InterventionBeneficiary(intervention=intervention, person=dup, kind="grant").save()
    import datetime as dt

    from vigil.solidarity.models import Hearing, Statement

    Hearing(case=only, date=dt.date(2026, 3, 2), judge=dup).save()
    Hearing(case=only, date=dt.date(2026, 3, 9), prosecutor=dup).save()
    statement = Statement(title="Fictional statement", author_text="Fictional bar association")
    statement.save()
    statement.persons.add(dup)
    earlier = person("Anton Examplenkau")
    merge_persons(dup, earlier, reason="fictional earlier duplicate")
    return World(keep, dup, earlier, both, only, intervention)


def references_to(p: Person) -> dict[str, set[uuid.UUID]]:
    """Every record referring to ``p``, per reference key."""
    return {
        ref.key: set(ref.pointing_at(p.pk).values_list("pk", flat=True))
        for ref in person_references()
    }


def test_person_references_cover_every_record_that_can_name_a_person() -> None:
    keys = {ref.key for ref in person_references()}
    assert keys >= {
        "records.personname.person",
        "records.profession.person",
        "records.externalid.person",
        "records.act.victim_person",
        "records.involvement.perpetrator_person",
        "records.counsel.lawyer",
        "records.participant.person",
        "records.source.source_person",
        "records.case.persons",
        "records.intervention.persons",
        "records.information.target_id",
        "records.person.merged_into",
    }
    assert not any(key.startswith("records.personmerge.") for key in keys)


def test_merge_moves_every_kind_of_reference_to_the_kept_person(ctx: ChangeContext) -> None:
    w = build_world()
    before = references_to(w.duplicate)
    assert all(before.values()), [k for k, v in before.items() if not v]
    kept_before = references_to(w.keep)

    result = merge_persons(w.keep, w.duplicate, reason="same judge, two spellings")

    after_dup = references_to(w.duplicate)
    after_keep = references_to(w.keep)
    assert not any(after_dup.values())
    kept_before["records.person.merged_into"].add(w.duplicate.pk)
    for key, ids in before.items():
        assert after_keep[key] == ids | kept_before[key], key
    assert set(result.moved) == set(before)
    assert result.moved["records.case.persons"] == 2


def test_merge_soft_deletes_the_duplicate_with_reason_and_target(ctx: ChangeContext) -> None:
    w = build_world()
    merge_persons(w.keep, w.duplicate, reason="same judge, two spellings")

    dup = Person.all_objects.get(pk=w.duplicate.pk)
    assert dup.is_deleted
    assert dup.deletion_reason == "same judge, two spellings"
    assert dup.merged_into_id == w.keep.pk
    assert not Person.objects.filter(pk=w.duplicate.pk).exists()
    assert Person.objects.filter(pk=w.keep.pk).exists()


def test_merge_repoints_an_earlier_merge_to_the_survivor(ctx: ChangeContext) -> None:
    w = build_world()
    merge_persons(w.keep, w.duplicate, reason="same judge")

    assert Person.all_objects.get(pk=w.earlier.pk).merged_into_id == w.keep.pk


def test_merge_writes_a_merge_version_for_every_moved_record(ctx: ChangeContext) -> None:
    w = build_world()
    result = merge_persons(w.keep, w.duplicate, reason="same judge")

    for key, ids in result.merge.moved.items():
        field = key.rsplit(".", 1)[1]
        for pk in ids:
            last = Version.objects.filter(object_id=pk).order_by("-version").first()
            assert last is not None and last.action == Action.MERGE, key
            assert last.context_id == ctx.id
            assert any(name.startswith(field) for name in last.changed), (key, last.changed)
    for owner in (w.case_with_both, w.case_with_duplicate, w.intervention):
        assert history_of(owner).last().action == Action.MERGE
    assert history_of(w.keep).last().action == Action.MERGE
    dup_last = history_of(w.duplicate).last()
    assert dup_last.action == Action.MERGE
    assert {"deleted_at", "merged_into_id"} <= set(dup_last.changed)
    assert history_of(result.merge).first().action == Action.CREATE


def test_merge_record_lists_what_moved(ctx: ChangeContext) -> None:
    w = build_world()
    result = merge_persons(w.keep, w.duplicate, reason="same judge")

    merge = PersonMerge.objects.get(pk=result.merge.pk)
    assert merge.keep_id == w.keep.pk and merge.duplicate_id == w.duplicate.pk
    assert merge.reason == "same judge"
    assert merge.memberships["records.case.persons"] == {
        str(w.case_with_both.pk): True,
        str(w.case_with_duplicate.pk): False,
    }
    names = set(PersonName.objects.filter(person=w.keep).values_list("pk", flat=True))
    assert {uuid.UUID(i) for i in merge.moved["records.personname.person"]} < names


def test_unmerge_restores_exactly_what_the_merge_moved(ctx: ChangeContext) -> None:
    w = build_world()
    dup_before, keep_before = references_to(w.duplicate), references_to(w.keep)
    result = merge_persons(w.keep, w.duplicate, reason="same judge")
    added_later = PersonName(person=w.keep, value="Anton Examplenka (added later)")
    added_later.save()

    undone = unmerge(result.merge, reason="two different fictional judges")

    dup = Person.objects.get(pk=w.duplicate.pk)
    assert not dup.is_deleted and dup.merged_into_id is None and dup.deletion_reason == ""
    assert references_to(w.duplicate) == dup_before
    keep_now = references_to(w.keep)
    keep_before["records.personname.person"].add(added_later.pk)
    assert keep_now == keep_before
    assert set(w.case_with_both.persons.all()) == {w.keep, w.duplicate}
    assert set(w.case_with_duplicate.persons.all()) == {w.duplicate}
    assert undone.merge.is_undone
    assert PersonMerge.objects.get(pk=result.merge.pk).unmerge_reason.startswith("two different")


def test_unmerge_writes_unmerge_versions(ctx: ChangeContext) -> None:
    w = build_world()
    result = merge_persons(w.keep, w.duplicate, reason="same judge")
    unmerge(w.duplicate)

    for ids in result.merge.moved.values():
        for pk in ids:
            actions = list(
                Version.objects.filter(object_id=pk)
                .order_by("version")
                .values_list("action", flat=True)
            )
            assert actions[-2:] == [Action.MERGE, Action.UNMERGE]
    assert history_of(w.duplicate).last().action == Action.UNMERGE
    assert history_of(result.merge).last().action == Action.UNMERGE


def test_unmerge_accepts_the_merge_id(ctx: ChangeContext) -> None:
    keep, dup = person(KEEP_NAME), person(DUPLICATE_NAME)
    result = merge_persons(keep, dup, reason="same judge")

    unmerge(str(result.merge.pk))

    assert Person.objects.filter(pk=dup.pk).exists()


def test_unmerge_of_unknown_merge_raises_not_found(ctx: ChangeContext) -> None:
    with pytest.raises(NotFound):
        unmerge(uuid.uuid4())
    with pytest.raises(NotFound):
        unmerge("not-a-uuid")
    with pytest.raises(NotFound):
        unmerge(person(KEEP_NAME))


def test_unmerge_twice_is_refused(ctx: ChangeContext) -> None:
    keep, dup = person(KEEP_NAME), person(DUPLICATE_NAME)
    result = merge_persons(keep, dup, reason="same judge")
    unmerge(result.merge)

    with pytest.raises(ValidationFailed, match="already undone"):
        unmerge(result.merge)


def test_unmerge_waits_for_a_later_merge_of_the_kept_person_to_be_undone(
    ctx: ChangeContext,
) -> None:
    a, b, c = person(KEEP_NAME), person(DUPLICATE_NAME), person("Anton Examplenkou")
    c_names = references_to(c)["records.personname.person"]
    first = merge_persons(b, c, reason="same judge")
    second = merge_persons(a, b, reason="same judge")
    assert c_names <= references_to(a)["records.personname.person"]

    with pytest.raises(ValidationFailed, match="undo that first"):
        unmerge(first.merge)
    unmerge(second.merge)
    unmerge(first.merge)

    assert references_to(c)["records.personname.person"] == c_names
    assert all(Person.objects.filter(pk=p.pk).exists() for p in (a, b, c))


def test_unmerge_refuses_when_a_moved_record_was_repointed_elsewhere(ctx: ChangeContext) -> None:
    keep, dup, third = person(KEEP_NAME), person(DUPLICATE_NAME), person("Zmitser Samplevich")
    ExternalId(person=dup, scheme="example", value="fictional-2").save()
    result = merge_persons(keep, dup, reason="same judge")
    moved = ExternalId.objects.get(value="fictional-2")
    moved.person = third
    moved.save()

    with pytest.raises(ValidationFailed, match="no longer refer to the kept person"):
        unmerge(result.merge)

    assert Person.all_objects.get(pk=dup.pk).is_deleted


@pytest.mark.parametrize(
    ("keep_fields", "dup_fields", "message"),
    [
        ({"name_withheld": True}, {}, "withheld"),
        ({}, {"name_withheld": True}, "withheld"),
        ({"is_synthetic": True}, {}, "synthetic"),
        ({}, {"is_synthetic": True}, "synthetic"),
    ],
)
def test_merge_refuses_withheld_names_and_synthetic_with_real(
    ctx: ChangeContext, keep_fields: dict, dup_fields: dict, message: str
) -> None:
    keep, dup = person(KEEP_NAME, **keep_fields), person(DUPLICATE_NAME, **dup_fields)
    versions = Version.objects.count()

    with pytest.raises(ValidationFailed, match=message):
        merge_persons(keep, dup, reason="same judge")

    assert Version.objects.count() == versions
    assert Person.objects.filter(pk=dup.pk).exists()


def test_merge_of_two_synthetic_persons_is_allowed(ctx: ChangeContext) -> None:
    keep = person(KEEP_NAME, is_synthetic=True)
    dup = person(DUPLICATE_NAME, is_synthetic=True)

    result = merge_persons(keep, dup, reason="same fictional judge")

    assert result.merge.is_synthetic


def test_merge_refuses_a_person_with_itself(ctx: ChangeContext) -> None:
    keep = person(KEEP_NAME)
    with pytest.raises(ValidationFailed, match="itself"):
        merge_persons(keep, Person.objects.get(pk=keep.pk), reason="same judge")


def test_merge_refuses_into_an_already_merged_person(ctx: ChangeContext) -> None:
    a, b, c = person(KEEP_NAME), person(DUPLICATE_NAME), person("Anton Examplenkou")
    merge_persons(a, b, reason="same judge")

    with pytest.raises(ValidationFailed, match="already merged into another person"):
        merge_persons(b, c, reason="same judge")
    with pytest.raises(ValidationFailed, match="already merged or deleted"):
        merge_persons(c, b, reason="same judge")


def test_merge_requires_a_reason(ctx: ChangeContext) -> None:
    keep, dup = person(KEEP_NAME), person(DUPLICATE_NAME)
    with pytest.raises(ValidationFailed, match="reason"):
        merge_persons(keep, dup, reason="   ")


def test_merge_with_a_stale_kept_person_raises_conflict_and_moves_nothing(
    ctx: ChangeContext,
) -> None:
    keep, dup = person(KEEP_NAME), person(DUPLICATE_NAME)
    stale = Person.objects.get(pk=keep.pk)
    keep.notes = "edited by a colleague"
    keep.save()
    versions = Version.objects.count()

    with pytest.raises(ConflictError):
        merge_persons(stale, dup, reason="same judge")

    assert Version.objects.count() == versions
    assert PersonName.objects.filter(person=dup).count() == 1
    assert Person.objects.filter(pk=dup.pk).exists()
    assert not dup.is_deleted and dup.merged_into_id is None
    assert stale.version == 1


def test_merge_with_a_stale_duplicate_raises_conflict_and_moves_nothing(
    ctx: ChangeContext,
) -> None:
    keep, dup = person(KEEP_NAME), person(DUPLICATE_NAME)
    stale = Person.objects.get(pk=dup.pk)
    dup.notes = "edited by a colleague"
    dup.save()

    with pytest.raises(ConflictError):
        merge_persons(keep, stale, reason="same judge")

    assert PersonName.objects.filter(person=dup).count() == 1
    assert keep.version == 1
    merge_persons(keep, dup, reason="same judge")


def test_merge_candidates_offer_the_other_spelling_with_an_explanation(
    ctx: ChangeContext,
) -> None:
    keep, dup = person(KEEP_NAME), person(DUPLICATE_NAME)
    cyrillic = person("Антон Экзампленка")
    person("Zmitser Samplevich")

    found = merge_candidates(keep)

    assert {p for p, _, _ in found} == {dup, cyrillic}
    score, why = next((s, w) for p, s, w in found if p == dup)
    assert 0.7 <= score <= 1
    assert "examplenk" in why.lower()
    assert [s for _, s, _ in found] == sorted((s for _, s, _ in found), reverse=True)


def test_merge_candidates_never_offer_withheld_synthetic_or_merged_persons(
    ctx: ChangeContext,
) -> None:
    real = person(KEEP_NAME)
    person(DUPLICATE_NAME, name_withheld=True)
    person(DUPLICATE_NAME, is_synthetic=True)
    gone, survivor = person(DUPLICATE_NAME), person("Anton Examplenkou")
    merge_persons(survivor, gone, reason="same judge")

    assert [p for p, _, _ in merge_candidates(real)] == [survivor]
    assert merge_candidates(person(KEEP_NAME, name_withheld=True)) == []
    synthetic = [p for p, _, _ in merge_candidates(person(KEEP_NAME, is_synthetic=True))]
    assert synthetic and all(p.is_synthetic for p in synthetic)


@settings(
    max_examples=10,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    owners=st.lists(st.sampled_from(["keep", "duplicate", "both"]), min_size=1, max_size=6),
)
@pytest.mark.slow  # ~2.0 s a run on a quiet 2-core machine
def test_merge_then_unmerge_returns_every_reference_to_its_owner(
    ctx: ChangeContext, owners: list[str]
) -> None:
    with transaction.atomic():
        keep, dup = person(KEEP_NAME), person(DUPLICATE_NAME)
        for i, owner in enumerate(owners):
            case = Case(title=f"Fictional case {i}")
            case.save()
            members = {"keep": [keep], "duplicate": [dup], "both": [keep, dup]}[owner]
            case.persons.add(*members)
            target = keep if owner == "keep" else dup
            ExternalId(person=target, scheme="example", value=f"fictional-{i}").save()
            act_of(target, "arrest", None)
        before = (references_to(keep), references_to(dup))

        unmerge(merge_persons(keep, dup, reason="same judge").merge)

        assert (references_to(keep), references_to(dup)) == before
        transaction.set_rollback(True)


VIASNA_HEADER = (
    "id,url,name,status,gender,birthday,arrested,articles,prison_title,decision,penalty,"
    "judge,counsel,verdict_date,appeal_date,release_date,description\n"
)


def _fictional_viasna_file(tmp_path: Path) -> Path:
    """Two invented rows whose judge is spelled two ways."""
    rows = [
        f"9001,,Fiction Victimau,active,male,,2021-01-01,,,2 years,,{KEEP_NAME},,2021-06-01,,,",
        f"9002,,Sample Victimau,active,male,,2021-02-01,,,3 years,,{DUPLICATE_NAME},,2021-07-01,,,",
    ]
    path = tmp_path / "fictional_viasna.csv"
    path.write_text(VIASNA_HEADER + "\n".join(rows) + "\n", encoding="utf-8")
    return path


def test_reimport_after_merge_does_not_resurrect_the_duplicate(
    ctx: ChangeContext, tmp_path: Path
) -> None:
    from vigil.importers.viasna import import_viasna

    path = _fictional_viasna_file(tmp_path)
    import_viasna(path)
    keep = Person.objects.get(display_name=KEEP_NAME)
    dup = Person.objects.get(display_name=DUPLICATE_NAME)
    merge_persons(keep, dup, reason="same judge, two spellings")

    import_viasna(path)

    dup = Person.all_objects.get(pk=dup.pk)
    assert dup.is_deleted and dup.merged_into_id == keep.pk
    live = {
        ref.key: list(ref.pointing_at(dup.pk).filter(deleted_at__isnull=True))
        for ref in person_references()
        if ref.kind != "m2m"
    }
    assert not any(live.values()), live


def test_follow_merges_points_planned_records_at_the_survivor(ctx: ChangeContext) -> None:
    a, b, c = person(KEEP_NAME), person(DUPLICATE_NAME), person("Anton Examplenkou")
    merge_persons(b, c, reason="same judge")
    merge_persons(a, b, reason="same judge")
    other = person("Zmitser Samplevich")
    planned = [
        PersonName(person_id=c.pk, value="Anton Examplenkou"),
        ExternalId(person_id=b.pk, scheme="example", value="fictional-3"),
        ExternalId(person_id=other.pk, scheme="example", value="fictional-4"),
        Information(target_type=ContentType.objects.get_for_model(Person), target_id=c.pk),
        Information(target_type=ContentType.objects.get_for_model(Act), target_id=c.pk),
    ]

    assert follow_merges(planned) == 3

    assert [getattr(o, "person_id", None) for o in planned[:3]] == [a.pk, a.pk, other.pk]
    assert planned[3].target_id == a.pk
    assert planned[4].target_id == c.pk


def test_reimport_through_follow_merges_keeps_records_on_the_survivor(
    ctx: ChangeContext, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from vigil.importers import viasna

    path = _fictional_viasna_file(tmp_path)
    viasna.import_viasna(path)
    keep = Person.objects.get(display_name=KEEP_NAME)
    dup = Person.objects.get(display_name=DUPLICATE_NAME)
    merge_persons(keep, dup, reason="same judge, two spellings")
    upsert = viasna.upsert_records

    def upsert_following_merges(objs, report=None, **options):
        objs = list(objs)
        follow_merges(objs)
        return upsert(objs, report, **options)

    monkeypatch.setattr(viasna, "upsert_records", upsert_following_merges)
    viasna.import_viasna(path)

    dup = Person.all_objects.get(pk=dup.pk)
    assert dup.is_deleted and dup.merged_into_id == keep.pk
    assert not any(ref.pointing_at(dup.pk).exists() for ref in person_references())
    assert Involvement.objects.filter(perpetrator_person=keep).count() == 2


def test_merge_and_unmerge_are_audited_without_names_or_reason(ctx: ChangeContext) -> None:
    from vigil.audit.models import AuditEntry

    keep, dup = person(KEEP_NAME), person(DUPLICATE_NAME)
    result = merge_persons(keep, dup, reason="two spellings of one fictional judge")
    unmerge(result.merge, reason="not the same person after all")

    entries = list(AuditEntry.objects.filter(event__in=["merge", "unmerge"]).order_by("seq"))
    assert [e.event for e in entries] == ["merge", "unmerge"]
    assert {e.object_id for e in entries} == {str(result.merge.pk)}
    stored = " ".join(str(e.meta) for e in entries)
    assert "fictional judge" not in stored and "Examplen" not in stored
