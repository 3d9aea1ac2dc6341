"""Admin base classes for records, through the policy: bookkeeping read-only, no hard delete,
stale saves refused."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, ClassVar, cast

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Model, QuerySet
from django.forms import BaseFormSet, ModelForm
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from vigil.core.errors import Forbidden
from vigil.policy.access import allows, restrict, role_of, save_checked
from vigil.policy.identity import identity_fields
from vigil.policy.registry import Kind, governed

if TYPE_CHECKING:
    from vigil.accounts.types import AnyUser

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
        cleaned = cast(dict[str, Any], super().clean())  # a ModelForm's is its cleaned_data
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


def admin_site_permission(request: HttpRequest) -> bool:
    """The Django admin is for Vigil's administrators only (2FA is enforced by middleware)."""
    user = request.user
    return bool(user.is_active and user.is_staff and role_of(user) == "admin")


def may(user: AnyUser, action: str, model: type[Model]) -> bool:
    """Whether the policy lets ``user`` ``action`` any record of ``model`` at all."""
    return not restrict(user, action, model._default_manager.all()).query.is_empty()


def _is_record(obj: Model) -> bool:
    spec = governed(type(obj))
    return spec is not None and spec.kind == Kind.RECORD


def save_through_policy(request: HttpRequest, obj: Model, change: bool) -> None:
    """Save ``obj`` with the policy's write check; a refused save is a 403 and is rolled back."""
    if not _is_record(obj):
        obj.save()
        return
    try:
        save_checked(request.user, "change" if change else "add", obj)
    except Forbidden as exc:
        raise PermissionDenied(exc.message) from None


class PolicyMixin:
    """Admin access through the one policy: rows, pages and saves as for every other view."""

    # An address typed without a scheme is read as https, as in every other form of Vigil.
    formfield_overrides: ClassVar[Mapping[type[models.Field[Any, Any]], Mapping[str, Any]]] = {
        models.URLField: {"assume_scheme": "https"}
    }

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return restrict(request.user, "view", super().get_queryset(request))  # type: ignore[misc]

    def has_module_permission(self, request: HttpRequest) -> bool:
        return admin_site_permission(request)

    def has_view_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return self._may(request, "view", obj)

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return self._may(request, "change", obj)

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        # Inlines pass the parent object; adding a row is judged on the row's own model.
        return self._may(request, "add", None)

    def _may(self, request: HttpRequest, action: str, obj: Model | None) -> bool:
        if not admin_site_permission(request):
            return False
        if obj is None or obj._meta.model is not self.model:  # type: ignore[attr-defined]
            return may(request.user, action, self.model)  # type: ignore[attr-defined]
        return allows(request.user, action, obj)

    def get_exclude(self, request: HttpRequest, obj: Model | None = None) -> Any:
        # Identity fields are read only through `reveal` (stepped-up, counted, audited).
        own = tuple(super().get_exclude(request, obj) or ())  # type: ignore[misc]
        hidden = identity_fields(self.model)  # type: ignore[attr-defined]
        return own + tuple(f for f in sorted(hidden) if f not in own)


class NoDeleteMixin:
    """Records are soft-deleted with a reason, never hard-deleted: no delete action or button."""

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        actions = super().get_actions(request)  # type: ignore[misc]
        actions.pop("delete_selected", None)
        return actions


class RecordAdmin(PolicyMixin, NoDeleteMixin, admin.ModelAdmin):
    """The admin of one record model (a VigilModel)."""

    form = RecordForm
    list_per_page = 50
    show_full_result_count = False

    def save_model(self, request: HttpRequest, obj: Model, form: ModelForm, change: bool) -> None:
        save_through_policy(request, obj, change)

    def save_formset(
        self, request: HttpRequest, form: ModelForm, formset: BaseFormSet, change: bool
    ) -> None:
        for row in formset.save(commit=False):  # type: ignore[attr-defined]
            save_through_policy(request, row, not row._state.adding)
        formset.save_m2m()  # type: ignore[attr-defined]

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


class RecordInline(PolicyMixin, NoDeleteMixin, admin.TabularInline):
    """An inline of record rows (names, identifiers): added and edited, never deleted here."""

    extra = 0
    can_delete = False
    show_change_link = True


class ReadOnlyAdmin(PolicyMixin, NoDeleteMixin, admin.ModelAdmin):
    """Rows owned by code (vocabularies, custody logs): viewed in the admin, never edited."""

    def has_add_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False
