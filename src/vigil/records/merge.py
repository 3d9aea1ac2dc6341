"""Merging duplicate persons, and undoing a merge exactly, with every step in the history.

A merge re-points every record that refers to the duplicate (foreign keys, generic keys such
as ``Information.target``, many-to-many memberships such as ``Case.persons``) to the kept
person, saving each one normally with action "merge"; the duplicate is soft-deleted with
``merged_into`` set. A :class:`PersonMerge` row lists the ids it moved, so :func:`unmerge`
moves back exactly those records and nothing added to the kept person since.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, TypeGuard

from django.apps import apps
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone

from vigil.audit import audit
from vigil.audit.events import Event
from vigil.core.context import current_context
from vigil.core.errors import NotFound, ValidationFailed
from vigil.core.models import CONFIDENTIALITY_ORDER, Action, VigilModel
from vigil.names import REVIEW_THRESHOLD, NameIndex, NameRecord
from vigil.names.evidence import BirthInput
from vigil.records.models import NameKind, Person, PersonMerge, PersonName

_SOFT_DELETE_FIELDS = ["deleted_at", "deleted_by", "deletion_reason", "merged_into"]
_NAMES = "records.personname.person"


@dataclass(frozen=True)
class Reference:
    """One way a record can refer to a person: a foreign key, a generic key or an m2m field."""

    model: type[VigilModel]
    field: str
    kind: str  # "fk", "generic" or "m2m"
    ct_field: str = ""

    @property
    def key(self) -> str:
        return f"{self.model._meta.label_lower}.{self.field}"

    def pointing_at(self, person_id: Any) -> models.QuerySet[Any]:
        """Every record (soft-deleted ones too) that refers to ``person_id`` this way."""
        if self.kind == "generic":
            ct = ContentType.objects.get_for_model(Person)
            lookup = {self.ct_field: ct, self.field: person_id}
        else:
            lookup = {self.field: person_id}
        return self.model.all_objects.filter(**lookup).order_by("pk")

    def repoint(
        self, obj: VigilModel, person_id: Any, action: str, also: tuple[str, ...] = ()
    ) -> None:
        """Point ``obj`` at ``person_id`` and save it (with the fields ``also`` changed)."""
        attname = self.model._meta.get_field(self.field).attname  # type: ignore[union-attr]
        setattr(obj, attname, person_id)
        obj.save(action=action, update_fields=[self.field, *also])


@dataclass(frozen=True)
class MergeResult:
    """What a merge or an unmerge did."""

    merge: PersonMerge
    keep: Person
    duplicate: Person

    @property
    def moved(self) -> dict[str, int]:
        """How many records (or memberships) moved, per ``<model>.<field>``."""
        counts = {key: len(ids) for key, ids in self.merge.moved.items()}
        counts.update({key: len(owners) for key, owners in self.merge.memberships.items()})
        return counts


def person_references() -> list[Reference]:
    """Every field through which a record can refer to a person, found from the models.

    Models that are not records (logs, evidence handling logs) keep pointing at the person they saw,
    and the merge log itself is never rewritten.
    """
    refs: list[Reference] = []
    for rel in Person._meta.related_objects:
        model = rel.related_model
        if not _is_record(model) or model is PersonMerge:
            continue
        kind = "m2m" if rel.many_to_many else "fk"
        refs.append(Reference(model, rel.field.name, kind))
    for model in apps.get_models():
        if not _is_record(model):
            continue
        for f in model._meta.private_fields:
            if isinstance(f, GenericForeignKey) and isinstance(
                model._meta.get_field(f.fk_field), models.UUIDField
            ):
                refs.append(Reference(model, f.fk_field, "generic", f.ct_field))
    return sorted(refs, key=lambda r: r.key)


def _is_record(model: Any) -> TypeGuard[type[VigilModel]]:
    return isinstance(model, type) and issubclass(model, VigilModel)


def check_mergeable(keep: Person, duplicate: Person) -> None:
    """Raise ValidationFailed when these two persons must not be merged."""
    if keep.pk == duplicate.pk:
        raise ValidationFailed("A person cannot be merged with itself.")
    if keep.name_withheld or duplicate.name_withheld:
        raise ValidationFailed(
            "A person whose name is withheld by the source is never merged: nothing shows "
            "that two withheld names are the same person."
        )
    if keep.is_synthetic != duplicate.is_synthetic:
        raise ValidationFailed(
            "A synthetic (demo) person is never merged with a real one: that would attach "
            "invented facts to a real person."
        )
    if keep.is_deleted:
        where = " into another person" if keep.merged_into_id else ""
        raise ValidationFailed(
            f"The person to keep was already merged{where} or deleted; "
            "merge into the surviving person, or restore this one first."
        )
    if duplicate.is_deleted:
        raise ValidationFailed(
            "The duplicate was already merged or deleted; there is nothing left to merge."
        )


def merge_persons(keep: Person, duplicate: Person, *, reason: str) -> MergeResult:
    """Move every reference from ``duplicate`` to ``keep`` and soft-delete the duplicate.

    One transaction; a stale ``keep`` or ``duplicate`` raises ConflictError and writes nothing.
    """
    reason = reason.strip()
    if not reason:
        raise ValidationFailed("A reason is required to merge two persons.")
    check_mergeable(keep, duplicate)
    saved = _in_memory_state(keep, duplicate)
    try:
        with transaction.atomic():
            # Saving the kept person first takes the optimistic lock before anything moves.
            keep.save(action=Action.MERGE, update_fields=[])
            moved: dict[str, list[str]] = {}
            memberships: dict[str, dict[str, bool]] = {}
            # A person keeps one primary name: the duplicate's become secondary as they move.
            primary = PersonName.objects.filter(person=keep, is_primary=True).order_by("pk").first()
            demoted: list[dict[str, str]] = []
            for ref in person_references():
                if ref.kind == "m2m":
                    owners = _move_memberships(ref, duplicate, keep)
                    if owners:
                        memberships[ref.key] = owners
                    continue
                ids = []
                for obj in ref.pointing_at(duplicate.pk).select_for_update():
                    also = _demote(obj, primary, demoted) if ref.key == _NAMES else ()
                    ref.repoint(obj, keep.pk, Action.MERGE, also)
                    ids.append(str(obj.pk))
                if ids:
                    moved[ref.key] = ids
            # Only now: m2m managers use the live manager and would not see a deleted person.
            duplicate.merged_into = keep
            duplicate.deleted_at = timezone.now()
            duplicate.deleted_by_id = current_context().actor_id
            duplicate.deletion_reason = reason
            duplicate.save(action=Action.MERGE, update_fields=_SOFT_DELETE_FIELDS)
            merge = PersonMerge(
                keep=keep,
                duplicate=duplicate,
                reason=reason,
                moved=moved,
                memberships=memberships,
                demoted_names=demoted,
                is_synthetic=keep.is_synthetic,
                confidentiality=_stricter(keep.confidentiality, duplicate.confidentiality),
            )
            merge.save()
            audit(Event.MERGE, obj=merge)
    except Exception:
        _restore_in_memory(saved)
        raise
    return MergeResult(merge, keep, duplicate)


def _demote(obj: Any, primary: PersonName | None, demoted: list[dict[str, str]]) -> tuple[str, ...]:
    """Make a moving primary name secondary when the kept person has a primary name.

    In the script of the kept primary name it is an alias (a second name in that script); in
    another script it is the same name written otherwise and keeps its kind. ``demoted`` gets
    what unmerge needs to put it back; returns the fields changed.
    """
    if primary is None or not obj.is_primary:
        return ()
    demoted.append({"id": str(obj.pk), "kind": obj.kind})
    obj.is_primary = False
    if obj.script == primary.script:
        obj.kind = NameKind.ALIAS
    return ("is_primary", "kind")


def _restore_name(obj: Any, demoted: dict[str, str]) -> tuple[str, ...]:
    """Give a name the merge made secondary its primary place and kind back."""
    kind = demoted.get(str(obj.pk))
    if kind is None:
        return ()
    obj.is_primary, obj.kind = True, kind
    return ("is_primary", "kind")


def _move_memberships(ref: Reference, duplicate: Person, keep: Person) -> dict[str, bool]:
    """Replace the duplicate by the kept person in every owner's m2m field.

    Returns ``{owner id: whether the kept person was already a member}``.
    """
    owners: dict[str, bool] = {}
    for owner in ref.pointing_at(duplicate.pk).select_for_update():
        members = getattr(owner, ref.field)
        owners[str(owner.pk)] = members.filter(pk=keep.pk).exists()
        members.remove(duplicate)
        members.add(keep)
        # Memberships live outside the snapshot; the owner's new version records the change.
        owner.save(action=Action.MERGE, update_fields=[])
    return owners


def unmerge(target: PersonMerge | Person | uuid.UUID | str, *, reason: str = "") -> MergeResult:
    """Undo a merge: move back exactly the records it moved and restore the duplicate.

    ``target`` is the merge, its id, or the duplicate person (its latest merge is undone).
    Refused when a later change would make the result inexact: the kept person merged away
    since, the duplicate restored by hand, or a moved record re-pointed elsewhere.
    """
    with transaction.atomic():
        merge = _find_merge(target)
        if merge.is_undone:
            raise ValidationFailed("This merge was already undone.")
        keep = Person.all_objects.select_for_update().get(pk=merge.keep_id)
        duplicate = Person.all_objects.select_for_update().get(pk=merge.duplicate_id)
        if keep.is_deleted:
            raise ValidationFailed(
                "The kept person has since been merged into another person or deleted; "
                "undo that first."
            )
        if not duplicate.is_deleted or duplicate.merged_into_id != keep.pk:
            raise ValidationFailed(
                "The duplicate was restored or changed since this merge; it cannot be undone "
                "automatically."
            )
        duplicate.deleted_at = None
        duplicate.deleted_by_id = None
        duplicate.deletion_reason = ""
        duplicate.merged_into = None
        duplicate.save(action=Action.UNMERGE, update_fields=_SOFT_DELETE_FIELDS)
        refs = {ref.key: ref for ref in person_references()}
        demoted = {d["id"]: d["kind"] for d in merge.demoted_names}
        for key, ids in merge.moved.items():
            _move_back(_reference(refs, key), ids, keep, duplicate, demoted)
        for key, owners in merge.memberships.items():
            _restore_memberships(_reference(refs, key), owners, keep, duplicate)
        keep.save(action=Action.UNMERGE, update_fields=[])
        merge.unmerged_at = timezone.now()
        merge.unmerge_reason = reason.strip()
        merge.save(action=Action.UNMERGE, update_fields=["unmerged_at", "unmerge_reason"])
        audit(Event.UNMERGE, obj=merge)
    return MergeResult(merge, keep, duplicate)


def _find_merge(target: PersonMerge | Person | uuid.UUID | str) -> PersonMerge:
    """The merge named by ``target``, locked for the transaction."""
    merges = PersonMerge.all_objects.select_for_update()
    if isinstance(target, Person):
        found = merges.filter(duplicate=target, unmerged_at__isnull=True).order_by("-created_at")
        merge = found.first()
        if merge is None:
            raise NotFound("This person was not merged into anyone (or the merge was undone).")
        return merge
    pk = target.pk if isinstance(target, PersonMerge) else target
    try:
        return merges.get(pk=pk)
    except (PersonMerge.DoesNotExist, ValueError, ValidationError) as exc:
        raise NotFound("No such merge.") from exc


def _reference(refs: dict[str, Reference], key: str) -> Reference:
    if key not in refs:
        raise ValidationFailed(
            f"This merge moved {key} records, which no longer refer to persons; "
            "it cannot be undone automatically."
        )
    return refs[key]


def _move_back(
    ref: Reference, ids: list[str], keep: Person, duplicate: Person, demoted: dict[str, str]
) -> None:
    """Point the records a merge moved back at the duplicate, after checking each one."""
    objs = list(ref.model.all_objects.select_for_update().filter(pk__in=ids))
    attname = ref.model._meta.get_field(ref.field).attname  # type: ignore[union-attr]
    strays = [o for o in objs if getattr(o, attname) != keep.pk]
    if strays or len(objs) != len(ids):
        count = len(strays) + len(ids) - len(objs)
        raise ValidationFailed(
            f"{count} {ref.model._meta.verbose_name} record(s) moved by this merge no longer "
            f"refer to the kept person; re-point them by hand before undoing the merge."
        )
    for obj in objs:
        also = _restore_name(obj, demoted) if ref.key == _NAMES else ()
        ref.repoint(obj, duplicate.pk, Action.UNMERGE, also)


def _restore_memberships(
    ref: Reference, owners: dict[str, bool], keep: Person, duplicate: Person
) -> None:
    """Put the duplicate back in each m2m field; drop the kept person where the merge added it."""
    for owner in ref.model.all_objects.select_for_update().filter(pk__in=list(owners)):
        members = getattr(owner, ref.field)
        members.add(duplicate)
        if not owners[str(owner.pk)]:
            members.remove(keep)
        owner.save(action=Action.UNMERGE, update_fields=[])


def _stricter(a: str, b: str) -> str:
    return a if CONFIDENTIALITY_ORDER[a] >= CONFIDENTIALITY_ORDER[b] else b


# The fields a failed merge may have changed on the caller's objects.
_REMEMBERED = "version updated_at updated_by_id deleted_at deleted_by_id deletion_reason".split()


def _in_memory_state(*people: Person) -> list[tuple[Person, dict[str, Any]]]:
    names = [*_REMEMBERED, "merged_into_id"]
    return [(p, {name: getattr(p, name) for name in names}) for p in people]


def _restore_in_memory(saved: list[tuple[Person, dict[str, Any]]]) -> None:
    """Put the caller's objects back as they were when the transaction rolled back."""
    for person, values in saved:
        for name, value in values.items():
            setattr(person, name, value)
        person._state.fields_cache.pop("merged_into", None)


