"""Field helpers shared by the record models: uncertain dates, vocabulary terms, names."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal, overload

from django.db import models
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from vigil.records.models.vocab import Term


class DatePrecision(models.TextChoices):
    DAY = "day", _("day")
    MONTH = "month", _("month")
    YEAR = "year", _("year")
    DECADE = "decade", _("decade")
    UNKNOWN = "unknown", _("unknown")


class Script(models.TextChoices):
    CYRILLIC = "Cyrl", _("Cyrillic")
    LATIN = "Latn", _("Latin")
    OTHER = "Zyyy", _("Other")


class NameKind(models.TextChoices):
    OFFICIAL = "official", _("official")
    TRANSLITERATION = "transliteration", _("transliteration")
    ALIAS = "alias", _("alias")
    PREVIOUS = "previous", _("previous name")
    NICKNAME = "nickname", _("nickname")


@overload
def term_fk(
    vocabulary: str, verbose_name: Any, *, null: Literal[False], **kwargs: Any
) -> models.ForeignKey[Term, Term]: ...
@overload
def term_fk(
    vocabulary: str, verbose_name: Any, *, null: Literal[True] = ..., **kwargs: Any
) -> models.ForeignKey[Term | None, Term | None]: ...
def term_fk(vocabulary: str, verbose_name: Any, *, null: bool = True, **kwargs: Any) -> Any:
    """A foreign key to a vocabulary term, limited to one vocabulary (typed by ``null``)."""
    return models.ForeignKey(
        "records.Term",
        verbose_name=verbose_name,
        on_delete=models.PROTECT,
        null=null,
        blank=null,
        limit_choices_to={"vocabulary": vocabulary},
        related_name="+",
        **kwargs,
    )


class UncertainDateMixin(models.Model):
    """A date with a precision and an optional end of range."""

    date = models.DateField(_("date"), null=True, blank=True, db_index=True)
    date_precision = models.CharField(
        _("date precision"),
        max_length=8,
        choices=DatePrecision.choices,
        default=DatePrecision.DAY,
    )
    date_end = models.DateField(_("until"), null=True, blank=True)

    class Meta:
        abstract = True

    @property
    def date_display(self) -> str:
        from vigil.records.dates import display_date

        return display_date(self.date, self.date_precision, self.date_end)


class NameMixin(models.Model):
    """One name of a person or organisation, in one script and language."""

    value = models.CharField(_("name"), max_length=300)
    script = models.CharField(_("script"), max_length=4, choices=Script.choices, blank=True)
    lang = models.CharField(_("language"), max_length=8, blank=True)
    kind = models.CharField(
        _("kind"), max_length=16, choices=NameKind.choices, default=NameKind.OFFICIAL
    )
    scheme = models.CharField(_("transliteration scheme"), max_length=40, blank=True)
    is_primary = models.BooleanField(_("primary"), default=False)
    normalised = models.CharField(max_length=300, db_index=True, editable=False, blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.value

    def save(self, *args: Any, **kwargs: Any) -> None:
        from vigil.records.names import normalised_name

        self.normalised = normalised_name(self.value)  # the indexed form follows the value
        super().save(*args, **kwargs)
