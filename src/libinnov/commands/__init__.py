"""CLI command groups, one module per domain noun; see :mod:`libinnov.cli`."""
