"""A router that can pin all ORM traffic to one database alias.

The test suite runs the same tests against SQLite and PostgreSQL in one process;
pinning the alias (rather than swapping settings) keeps both connections open.
"""

from __future__ import annotations

from typing import Any

_pinned: str | None = None


def pin(alias: str | None) -> None:
    """Route every read and write to ``alias`` (``None`` restores the default)."""
    global _pinned
    _pinned = alias


def active_alias() -> str:
    return _pinned or "default"


class PinnedAliasRouter:
    def db_for_read(self, model: Any, **hints: Any) -> str | None:
        return _pinned

    def db_for_write(self, model: Any, **hints: Any) -> str | None:
        return _pinned

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool | None:
        return True

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool | None:
        return True
