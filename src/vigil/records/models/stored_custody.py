"""Custody stored per person and confidentiality ceiling (``vigil.records.custody_store``)."""

from __future__ import annotations

from django.db import models


class StoredCustody(models.Model):
    """One person's custody as their acts record it, seen from one confidentiality ceiling.

    Derived by :func:`vigil.records.custody.derive` from the acts a role viewing every record up
    to ``ceiling`` may view (``RECORDED``: before the day of the count decides whether a term
    has ended), kept current on every write of an act or of a record an act hangs from, and
    rebuilt by ``vigil custody rebuild``. A person with no act deciding custody has no row.
    Not a record: no history, no confidentiality of its own; read only through the store.
    """

    person = models.ForeignKey(
        "records.Person", on_delete=models.CASCADE, related_name="+", db_constraint=True
    )
    ceiling = models.CharField(max_length=12)
    status = models.CharField(max_length=40)
    since = models.DateField(null=True)
    act_id = models.UUIDField(null=True)
    term_ends = models.DateField(null=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["person", "ceiling"], name="stored_custody_once")
        ]
        indexes = [
            models.Index(fields=["ceiling", "status", "term_ends"], name="stored_custody_state")
        ]

    def __str__(self) -> str:
        return f"{self.person_id}@{self.ceiling}: {self.status}"
