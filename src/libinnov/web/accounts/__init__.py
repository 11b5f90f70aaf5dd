"""Accounts: roles (viewer, coder, adjudicator, admin) on top of Django auth groups."""

from __future__ import annotations
