#!/usr/bin/env bash
# Vendors front-end assets into the package (not committed): ECharts from the npm
# registry and the China province map. Idempotent; nothing is fetched at run time.
set -euo pipefail
PY=${1:-.venv/bin/python}
DEST=src/libinnov/data/assets/vendor
mkdir -p "$DEST"
if [ -f scripts/build_assets.py ]; then
    "$PY" scripts/build_assets.py "$DEST"
fi
