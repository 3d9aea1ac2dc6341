"""`vigil users add|role|list`: accounts with a role, for the operator who holds the key."""

from __future__ import annotations

import secrets
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction

from vigil.accounts.models import Role, User
from vigil.audit import audit
from vigil.audit.events import Event
from vigil.core.commands import VigilCommand
from vigil.core.errors import NotFound, ValidationFailed

ROLES = [r.value for r in Role]


class Command(VigilCommand):
    help = "Create accounts with a role, change a role, list accounts (operator command)."

    def add_arguments(self, parser: Any) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        add = sub.add_parser("add", help="create an account; prints a one-time password")
        add.add_argument("username", help="the new account's user name")
        add.add_argument("--role", required=True, choices=ROLES, help="what the account may do")
        add.add_argument("--email", default="", help="where alert e-mails go (optional)")
        role = sub.add_parser("role", help="change the role of an account")
        role.add_argument("username", help="the account")
        role.add_argument("role", choices=ROLES, help="its new role")
        sub.add_parser("list", help="accounts, their roles and whether 2FA is enrolled")

    def handle(self, *args: Any, **options: Any) -> None:
        getattr(self, f"_{options['action']}")(options)

    def _add(self, options: dict[str, Any]) -> None:
        username = options["username"].strip()
        if not username or User.objects.filter(username=username).exists():
            raise ValidationFailed(f"An account named {username!r} exists already or is blank.")
        email = options["email"].strip()
        if email:
            try:
                validate_email(email)
            except ValidationError:
                raise ValidationFailed(f"{email!r} is not an e-mail address.") from None
        password = secrets.token_urlsafe(18)
        try:
            validate_password(password)
        except ValidationError as exc:  # pragma: no cover - a random 24-character password
            raise ValidationFailed(" ".join(exc.messages)) from exc
        role = options["role"]
        with transaction.atomic():
            user = User.objects.create_user(
                username,
                email,
                password,
                role=role,
                is_staff=role == Role.ADMIN,
                is_superuser=role == Role.ADMIN,
            )
            audit(Event.USER_CREATED, obj=user, role=role, target=str(user.pk))
        self.stdout.write(f"Account {username!r} created with role {role}.")
        self.stdout.write(f"One-time password: {password}")
        self.stdout.write(
            "Hand it over in person. At first sign-in they enrol an authenticator app "
            "(2FA is mandatory) and should change the password."
        )

    def _role(self, options: dict[str, Any]) -> None:
        user = User.objects.filter(username=options["username"]).first()
        if user is None:
            raise NotFound(f"No account named {options['username']!r}.")
        role = options["role"]
        with transaction.atomic():
            user.role = role
            user.is_staff = user.is_superuser = role == Role.ADMIN
            user.save(update_fields=["role", "is_staff", "is_superuser"])
            audit(Event.ROLE_CHANGED, obj=user, role=role, target=str(user.pk))
        self.stdout.write(f"Account {user.username!r} now has role {role}.")

    def _list(self, options: dict[str, Any]) -> None:
        rows = User.objects.order_by("username").values_list(
            "username", "role", "is_active", "totp_device__confirmed_at"
        )
        self.stdout.write(f"{'account':<24}{'role':<13}{'active':<8}2FA")
        for username, role, active, enrolled in rows:
            flag = "yes" if active else "no"
            self.stdout.write(f"{username:<24}{role:<13}{flag:<8}{'yes' if enrolled else 'no'}")
