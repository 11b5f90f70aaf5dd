"""``/dashboard/``: the same filter parameters as ``/cases/``, analysed."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext

from libinnov.gazetteer import province_label
from libinnov.gazetteer import provinces as provinces_table
from libinnov.web.cases import selectors as case_selectors
from libinnov.web.cases.page_cache import public_page
from libinnov.web.cases.templatetags.libinnov_tags import code_label, lang
from libinnov.web.cases.views import json_response, wants_json
from libinnov.web.codebook.selectors import current_codebook
from libinnov.web.config.views import asset_available
from libinnov.web.dashboards import selectors, tilemap


def _bars(items: list[tuple[Any, str, int]]) -> list[dict[str, Any]]:
    """``(key, label, n)`` as bars, each as wide as its share of the longest."""
    top = max([n for _, _, n in items] + [1])
    return [
        {"key": key, "label": label, "n": n, "pct": round(100 * n / top)}
        for key, label, n in items
    ]


def _charts(data: dict[str, Any], codebook: Any) -> list[dict[str, Any]]:
    language = lang()
    charts = []
    for dim in codebook.active_dimensions:
        counts = data["dimensions"].get(dim.key, {}).get("counts", {})
        bars = _bars(
            [
                (c.key, c.label(language), int(counts.get(c.key, 0)))
                for c in dim.codes
                if not c.retired or counts.get(c.key)
            ]
        )
        charts.append({"key": dim.key, "label": dim.label(language), "bars": bars})
    return charts


def _year_bars(counts: dict[int, int]) -> list[dict[str, Any]]:
    """Cases per year, oldest first, as the bar lists of the other panels."""
    return _bars([(year, str(year), n) for year, n in sorted(counts.items())])


def _tests(data: dict[str, Any]) -> list[dict[str, Any]]:
    """The association tests as readers see them: named, with significance."""
    from libinnov.analysis.tests import is_significant, test_label

    language = lang()
    return [
        {
            **t,
            "label": test_label(str(t.get("test")), language),
            "significant": is_significant(t.get("p")),
        }
        for t in data.get("tests", [])
    ]


def _capability(data: dict[str, Any], codebook: Any) -> dict[str, Any]:
    """The activity and capability tables, groups labelled, parts named as the
    report names them."""
    from libinnov.analysis.capability import PART_LABELS, is_share, part_label
    from libinnov.reports.model import CAPABILITY_COLUMNS, CAPABILITY_NOTE

    language = lang()
    tables = []
    for key, groups in data.get("capability", {}).items():
        present = {p for g in groups.values() for p in g["parts"]}
        parts = [p for p in PART_LABELS if p in present]
        parts += sorted(present - set(parts))
        rows = [
            {
                "key": group,
                "label": code_label(codebook, key, group),
                "n": g["n_cases"],
                "activity": g["activity"],
                "capability": g["capability"],
                "parts": [(g["parts"].get(p, 0.0), is_share(p)) for p in parts],
            }
            for group, g in groups.items()
        ]
        tables.append(
            {
                "key": key,
                "parts": [part_label(p, language) for p in parts],
                "rows": sorted(rows, key=lambda r: -r["activity"]),
            }
        )
    return {
        "tables": tables,
        "columns": CAPABILITY_COLUMNS[language],
        "note": CAPABILITY_NOTE[language],
    }


def _keywords(data: dict[str, Any], codebook: Any) -> dict[str, Any]:
    """The top words with how many cases use them, and each focus area's own."""
    return {
        "top": [(k["word"], k.get("cases", 0)) for k in data.get("keywords", [])[:20]],
        "by_focus": [
            (code_label(codebook, "focus", code), words)
            for code, words in data.get("keywords_by_focus", {}).items()
            if words
        ],
        "sampled": data.get("keywords_from", 0) < data.get("n_cases", 0),
    }


def _filter_tags(flt: Any, codebook: Any) -> list[str]:
    """The filter as readers see it: code labels, and calls by their titles."""
    titles = case_selectors.campaign_titles(flt.campaigns) if flt.campaigns else {}
    tags = []
    for key, value in flt.as_params():
        if key == "campaign":
            tags.append(titles.get(value, value))
        elif key == "province":
            tags.append(province_label(value, lang()))
        elif key in ("q", "year"):
            tags.append(value)
        else:
            tags.append(code_label(codebook, key, value))
    return tags


def _map_names(language: str) -> dict[str, str]:
    """What the map's tooltips call each province, where that is not its Chinese
    name: the map's series keys stay the names its geometry carries."""
    if language == "zh":
        return {}
    return {p: province_label(p, language) for p in provinces_table()}


def _filtered(request: HttpRequest) -> tuple[Any, Any, Any]:
    """The codebook, the filter of the query string and the cases it selects."""
    codebook = current_codebook()
    flt = case_selectors.parse_filter(request.GET, codebook)
    qs, _ = case_selectors.apply_filter(case_selectors.visible_cases(request.user), flt)
    return codebook, flt, qs


@public_page
def dashboard(request: HttpRequest) -> HttpResponse:
    codebook, flt, qs = _filtered(request)
    data = selectors.summary(qs, codebook)
    provinces = selectors.province_counts(qs, codebook)
    if wants_json(request):
        return json_response({**data, "provinces": provinces})
    charts = _charts(data, codebook)
    language = lang()
    return render(
        request,
        "dashboards/dashboard.html",
        {
            "codebook": codebook,
            "filter": flt,
            "params": flt.as_params(),
            "filter_tags": _filter_tags(flt, codebook),
            "data": data,
            "charts": charts,
            "tests": _tests(data),
            "capability": _capability(data, codebook),
            "keywords": _keywords(data, codebook),
            "provinces": [
                (p, province_label(p, language), n)
                for p, n in sorted(provinces.items(), key=lambda kv: -kv[1])
            ],
            "year_bars": _year_bars(selectors.year_counts(qs, codebook)),
            "tiles": tilemap.tiles(provinces, language),
            "tile_size": tilemap.TILE,
            "map_size": tilemap.size(),
            "chart_data": {
                "charts": charts,
                "provinces": provinces,
                "province_names": _map_names(language),
            },
            "echarts": asset_available("echarts.min.js"),
            "china_map": asset_available("china.js"),
        },
    )


def report(request: HttpRequest, fmt: str) -> HttpResponse:
    """ "Download this as a report": the research report of the current filter."""
    from libinnov.analysis import AnalysisError, analyze
    from libinnov.reports import REPORT_TYPES, report_bytes

    if fmt not in REPORT_TYPES:
        raise Http404("unknown report format")
    codebook, _flt, qs = _filtered(request)
    try:
        analysis = analyze([c.to_core() for c in qs], codebook, lang=lang())
    except AnalysisError as exc:
        return HttpResponse(
            exc.describe(gettext), status=400, content_type="text/plain"
        )
    name, content_type = REPORT_TYPES[fmt]
    response = HttpResponse(report_bytes(analysis, fmt), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
