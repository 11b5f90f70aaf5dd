"""Front-end assets vendored at set-up: ECharts, htmx, the China province map, a font.

They are fetched from package registries by ``make assets`` (scripts/build_assets.py)
and read from the package here, so reports and pages work offline.
"""

from __future__ import annotations

import json
from functools import cache, lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from libinnov.exceptions import LibinnovError


class MissingAsset(LibinnovError):
    """A vendored asset is not there: the set-up step was skipped."""


def vendor_dir() -> Path:
    return Path(str(resources.files("libinnov.data") / "assets" / "vendor"))


def _read(name: str) -> str:
    path = vendor_dir() / name
    if not path.exists():
        raise MissingAsset(
            "%(name)s is missing; run `make assets`", file=path, name=name
        )
    return path.read_text(encoding="utf-8")


@cache
def echarts_js() -> str:
    return _read("echarts.min.js")


@cache
def htmx_js() -> str:
    return _read("htmx.min.js")


@cache
def china_map_js() -> str:
    """JavaScript that registers the province map under the name ``china``."""
    return _read("china.js")


@lru_cache(maxsize=1)
def china_geojson() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(_read("china_provinces.geojson"))
    return data


@lru_cache(maxsize=1)
def _map_names() -> dict[str, str]:
    from libinnov.codebook.derive import short_province

    names = [f["properties"]["name"] for f in china_geojson()["features"]]
    return {short_province(n): n for n in names}


def province_map_name(short: str) -> str:
    """The map's name for a province (浙江 → 浙江省, 广西 → 广西壮族自治区)."""
    return _map_names().get(short, short)


CJK_FONTS = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
)


def cjk_font_path() -> Path:
    """A font with Chinese glyphs (Debian's fonts-noto-cjk)."""
    for candidate in CJK_FONTS:
        if Path(candidate).exists():
            return Path(candidate)
    raise MissingAsset("no CJK font found; install the Debian package fonts-noto-cjk")


def register_matplotlib_cjk_font() -> str:
    """Make matplotlib draw Chinese; returns the font family name."""
    from matplotlib import font_manager, rcParams

    path = cjk_font_path()
    font_manager.fontManager.addfont(str(path))
    family = font_manager.FontProperties(fname=str(path)).get_name()
    rcParams["font.family"] = [family]
    rcParams["axes.unicode_minus"] = False
    return str(family)
