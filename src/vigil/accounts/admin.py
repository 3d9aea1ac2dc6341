"""The admin of Vigil's users, with their role."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _

from vigil.accounts.models import User


@admin.register(User)
class VigilUserAdmin(UserAdmin):
    list_display = (
        "username",
        "role",
        "email",
        "first_name",
        "last_name",
        "is_active",
        "is_staff",
        "last_login",
    )
    list_filter = ("role", "is_active", "is_staff", "is_superuser")
    fieldsets = (
        *(UserAdmin.fieldsets or ()),
        (_("Vigil"), {"fields": ("role", "language")}),
    )
    add_fieldsets = (
        *UserAdmin.add_fieldsets,
        (_("Vigil"), {"fields": ("role",)}),
    )
