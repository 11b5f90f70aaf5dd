"""Roles as an ordered ladder: each role can do everything the ones below it can.

Anonymous visitors see published cases only; a viewer also sees unpublished ones; a
coder codes; an adjudicator settles disagreements; an admin edits the codebook,
imports cases and assigns double coding. Superusers are admins.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser, Group
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

ROLES = ("viewer", "coder", "adjudicator", "admin")
#: what people read for each role key (the keys stay in the CLI and the database)
ROLE_LABELS = {
    "viewer": _("Viewer"),
    "coder": _("Coder"),
    "adjudicator": _("Adjudicator"),
    "admin": _("Administrator"),
}


def role_label(role: str | None) -> str:
    return str(ROLE_LABELS[role]) if role in ROLE_LABELS else "—"


def user_role(user: Any) -> str | None:
    """The highest role a user holds, or ``None`` for anonymous visitors."""
    if user is None or isinstance(user, AnonymousUser) or not user.is_authenticated:
        return None
    if user.is_superuser:
        return "admin"
    cached = getattr(user, "_libinnov_role", False)
    if cached is not False:
        return cached  # type: ignore[no-any-return]
    names = set(user.groups.values_list("name", flat=True))
    role = next((r for r in reversed(ROLES) if r in names), None)
    user._libinnov_role = role
    return role


def has_role(user: Any, role: str) -> bool:
    held = user_role(user)
    return held is not None and ROLES.index(held) >= ROLES.index(role)


def require_role(request: HttpRequest, role: str) -> None:
    """Raise 403 (or send anonymous users to log in) unless the user holds ``role``."""
    if not has_role(request.user, role):
        if not request.user.is_authenticated:
            from django.contrib.auth.views import redirect_to_login

            raise _LoginRequired(redirect_to_login(request.get_full_path()))
        raise PermissionDenied(f"needs the {role} role")


class _LoginRequired(Exception):
    def __init__(self, response: Any) -> None:
        self.response = response


def grant_role(user: Any, role: str) -> None:
    """Make ``role`` the user's only role group."""
    if role not in ROLES:
        raise ValueError(f"unknown role {role!r} (one of {', '.join(ROLES)})")
    user.groups.remove(*Group.objects.filter(name__in=ROLES))
    group, _ = Group.objects.get_or_create(name=role)
    user.groups.add(group)
    if hasattr(user, "_libinnov_role"):
        del user._libinnov_role


def roles_context(request: HttpRequest) -> dict[str, Any]:
    """Template flags: ``can.coder`` etc. for the signed-in user."""
    user = getattr(request, "user", None)
    role = user_role(user)
    return {
        "role": role,
        "role_label": role_label(role),
        "can": {r: has_role(user, r) for r in ROLES},
    }
