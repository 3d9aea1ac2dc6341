"""Write the planted synthetic record (:mod:`vigil.warning.planted`) into the database.

Every record is flagged ``is_synthetic`` and carries a fictional name; ids derive from the
seed, so writing the same seed twice is refused rather than doubled.
"""

from __future__ import annotations

import random
import uuid
from collections import Counter

from django.db import transaction

from vigil.core.errors import ValidationFailed
from vigil.core.models import VigilModel
from vigil.names.fictional import fictional_names
from vigil.records.batch import NewRecords, new_record
from vigil.records.models import Act, Event, Organisation, Person, Profession, Term
from vigil.records.upsert import stable_id
from vigil.warning.planted import PlantedSpec, generate


def write_planted(spec: PlantedSpec) -> Counter[str]:
    """Write the planted record of ``spec`` (in the caller's change context); counts by model."""
    record = generate(spec)

    def rid(*parts: object) -> uuid.UUID:
        return stable_id("warning-planted", spec.seed, *parts)

    if Person.all_objects.filter(pk=rid("person", record.acts["person"].iloc[0])).exists():
        raise ValidationFailed(
            f"The planted record with seed {spec.seed} is already in the database."
        )
    rng = random.Random(spec.seed)
    names = fictional_names()
    records = NewRecords(batch_size=1000)

    def add(model: type[VigilModel], **fields: object) -> None:
        obj = new_record(model, **fields)
        obj.is_synthetic = True
        records.add(obj)

    for org in sorted(set(record.members["organisation"])):
        add(Organisation, id=rid("org", org), display_name=f"Fictional bar association {org}")
    lawyer = Term.pk_for("profession", "lawyer")
    for person, org in zip(record.members["person"], record.members["organisation"], strict=True):
        sex = rng.choice(("male", "female"))
        add(Person, id=rid("person", person), display_name=names.person(rng, sex)[0], sex=sex)
        add(
            Profession,
            id=rid("profession", person),
            person_id=rid("person", person),
            profession_id=lawyer,
            bar_association_id=rid("org", org),
        )
    acts = record.acts
    for event, rows in acts.groupby("event"):
        add(
            Event,
            id=rid("event", event),
            title="Planted synthetic event",
            date=rows["date"].min().date(),
        )
    for row in acts.itertuples():
        add(
            Act,
            id=rid("act", row.act),
            event_id=rid("event", row.event),
            act_type_id=Term.pk_for("act_type", row.act_type),
            victim_person_id=rid("person", row.person),
            date=row.date.date(),
            known_since=row.known.date(),
            detention_days=int(row.detention_days) or None,
        )
    with transaction.atomic():
        records.flush()
    return records.counts
