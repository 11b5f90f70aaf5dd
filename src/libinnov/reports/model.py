"""The report as data: sections, tables and charts built from an :class:`Analysis`.

HTML, PDF and XLSX render this one model, so they always show the same numbers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from libinnov.analysis import Analysis
from libinnov.analysis.capability import is_share, part_label
from libinnov.analysis.tables import UNKNOWN, Table
from libinnov.analysis.tests import TestResult, note_text, test_label
from libinnov.gazetteer import province_label, provinces

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
        "keywords_chart": "关键词（提及该词的案例数）",
        "years_chart": "各年案例数",
        "year": "年份",
        "keywords_focus": "各服务聚焦点的特征词",
        "keywords_how": "关键词：全部案例中 TF-IDF 权重最高的 20 个词，IDF 取自通用中文"
        "语料（jieba 自带的词频表），因此“建设”“发展”这类任何报告都常用的词排在后面；"
        "柱长为提及该词的案例数。",
        "keywords_note": "特征词：与其他案例相比，该类案例明显更常用的词（带信息先验的"
        "对数优势比，Monroe 等 2008），每个词至少见于该类的 2 个案例。",
        "appendix_cut": "共 {n} 个案例，此处列出前 500 个；"
        "全部案例见 tables.xlsx 和 report.html。",
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
        "keywords_chart": "Keywords (cases that use the word)",
        "years_chart": "Cases per year",
        "year": "Year",
        "keywords_focus": "Distinctive words of each service focus",
        "keywords_how": "Keywords: the 20 words with the highest TF-IDF weight over "
        "all cases, with the IDF taken from general Chinese (the table jieba ships), "
        "so words every report uses, such as 建设 (build) and 发展 (develop), rank "
        "low; each bar counts the cases that use the word.",
        "keywords_note": "Distinctive words: words the area's cases use markedly more "
        "than the other cases (log-odds ratio with an informative prior, Monroe et "
        "al. 2008), each in at least 2 of the area's cases.",
        "appendix_cut": "{n} cases; the first 500 are listed here, all of them in "
        "tables.xlsx and report.html.",
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
    """A table as numbers; ``formats`` says per column how to show them, so the
    workbook keeps numbers a researcher can compute with while the page reads well.
    """

    id: str
    title: str
    header: list[str]
    rows: list[list[Any]]
    case_ids: list[list[list[str]]] = field(default_factory=list)
    note: str = ""
    formats: list[str] = field(default_factory=list)

    def format_of(self, column: int) -> str:
        return self.formats[column] if column < len(self.formats) else ""


#: How a column's numbers are shown: as a percentage or with two decimals.
#: The values are the workbook's number formats too.
PERCENT = "0.0%"
DECIMAL = "0.00"


def cell_text(value: Any, fmt: str = "") -> str:
    """A table cell as the HTML and PDF show it."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return "" if value is None else str(value)
    if fmt == PERCENT:
        return f"{value * 100:.1f}%"
    if fmt == DECIMAL:
        return f"{value:.2f}"
    return str(value)


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
            [lab, dist.counts[c], dist.shares[c]]
            for lab, c in zip(labels, codes, strict=True)
        ],
        [[[], dist.case_ids[c], []] for c in codes],
        formats=["", "", PERCENT],
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


