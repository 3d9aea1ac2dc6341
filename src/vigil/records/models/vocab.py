"""Vocabulary terms (HURIDOCS micro-thesauri and Vigil's own), loaded from package data."""

from __future__ import annotations

from django.db import models
from django.utils.translation import get_language


class Term(models.Model):
    """One term of one vocabulary; the primary key is ``<vocabulary>.<key>``."""

    id = models.CharField(primary_key=True, max_length=120)
    vocabulary = models.CharField(max_length=40, db_index=True)
    key = models.CharField(max_length=80)
    code = models.CharField(max_length=40, help_text="HURIDOCS vocab_number or vigil:<key>")
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT)
    label_en = models.CharField(max_length=200)
    label_ru = models.CharField(max_length=200, blank=True)
    label_be = models.CharField(max_length=200, blank=True)
    be_reviewed = models.BooleanField(default=False)
    source = models.CharField(max_length=60, blank=True)

    class Meta:
        ordering = ["vocabulary", "key"]
        constraints = [models.UniqueConstraint(fields=["vocabulary", "key"], name="uniq_term_key")]

    def __str__(self) -> str:
        return self.label()

    def label(self, lang: str | None = None) -> str:
        lang = (lang or get_language() or "en")[:2]
        return getattr(self, f"label_{lang}", "") or self.label_en or self.key

    @staticmethod
    def pk_for(vocabulary: str, key: str) -> str:
        return f"{vocabulary}.{key}"
