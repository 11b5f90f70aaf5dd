"""The Django web layer: a thin shell over the libinnov core.

Apps are the domain's nouns (``cases``, ``codebook``, ``coding``, ``dashboards``,
``accounts``); each persists what the core computes and renders it, with a JSON twin
for every list and page.
"""

from __future__ import annotations

SETTINGS_MODULE = "libinnov.web.config.settings"


def setup() -> None:
    """Configure Django with libinnov's settings (idempotent)."""
    import os

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", SETTINGS_MODULE)
    django.setup()
