"""The vendored front-end assets exist after set-up and fit the codebook."""

from __future__ import annotations

import warnings
from pathlib import Path

from libinnov.assets import (
    china_geojson,
    china_map_js,
    cjk_font_path,
    echarts_js,
    htmx_js,
    province_map_name,
    register_matplotlib_cjk_font,
)
from libinnov.codebook import Codebook


def test_echarts_and_htmx_are_vendored() -> None:
    assert "echarts" in echarts_js()[:2000].lower()
    assert len(echarts_js()) > 500_000
    assert "htmx" in htmx_js()


def test_the_map_has_every_province_of_the_codebook(codebook: Codebook) -> None:
    names = {f["properties"]["name"] for f in china_geojson()["features"]}
    assert len(names) == 34
    provinces = [p for c in codebook.dimension("region").codes for p in c.provinces]
    assert {province_map_name(p) for p in provinces} == names
    assert china_map_js().startswith('echarts.registerMap("china"')


def test_matplotlib_draws_chinese_without_missing_glyphs(tmp_path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt

    assert cjk_font_path().exists()
    register_matplotlib_cjk_font()
    figure, axes = plt.subplots()
    axes.set_title("图书馆服务创新案例")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        figure.savefig(tmp_path / "t.png")
    plt.close(figure)
    assert (tmp_path / "t.png").stat().st_size > 1000