def follow_merges(objs: Iterable[VigilModel]) -> int:
    """Re-point planned records that name a merged person at the person it was merged into.

    For importers: a re-import must not hand records back to a merged duplicate. Returns the
    number of references changed.
    """
    objs = list(objs)
    if not Person.all_objects.filter(merged_into__isnull=False).exists():
        return 0  # nobody was ever merged: nothing to follow (one query, not one per id)
    refs = [r for r in person_references() if r.kind != "m2m"]
    person_ct = ContentType.objects.get_for_model(Person).pk
    # Per record type, once: (attname, content-type attname or None) of each person reference.
    per_type: dict[type, list[tuple[str, str | None]]] = {}
    slots: list[tuple[VigilModel, str]] = []
    for obj in objs:
        kind = type(obj)
        found = per_type.get(kind)
        if found is None:
            found = per_type[kind] = [
                (
                    ref.model._meta.get_field(ref.field).attname,  # type: ignore[union-attr]
                    f"{ref.ct_field}_id" if ref.kind == "generic" else None,
                )
                for ref in refs
                if isinstance(obj, ref.model)
            ]
        for attname, ct_attname in found:
            if ct_attname is not None and getattr(obj, ct_attname, None) != person_ct:
                continue
            if getattr(obj, attname) is not None:
                slots.append((obj, attname))
    survivors = _survivors({getattr(obj, attname) for obj, attname in slots})
    changed = 0
    for obj, attname in slots:
        target = survivors.get(getattr(obj, attname))
        if target is not None:
            setattr(obj, attname, target)
            changed += 1
    return changed


