"""Admin base classes for records: bookkeeping read-only, no hard delete, stale saves refused."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.db.models import Model
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

BOOKKEEPING = (
    "id",
    "version",
    "created_at",
    "created_by",
    "updated_at",
    "updated_by",
    "is_synthetic",
    "deleted_at",
    "deleted_by",
    "deletion_reason",
)


class RecordForm(forms.ModelForm):
    """A record form that remembers the version it was opened at and refuses stale saves."""

    loaded_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.instance._state.adding:
            self.fields["loaded_version"].initial = self.instance.version

    def clean(self) -> dict[str, Any]:
        """Refuse the save when someone else saved the record since this form was opened."""
        cleaned = super().clean()
        loaded = cleaned.get("loaded_version")
        if (
            not self.instance._state.adding
            and loaded is not None
            and loaded != self.instance.version
        ):
            raise forms.ValidationError(
                _(
                    "This record was changed by someone else since you opened it (you opened "
                    "version %(loaded)s, it is now at version %(now)s). Reload it and apply "
                    "your change again."
                ),
                code="conflict",
                params={"loaded": loaded, "now": self.instance.version},
            )
        return cleaned


class NoDeleteMixin:
    """Records are soft-deleted with a reason, never hard-deleted: no delete action or button."""

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        actions = super().get_actions(request)  # type: ignore[misc]
        actions.pop("delete_selected", None)
        return actions


class RecordAdmin(NoDeleteMixin, admin.ModelAdmin):
    """The admin of one record model (a VigilModel)."""

    form = RecordForm
    list_per_page = 50
    show_full_result_count = False

    def get_readonly_fields(self, request: HttpRequest, obj: Model | None = None) -> Any:
        own = tuple(super().get_readonly_fields(request, obj))
        return own + BOOKKEEPING if obj is not None else own

    def get_list_filter(self, request: HttpRequest) -> Any:
        return (*super().get_list_filter(request), "confidentiality", "is_synthetic")

    def get_fieldsets(self, request: HttpRequest, obj: Model | None = None) -> Any:
        fields = list(self.get_fields(request, obj))
        main = [f for f in fields if f not in BOOKKEEPING]
        kept = [f for f in BOOKKEEPING if f in fields]
        sets: list[tuple[Any, dict[str, Any]]] = [(None, {"fields": main})]
        if kept:
            sets.append((_("Record keeping"), {"fields": kept, "classes": ["collapse"]}))
        return sets


class RecordInline(NoDeleteMixin, admin.TabularInline):
    """An inline of record rows (names, identifiers): added and edited, never deleted here."""

    extra = 0
    can_delete = False
    show_change_link = True


class ReadOnlyAdmin(NoDeleteMixin, admin.ModelAdmin):
    """Rows owned by code (vocabularies, custody logs): viewed in the admin, never edited."""

    def has_add_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False
