from __future__ import annotations

from libinnov.cli import main

main()
