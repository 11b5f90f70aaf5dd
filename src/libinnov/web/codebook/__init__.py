"""Codebook: the editable, versioned coding frame stored in the database."""

from __future__ import annotations
