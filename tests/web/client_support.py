"""A signed-in test client that reads pages in the language a test asks for."""

from __future__ import annotations

from typing import Any

from django.test import Client


def signed_in(user: Any, lang: str = "zh-hans") -> Client:
    client = Client()
    client.force_login(user)
    client.get(f"/lang/{lang}/")
    return client
