"""``python -m libinnov.web makemigrations`` etc.: Django's management commands."""

from __future__ import annotations

from libinnov.web.manage import main

main()
