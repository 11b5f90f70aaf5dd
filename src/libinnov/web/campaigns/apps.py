from __future__ import annotations

from django.apps import AppConfig


class CampaignsConfig(AppConfig):
    name = "libinnov.web.campaigns"
    label = "campaigns"
    verbose_name = "Campaigns"
