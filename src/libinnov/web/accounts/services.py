"""Account changes the CLI and admin pages share."""

from __future__ import annotations

from django.contrib.auth import get_user_model

from libinnov.web.accounts.roles import grant_role


def user_set(*, username: str, password: str, role: str) -> bool:
    """Create or update an account with one role; returns True when created."""
    account, created = get_user_model().objects.get_or_create(username=username)
    account.set_password(password)
    account.is_staff = role == "admin"
    account.save()
    grant_role(account, role)
    return created
