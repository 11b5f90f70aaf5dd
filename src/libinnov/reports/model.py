"""The report as data: sections, tables and charts built from an :class:`Analysis`.

HTML, PDF and XLSX render this one model, so they always show the same numbers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from libinnov.analysis import Analysis
from libinnov.analysis.tables import UNKNOWN
from libinnov.analysis.tests import test_label

HEADINGS = {
    "zh": {
        "title": "图书馆服务创新案例研究报告",
        "overview": "概况",
        "region": "地区分布",
        "library_type": "图书馆类型",
        "innovation_type": "创新类型",
        "focus": "服务聚焦点",
        "strategy": "创新策略",
        "associations": "关联分析",
        "keywords": "关键词",
        "findings": "主要发现",
        "appendix": "附录：案例列表",
        "province": "各省案例数",
        "code": "类别",
        "count": "案例数",
        "share": "占比",
        "cases": "案例",
        "capability": "活跃度与创新能力",
        "cooccurrence": "共现",
        "test": "检验",
        "technology": "应用技术",
        "audience": "服务对象",
        "trends": "年度趋势",
        "other_dims": "其他维度",
        "click": "点击表格单元格或图中的柱子，查看背后的案例。",
    },
    "en": {
        "title": "Library Service Innovation Cases: Research Report",
        "overview": "Overview",
        "region": "Regions",
        "library_type": "Library types",
        "innovation_type": "Innovation types",
        "focus": "Service focus",
        "strategy": "Innovation strategies",
        "associations": "Associations",
        "keywords": "Keywords",
        "findings": "Main findings",
        "appendix": "Appendix: case list",
        "province": "Cases by province",
        "code": "Category",
        "count": "Cases",
        "share": "Share",
        "cases": "Cases",
        "capability": "Activity and capability",
        "cooccurrence": "Co-occurrence",
        "test": "Test",
        "technology": "Technology",
        "audience": "Audience",
        "trends": "Trends by year",
        "other_dims": "Other dimensions",
        "click": "Click a table cell or a bar to list the cases behind it.",
    },
}


@dataclass
class Chart:
    id: str
    kind: str  # bar | map | heatmap
    title: str
    labels: list[str]
    values: list[float]
    case_ids: list[list[str]]
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class TableView:
    id: str
    title: str
    header: list[str]
    rows: list[list[Any]]
    case_ids: list[list[list[str]]] = field(default_factory=list)
    note: str = ""


@dataclass
class Section:
    key: str
    heading: str
    paragraphs: list[str] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)
    tables: list[TableView] = field(default_factory=list)


@dataclass
class Report:
    title: str
    lang: str
    sections: list[Section]
    cases: list[dict[str, Any]]
    headings: dict[str, str]
    provenance: str


def _label(analysis: Analysis, key: str, code: str) -> str:
    if key in analysis.codebook and code in analysis.codebook.dimension(key).code_keys:
        return analysis.codebook.dimension(key).code(code).label(analysis.lang)
    return "未知" if code == UNKNOWN and analysis.lang == "zh" else code


def _distribution_section(analysis: Analysis, key: str, heading: str) -> Section:
    dist = analysis.distributions[key]
    h = HEADINGS[analysis.lang]
    codes = [c for c in dist.counts if dist.counts[c] or c in dist.case_ids]
    labels = [_label(analysis, key, c) for c in codes]
    chart = Chart(
        f"chart-{key}",
        "bar",
        heading,
        labels,
        [dist.counts[c] for c in codes],
        [dist.case_ids[c] for c in codes],
    )
    table = TableView(
        f"table-{key}",
        heading,
        [h["code"], h["count"], h["share"]],
        [
            [lab, dist.counts[c], f"{dist.shares[c] * 100:.1f}%"]
            for lab, c in zip(labels, codes, strict=True)
        ],
        [[[], dist.case_ids[c], []] for c in codes],
    )
    section = Section(key, heading, charts=[chart], tables=[table])
    if dist.codes_per_case:
        per = "、".join(
            f"{k} 个代码：{v} 例" for k, v in sorted(dist.codes_per_case.items())
        )
        if analysis.lang == "en":
            per = ", ".join(
                f"{k} codes: {v}" for k, v in sorted(dist.codes_per_case.items())
            )
        section.paragraphs.append(per)
    return section


def build_report(analysis: Analysis) -> Report:
    h = HEADINGS[analysis.lang]
    sections: list[Section] = []
    overview = Section("overview", h["overview"], paragraphs=list(analysis.findings))
    sections.append(overview)
    if "region" in analysis.distributions:
        region = _distribution_section(analysis, "region", h["region"])
        prov = analysis.distributions["province"]
        from libinnov.assets import province_map_name

        codes = [c for c in prov.counts if c != UNKNOWN]
        region.charts.insert(
            0,
            Chart(
                "chart-province",
                "map",
                h["province"],
                [province_map_name(c) for c in codes],
                [prov.counts[c] for c in codes],
                [prov.case_ids[c] for c in codes],
            ),
        )
        sections.append(region)
    for key in ("library_type", "innovation_type", "focus", "strategy"):
        if key in analysis.distributions:
            sections.append(_distribution_section(analysis, key, h[key]))
    if "library_type" in analysis.capability:
        _add_capability(analysis, sections)
    sections.append(_associations(analysis))
    sections.append(_keywords(analysis))
    sections.append(
        Section("findings", h["findings"], paragraphs=analysis.findings[1:])
    )
    cases = [
        {
            "id": c.id,
            "title": c.title,
            "library": c.library,
            "province": c.province or "",
            "year": c.year or "",
            "innovation_type": _label(
                analysis, "innovation_type", str(c.codes.get("innovation_type", ""))
            ),
        }
        for c in analysis.cases
    ]
    provenance = (
        f"codebook {analysis.codebook.name} {analysis.codebook.version}; "
        f"{analysis.n_cases} cases"
    )
    return Report(h["title"], analysis.lang, sections, cases, h, provenance)


def _add_capability(analysis: Analysis, sections: list[Section]) -> None:
    h = HEADINGS[analysis.lang]
    target = next(s for s in sections if s.key == "library_type")
    for key in ("library_type", "region"):
        groups = analysis.capability.get(key, [])
        if not groups:
            continue
        parts = list(groups[0].parts)
        target.tables.append(
            TableView(
                f"table-capability-{key}",
                f"{h['capability']}（{h[key]}）",
                [h["code"], "activity", "capability", *parts],
                [
                    [
                        _label(analysis, key, g.group),
                        f"{g.activity * 100:.1f}%",
                        g.capability,
                        *[g.parts.get(p, 0.0) for p in parts],
                    ]
                    for g in groups
                ],
                note="capability = mean of the parts scaled 0–1 across groups",
            )
        )


def _associations(analysis: Analysis) -> Section:
    h = HEADINGS[analysis.lang]
    section = Section("associations", h["associations"])
    for test in analysis.tests:
        table = analysis.crosstabs[f"{test.rows} x {test.cols}"]
        rows = [_label(analysis, table.rows, r) for r in table.row_codes]
        cols = [_label(analysis, table.cols, c) for c in table.col_codes]
        body = []
        ids = []
        for i, r in enumerate(table.row_codes):
            line: list[Any] = [rows[i]]
            cell_ids: list[list[str]] = [[]]
            for j, c in enumerate(table.col_codes):
                res = test.residuals[i][j] if test.residuals else 0.0
                mark = "▲" if res > 1.96 else "▼" if res < -1.96 else ""
                line.append(f"{table.counts[i][j]}{mark}")
                cell_ids.append(table.case_ids.get(r, {}).get(c, []))
            body.append(line)
            ids.append(cell_ids)
        p = "–" if test.p is None else f"{test.p:.4f}"
        v = "–" if test.cramers_v is None else f"{test.cramers_v:.2f}"
        name = test_label(test.test, analysis.lang)
        note = f"{h['test']}: {name}, p = {p}, Cramér's V = {v}. {test.note}".strip()
        note += " ▲/▼: |adjusted residual| > 1.96."
        title = (
            f"{_dim_label(analysis, table.rows)} × {_dim_label(analysis, table.cols)}"
        )
        section.tables.append(
            TableView(
                f"table-{table.rows}-{table.cols}", title, ["", *cols], body, ids, note
            )
        )
    for co in analysis.cooccurrence.values():
        pair = f"{_dim_label(analysis, co.rows)} × {_dim_label(analysis, co.cols)}"
        section.charts.append(
            Chart(
                f"chart-co-{co.rows}-{co.cols}",
                "heatmap",
                f"{h['cooccurrence']}：{pair}",
                [_label(analysis, co.rows, r) for r in co.row_codes],
                [],
                [],
                extra={
                    "cols": [_label(analysis, co.cols, c) for c in co.col_codes],
                    "cells": [
                        [j, i, co.counts[i][j]]
                        for i in range(len(co.row_codes))
                        for j in range(len(co.col_codes))
                    ],
                    "ids": [
                        [co.case_ids[r][c] for c in co.col_codes] for r in co.row_codes
                    ],
                },
            )
        )
    return section


def _keywords(analysis: Analysis) -> Section:
    h = HEADINGS[analysis.lang]
    section = Section("keywords", h["keywords"])
    if analysis.keywords_from and analysis.keywords_from < analysis.n_cases:
        section.paragraphs.append(
            f"关键词取自随机抽取的 {analysis.keywords_from} 个案例"
            f"（共 {analysis.n_cases} 个）。"
            if analysis.lang == "zh"
            else f"Keywords come from a random sample of {analysis.keywords_from} "
            f"of the {analysis.n_cases} cases."
        )
    words = analysis.keywords[:20]
    section.charts.append(
        Chart(
            "chart-keywords",
            "bar",
            h["keywords"],
            [w for w, _ in words],
            [v for _, v in words],
            [[] for _ in words],
        )
    )
    rows = [
        [_label(analysis, "focus", code), "、".join(w for w, _ in kws)]
        for code, kws in analysis.keywords_by_focus.items()
        if kws
    ]
    section.tables.append(
        TableView("table-keywords-focus", h["focus"], [h["code"], h["keywords"]], rows)
    )
    return section


def _dim_label(analysis: Analysis, key: str) -> str:
    return (
        analysis.codebook.dimension(key).label(analysis.lang)
        if key in analysis.codebook
        else key
    )
