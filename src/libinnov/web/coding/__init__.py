"""Coding: code assignments per coder, the append-only change log, tasks and review."""

from __future__ import annotations
