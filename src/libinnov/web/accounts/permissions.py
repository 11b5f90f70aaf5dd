"""DRF permissions from the role ladder: anyone reads, writes need a role."""

from __future__ import annotations

from typing import Any

from rest_framework.permissions import SAFE_METHODS, BasePermission

from libinnov.web.accounts.roles import has_role


class ReadOrRole(BasePermission):
    """Safe methods for all; others need ``view.write_role`` (default: admin)."""

    def has_permission(self, request: Any, view: Any) -> bool:
        if request.method in SAFE_METHODS:
            return True
        return has_role(request.user, getattr(view, "write_role", "admin"))


class HasRole(BasePermission):
    """Every method needs ``view.required_role`` (default: admin)."""

    def has_permission(self, request: Any, view: Any) -> bool:
        return has_role(request.user, getattr(view, "required_role", "admin"))