def _map_names(lang: str) -> dict[str, str]:
    """The province map's names (浙江省) as the report's language names them."""
    from libinnov.assets import province_map_name

    if lang == "zh":
        return {}
    return {province_map_name(p): province_label(p, lang) for p in provinces()}


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
                # the map's own names are its keys; readers see ``names``
                [province_map_name(c) for c in codes],
                [prov.counts[c] for c in codes],
                [prov.case_ids[c] for c in codes],
                extra={"names": _map_names(analysis.lang)},
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
    if analysis.years is not None:
        sections.append(_trends(analysis))
    sections.append(
        Section("findings", h["findings"], paragraphs=analysis.findings[1:])
    )
    cases = [
        {
            "id": c.id,
            "title": c.title,
            "library": c.library,
            "province": province_label(c.province or "", analysis.lang),
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


CAPABILITY_COLUMNS = {
    "zh": ["活跃度", "创新能力指数"],
    "en": ["Activity", "Capability"],
}
CAPABILITY_NOTE = {
    "zh": "活跃度：该组案例占全部案例的比例。创新能力指数：各组成部分在各组之间"
    "缩放到 0–1 后的平均值（1 为各组中最高）。",
    "en": "Activity: the group's share of all cases. Capability: the mean of the "
    "parts, each scaled to 0–1 across the groups (1 is the highest group).",
}


def _add_capability(analysis: Analysis, sections: list[Section]) -> None:
    h = HEADINGS[analysis.lang]
    lang = analysis.lang
    target = next(s for s in sections if s.key == "library_type")
    for key in ("library_type", "region"):
        groups = analysis.capability.get(key, [])
        if not groups:
            continue
        parts = list(groups[0].parts)
        names = [part_label(p, lang) for p in parts]
        target.tables.append(
            TableView(
                f"table-capability-{key}",
                f"{h['capability']}（{h[key]}）",
                [h["code"], h["count"], *CAPABILITY_COLUMNS[lang], *names],
                [
                    [
                        _label(analysis, key, g.group),
                        g.n_cases,
                        g.activity,
                        g.capability,
                        *[g.parts.get(p, 0.0) for p in parts],
                    ]
                    for g in groups
                ],
                note=CAPABILITY_NOTE[lang],
                formats=["", "", PERCENT, DECIMAL]
                + [PERCENT if is_share(p) else DECIMAL for p in parts],
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
        for i in range(len(table.row_codes)):
            line: list[Any] = [rows[i]]
            for j in range(len(table.col_codes)):
                res = test.residuals[i][j] if test.residuals else 0.0
                mark = "▲" if res > 1.96 else "▼" if res < -1.96 else ""
                line.append(f"{table.counts[i][j]}{mark}")
            body.append(line)
        p = "–" if test.p is None else f"{test.p:.4f}"
        v = "–" if test.cramers_v is None else f"{test.cramers_v:.2f}"
        note = _test_note(test, p, v, analysis.lang)
        title = (
            f"{_dim_label(analysis, table.rows)} × {_dim_label(analysis, table.cols)}"
        )
        section.tables.append(
            TableView(
                f"table-{table.rows}-{table.cols}",
                title,
                ["", *cols],
                body,
                _cell_ids(table),
                note,
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


def _test_note(test: TestResult, p: str, v: str, lang: str) -> str:
    name = test_label(test.test, lang)
    detail = note_text(test.note, lang)
    if lang == "zh":
        note = f"检验：{name}，p = {p}，Cramér's V = {v}。"
        note += f"{detail}。" if detail else ""
        return note + "▲/▼：调整残差的绝对值大于 1.96（该格显著多于/少于期望）。"
    note = f"Test: {name}, p = {p}, Cramér's V = {v}."
    note += f" {detail}." if detail else ""
    return note + " ▲/▼: |adjusted residual| > 1.96 (more/fewer than expected)."


def _keywords(analysis: Analysis) -> Section:
    h = HEADINGS[analysis.lang]
    section = Section("keywords", h["keywords"])
    section.paragraphs.append(h["keywords_how"])
    if analysis.keywords_from and analysis.keywords_from < analysis.n_cases:
        section.paragraphs.append(
            f"关键词取自随机抽取的 {analysis.keywords_from} 个案例"
            f"（共 {analysis.n_cases} 个）。"
            if analysis.lang == "zh"
            else f"Keywords come from a random sample of {analysis.keywords_from} "
            f"of the {analysis.n_cases} cases."
        )
    words = sorted(
        (w for w, _ in analysis.keywords[:20]),
        key=lambda w: -len(analysis.keyword_cases.get(w, [])),
    )
    section.charts.append(
        Chart(
            "chart-keywords",
            "bar",
            h["keywords_chart"],
            words,
            [len(analysis.keyword_cases.get(w, [])) for w in words],
            [analysis.keyword_cases.get(w, []) for w in words],
        )
    )
    rows = [
        [_label(analysis, "focus", code), "、".join(w for w, _ in kws)]
        for code, kws in analysis.keywords_by_focus.items()
        if kws
    ]
    section.tables.append(
        TableView(
            "table-keywords-focus",
            h["keywords_focus"],
            [h["code"], h["keywords"]],
            rows,
            note=h["keywords_note"],
        )
    )
    return section


def _trends(analysis: Analysis) -> Section:
    """Cases per year, and each year's innovation types and focus areas."""
    h = HEADINGS[analysis.lang]
    section = Section("trends", h["trends"])
    years = analysis.years
    assert years is not None
    labels = list(years.counts)
    section.charts.append(
        Chart(
            "chart-years",
            "bar",
            h["years_chart"],
            labels,
            [years.counts[y] for y in labels],
            [years.case_ids.get(y, []) for y in labels],
        )
    )
    for key, table in analysis.trends.items():
        cols = [_label(analysis, key, c) for c in table.col_codes]
        section.tables.append(
            TableView(
                f"table-trend-{key}",
                f"{h['year']} × {_dim_label(analysis, key)}",
                [h["year"], *cols],
                [
                    [r, *row]
                    for r, row in zip(table.row_codes, table.counts, strict=True)
                ],
                _cell_ids(table),
            )
        )
    return section


def _cell_ids(table: Table) -> list[list[list[str]]]:
    """The case ids behind each cell of a two-way table, none behind the row labels."""
    return [
        [[], *[table.case_ids.get(r, {}).get(c, []) for c in table.col_codes]]
        for r in table.row_codes
    ]


def _dim_label(analysis: Analysis, key: str) -> str:
    return (
        analysis.codebook.dimension(key).label(analysis.lang)
        if key in analysis.codebook
        else key
    )
