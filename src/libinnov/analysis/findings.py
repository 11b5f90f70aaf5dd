"""Findings written from the numbers, in Chinese and English, in the seed study's style.

Every sentence is computed: which region and library type lead and by how much,
which innovation types, focus areas and strategies dominate, and which associations
are significant. Nothing here is canned text.
"""

from __future__ import annotations

from collections.abc import Callable

from libinnov.analysis.capability import GroupScore
from libinnov.analysis.tables import UNKNOWN, Distribution
from libinnov.analysis.tests import TestResult, is_significant
from libinnov.codebook.model import Codebook


def _label(codebook: Codebook, key: str, lang: str) -> Callable[[str], str]:
    dim = codebook.dimension(key) if key in codebook else None

    def label(code: str) -> str:
        if dim is None or code not in dim.code_keys:
            return code
        return dim.code(code).label(lang)

    return label


def _ranked(dist: Distribution) -> list[tuple[str, int]]:
    return sorted(
        ((c, n) for c, n in dist.counts.items() if c != UNKNOWN and n > 0),
        key=lambda item: (-item[1], item[0]),
    )


def _pct(share: float) -> str:
    return f"{share * 100:.1f}%"


def _lead(
    dist: Distribution, codebook: Codebook, lang: str, zh: str, en: str
) -> str | None:
    ranked = _ranked(dist)
    if not ranked:
        return None
    label = _label(codebook, dist.key, lang)
    code, count = ranked[0]
    share = _pct(dist.shares[code])
    if len(ranked) == 1:
        return (
            f"全部有效案例均为{label(code)}（{count} 个）。"
            if lang == "zh"
            else f"All cases are {label(code)} ({count})."
        )
    second, count2 = ranked[1]
    ratio = count / count2 if count2 else float("inf")
    if lang == "zh":
        return (
            f"{zh}{label(code)}案例最多（{count} 个，占 {share}），"
            f"是居第二位的{label(second)}（{count2} 个）的 {ratio:.1f} 倍。"
        )
    return (
        f"{en} {label(code)} leads with {count} cases ({share}), "
        f"{ratio:.1f} times {label(second)} ({count2})."
    )


def _top(dist: Distribution, codebook: Codebook, lang: str, k: int) -> str:
    label = _label(codebook, dist.key, lang)
    sep = "、" if lang == "zh" else ", "
    return sep.join(
        f"{label(c)}（{n}）" if lang == "zh" else f"{label(c)} ({n})"
        for c, n in _ranked(dist)[:k]
    )


def findings(
    codebook: Codebook,
    distributions: dict[str, Distribution],
    capability: dict[str, list[GroupScore]],
    tests: list[TestResult],
    lang: str = "zh",
) -> list[str]:
    out: list[str] = []
    n = next(iter(distributions.values())).n_cases if distributions else 0
    out.append(f"共分析 {n} 个案例。" if lang == "zh" else f"{n} cases were analysed.")
    if "region" in distributions:
        sentence = _lead(
            distributions["region"], codebook, lang, "从地区看，", "By region,"
        )
        if sentence:
            out.append(sentence)
    if "library_type" in distributions:
        sentence = _lead(
            distributions["library_type"],
            codebook,
            lang,
            "从图书馆类型看，",
            "By library type,",
        )
        if sentence:
            out.append(sentence)
    groups = [g for g in capability.get("library_type", []) if g.group != UNKNOWN]
    if len(groups) > 1:
        label = _label(codebook, "library_type", lang)
        best = max(groups, key=lambda g: (g.capability, g.activity))
        out.append(
            f"创新能力指数最高的是{label(best.group)}（{best.capability:.2f}），"
            f"其案例平均涉及 {best.parts['focus_per_case']:.1f} 个服务聚焦点、"
            f"{best.parts['strategy_per_case']:.1f} 项创新策略。"
            if lang == "zh"
            else f"{label(best.group)} score highest on the capability index "
            f"({best.capability:.2f}), with {best.parts['focus_per_case']:.1f} focus "
            f"areas and {best.parts['strategy_per_case']:.1f} strategies per case."
        )
    for key, zh, en, k in (
        ("innovation_type", "创新类型以", "The commonest innovation types are", 2),
        ("focus", "服务聚焦点主要集中在", "The main focus areas are", 4),
        ("strategy", "最常见的创新策略是", "The commonest strategies are", 3),
    ):
        if key in distributions and _ranked(distributions[key]):
            top = _top(distributions[key], codebook, lang, k)
            out.append(
                f"{zh}{top}为主。"
                if lang == "zh" and key == "innovation_type"
                else f"{zh}{top}。"
                if lang == "zh"
                else f"{en} {top}."
            )
    significant = [t for t in tests if is_significant(t.p)]
    for t in sorted(significant, key=lambda t: t.p or 1.0)[:4]:
        rows = codebook.dimension(t.rows).label(lang) if t.rows in codebook else t.rows
        cols = codebook.dimension(t.cols).label(lang) if t.cols in codebook else t.cols
        out.append(
            f"{rows}与{cols}显著相关（p = {t.p:.3f}，Cramér's V = {t.cramers_v:.2f}）。"
            if lang == "zh"
            else f"{rows} and {cols} are significantly associated (p = {t.p:.3f}, "
            f"Cramér's V = {t.cramers_v:.2f})."
        )
    if tests and not significant:
        out.append(
            "各交叉表均未发现显著关联（p ≥ 0.05）。"
            if lang == "zh"
            else "No cross-tabulation shows a significant association (p ≥ 0.05)."
        )
    return out
