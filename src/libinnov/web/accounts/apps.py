from __future__ import annotations

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "libinnov.web.accounts"
    label = "accounts"
    verbose_name = "Accounts"