def _survivors(person_ids: set[Any]) -> dict[Any, Any]:
    """``{merged person id: id of the live person it ended up in}`` for the given ids."""
    merged: dict[Any, Any] = {}
    pending = set(person_ids)
    while pending:
        found = dict(
            Person.all_objects.filter(pk__in=pending, merged_into__isnull=False).values_list(
                "pk", "merged_into_id"
            )
        )
        merged.update(found)
        pending = set(found.values()) - set(merged)
    result = {}
    for pk in merged:
        target, seen = merged[pk], {pk}
        while target in merged and target not in seen:
            seen.add(target)
            target = merged[target]
        result[pk] = target
    return result


# --- candidates ----------------------------------------------------------------------------


def merge_candidates(
    person: Person, *, threshold: float = REVIEW_THRESHOLD, limit: int = 20
) -> list[tuple[Person, float, str]]:
    """Persons whose names are likely this person's, best first, with the scorer's reasons.

    Never offers a withheld name, a deleted person, or a synthetic/real pair: only a human
    decides, and only between persons that may be merged.
    """
    if person.name_withheld or person.is_deleted:
        return []
    pool = {
        p.pk: p
        for p in Person.objects.filter(
            is_synthetic=person.is_synthetic, name_withheld=False
        ).exclude(pk=person.pk)
    }
    if not pool:
        return []
    names: dict[Any, list[str]] = defaultdict(list)
    for pk, p in pool.items():
        if p.display_name.strip():
            names[pk].append(p.display_name)
    for pk, value in PersonName.objects.filter(person__in=list(pool)).values_list(
        "person_id", "value"
    ):
        if value not in names[pk]:
            names[pk].append(value)
    index = NameIndex(
        NameRecord(str(pk), forms, _birth(pool[pk]), pool[pk].sex) for pk, forms in names.items()
    )
    best: dict[str, tuple[float, str]] = {}
    for query in _names_of(person):
        for c in index.search(
            query, birth=_birth(person), gender=person.sex, limit=limit, threshold=threshold
        ):
            if c.entity_id not in best or c.score > best[c.entity_id][0]:
                best[c.entity_id] = (c.score, f"{query} ~ {c.form}: {c.explanation}")
    ranked = sorted(best.items(), key=lambda item: (-item[1][0], item[0]))[:limit]
    return [(pool[uuid.UUID(pk)], score, why) for pk, (score, why) in ranked]


def _names_of(person: Person) -> list[str]:
    """The display name and every stored name of a person, without repeats."""
    forms = [person.display_name] if person.display_name.strip() else []
    for value in PersonName.objects.filter(person=person).values_list("value", flat=True):
        if value not in forms:
            forms.append(value)
    return forms


def _birth(person: Person) -> BirthInput:
    """The birth date as evidence for the scorer, no more precise than it is known."""
    d = person.birth_date
    if d is None:
        return None
    precision = person.birth_date_precision
    if precision == "day":
        return d
    if precision == "month":
        return f"{d.year:04d}-{d.month:02d}"
    return d.year if precision == "year" else None
