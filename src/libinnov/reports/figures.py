"""Static charts (PNG) for the PDF and for people who paste figures into papers.

Drawn with matplotlib and the CJK font; the province map uses the same GeoJSON as
the interactive report, drawn as polygons (no GIS stack needed).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from libinnov.analysis import Analysis
from libinnov.assets import china_geojson, register_matplotlib_cjk_font
from libinnov.reports.model import Chart, Report

COLOR = "#3b5bdb"


def _pyplot() -> Any:
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot

    register_matplotlib_cjk_font()
    return pyplot


def bar_chart(chart: Chart, path: Path) -> Path:
    plt = _pyplot()
    height = max(2.2, min(0.38 * len(chart.labels) + 0.8, 5.6))
    figure, axes = plt.subplots(figsize=(7.5, height), dpi=150)
    labels = [label if len(label) <= 18 else label[:17] + "…" for label in chart.labels]
    axes.barh(labels[::-1], chart.values[::-1], color=COLOR)
    for y, value in enumerate(chart.values[::-1]):
        axes.text(value, y, f" {value:g}", va="center", fontsize=8)
    axes.set_title(chart.title, fontsize=11)
    axes.spines[["top", "right"]].set_visible(False)
    figure.tight_layout()
    figure.savefig(path)
    plt.close(figure)
    return path


def province_map(values: dict[str, float], title: str, path: Path) -> Path:
    """A choropleth of values keyed by the map's province names."""
    from matplotlib import colormaps
    from matplotlib.collections import PatchCollection
    from matplotlib.colors import Normalize
    from matplotlib.patches import Polygon

    plt = _pyplot()
    figure, axes = plt.subplots(figsize=(7.5, 6), dpi=150)
    top = max(values.values(), default=1) or 1
    norm = Normalize(0, top)
    cmap = colormaps["Blues"]
    for feature in china_geojson()["features"]:
        value = values.get(feature["properties"]["name"], 0)
        patches = [
            Polygon(ring, closed=True)
            for polygon in feature["geometry"]["coordinates"]
            for ring in polygon[:1]
        ]
        collection = PatchCollection(
            patches,
            facecolor=cmap(0.08 + 0.85 * norm(value)),
            edgecolor="#8a94a6",
            linewidth=0.3,
        )
        axes.add_collection(collection)
    axes.set_xlim(73, 136)
    axes.set_ylim(16, 54)
    axes.set_aspect(1.2)
    axes.axis("off")
    axes.set_title(title, fontsize=11)
    mappable = plt.cm.ScalarMappable(norm=norm, cmap=cmap)
    figure.colorbar(mappable, ax=axes, shrink=0.5)
    figure.tight_layout()
    figure.savefig(path)
    plt.close(figure)
    return path


def draw_figures(
    analysis: Analysis, report: Report, directory: Path
) -> dict[str, Path]:
    directory.mkdir(parents=True, exist_ok=True)
    out: dict[str, Path] = {}
    for section in report.sections:
        for chart in section.charts:
            path = directory / f"{chart.id.removeprefix('chart-')}.png"
            if chart.kind == "bar" and chart.values:
                out[chart.id] = bar_chart(chart, path)
            elif chart.kind == "map":
                values = dict(zip(chart.labels, chart.values, strict=True))
                out[chart.id] = province_map(values, chart.title, path)
    return out
