"""Account changes the CLI and admin pages share."""

from __future__ import annotations

from django.contrib.auth import get_user_model

from libinnov.web.accounts.roles import grant_role


def user_set(*, username: str, role: str, password: str | None = None) -> bool:
    """Create or update an account with one role; returns True when created.

    Without a password an existing account keeps its own; a new one needs one.
    """
    model = get_user_model()
    account = model.objects.filter(username=username).first()
    created = account is None
    if account is None:
        if not password:
            raise ValueError(f"the new account {username!r} needs a password")
        account = model(username=username)
    if password:
        account.set_password(password)
    account.is_staff = role == "admin"
    account.save()
    grant_role(account, role)
    return created
