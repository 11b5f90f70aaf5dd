"""A tile-grid map of China's provinces, drawn as server-side SVG.

Each province is one equal square placed roughly where it lies, so small provinces
are as visible as large ones and the map needs no geometry file or JavaScript. The
ECharts province map (when its vendored assets are installed) is drawn beside it.
In English a tile shows the province's ISO code, as a tile is too small for
Heilongjiang; its tooltip and the table give the full name.
"""

from __future__ import annotations

from dataclasses import dataclass

from libinnov.gazetteer import province_label, provinces

#: province short name → (column, row) on the grid
LAYOUT: dict[str, tuple[int, int]] = {
    "黑龙江": (7, 0),
    "内蒙古": (5, 1), "吉林": (7, 1),
    "新疆": (0, 2), "北京": (4, 2), "天津": (5, 2), "辽宁": (6, 2),
    "甘肃": (1, 3), "宁夏": (2, 3), "山西": (3, 3), "河北": (4, 3), "山东": (5, 3),
    "西藏": (0, 4), "青海": (1, 4), "陕西": (2, 4), "河南": (3, 4), "江苏": (4, 4),
    "上海": (5, 4),
    "四川": (1, 5), "重庆": (2, 5), "湖北": (3, 5), "安徽": (4, 5), "浙江": (5, 5),
    "云南": (1, 6), "贵州": (2, 6), "湖南": (3, 6), "江西": (4, 6), "福建": (5, 6),
    "台湾": (6, 6),
    "广西": (2, 7), "广东": (3, 7), "香港": (4, 7),
    "海南": (2, 8), "澳门": (3, 8),
}  # fmt: skip
TILE = 54
GAP = 4
_LOW = (238, 244, 251)
_HIGH = (31, 95, 168)


@dataclass(frozen=True)
class Tile:
    province: str  # the stored name, the filter's value
    name: str  # as the language names it
    label: str  # what fits on the tile
    count: int
    x: int
    y: int
    fill: str
    ink: str


def _mix(share: float) -> tuple[str, str]:
    rgb = [round(lo + (hi - lo) * share) for lo, hi in zip(_LOW, _HIGH, strict=True)]
    ink = "#ffffff" if share > 0.55 else "#1d2733"
    return "#{:02x}{:02x}{:02x}".format(*rgb), ink


def tiles(counts: dict[str, int], lang: str = "zh") -> list[Tile]:
    """One tile per province, shaded by its share of the largest count."""
    top = max(counts.values(), default=0) or 1
    out = []
    for province, (col, row) in LAYOUT.items():
        n = counts.get(province, 0)
        fill, ink = _mix(n / top) if n else ("#f4f5f7", "#98a2b3")
        label = provinces()[province].iso if lang == "en" else province
        x, y = col * (TILE + GAP), row * (TILE + GAP)
        name = province_label(province, lang)
        out.append(Tile(province, name, label, n, x, y, fill, ink))
    return out


def size() -> tuple[int, int]:
    cols = 1 + max(c for c, _ in LAYOUT.values())
    rows = 1 + max(r for _, r in LAYOUT.values())
    return cols * (TILE + GAP), rows * (TILE + GAP)
