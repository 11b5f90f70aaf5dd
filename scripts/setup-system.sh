#!/usr/bin/env bash
# Installs the Debian packages libinnov needs when they are missing: CJK fonts and
# Pango (PDF reports), poppler-utils (PDF checks), PostgreSQL (tests against a real
# server) and Chromium (browser tests). Needs root or sudo; does nothing when all
# are present.
set -euo pipefail

need=()
have_pkg() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }
for pkg in fonts-noto-cjk poppler-utils libpango-1.0-0 libpangoft2-1.0-0 \
           postgresql postgresql-contrib chromium; do
    have_pkg "$pkg" || need+=("$pkg")
done
[ ${#need[@]} -eq 0 ] && exit 0

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null; then SUDO="sudo"; else
        echo "libinnov needs these Debian packages: ${need[*]} (run as root to install)" >&2
        exit 1
    fi
fi
echo "Installing system packages: ${need[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
