"""The study's analyses as pure functions over coded cases.

:func:`analyze` runs them all and returns an :class:`Analysis` whose
:meth:`~Analysis.summary` is the ``summary.json`` of the report contract.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from libinnov.analysis.capability import GroupScore, capability
from libinnov.analysis.cooccurrence import Cooccurrence, cooccurrence
from libinnov.analysis.findings import findings
from libinnov.analysis.index import CodeIndex
from libinnov.analysis.keywords import Presence, case_tokens, cases_using, keywords
from libinnov.analysis.tables import (
    AnalysisError,
    Distribution,
    Table,
    crosstab_counts,
    dimension_or_error,
    distribution,
)
from libinnov.analysis.tests import TestResult, association
from libinnov.cases.model import Case
from libinnov.codebook.model import Codebook

#: The study's cross-tabulations (rows x cols), run when both dimensions exist.
DEFAULT_CROSSTABS = (
    ("library_type", "focus"),
    ("library_type", "innovation_type"),
    ("region", "innovation_type"),
    ("library_type", "strategy"),
)

__all__ = ["DEFAULT_CROSSTABS", "Analysis", "AnalysisError", "analyze", "summarise"]


@dataclass
class Analysis:
    codebook: Codebook
    cases: list[Case]
    lang: str
    distributions: dict[str, Distribution]
    crosstabs: dict[str, Table]
    tests: list[TestResult]
    cooccurrence: dict[str, Cooccurrence]
    capability: dict[str, list[GroupScore]]
    keywords: list[tuple[str, float]]
    keywords_by_focus: dict[str, list[tuple[str, float]]]
    #: Cases by year and code of each dimension the study follows over time
    #: (innovation type, focus); empty when the cases span fewer than two years.
    trends: dict[str, Table]
    findings: list[str]
    findings_other: list[str] = field(default_factory=list)
    keywords_from: int = 0
    #: The (sampled) cases that use each of :attr:`keywords`.
    keyword_cases: dict[str, list[str]] = field(default_factory=dict)
    #: Cases per year, oldest first (``None`` when fewer than two years).
    years: Distribution | None = None

    @property
    def n_cases(self) -> int:
        return len(self.cases)

    def summary(self) -> dict[str, Any]:
        """The ``summary.json`` of the contract, plus the extra tables."""
        return {
            "n_cases": self.n_cases,
            "codebook": {"name": self.codebook.name, "version": self.codebook.version},
            "dimensions": {
                k: d.as_dict() for k, d in self.distributions.items() if k != "province"
            },
            "provinces": self.distributions["province"].as_dict(),
            "crosstabs": {k: t.as_dict() for k, t in self.crosstabs.items()},
            "tests": [t.as_dict() for t in self.tests],
            "cooccurrence": {k: c.as_dict() for k, c in self.cooccurrence.items()},
            "capability": {
                k: {g.group: g.as_dict() for g in groups}
                for k, groups in self.capability.items()
            },
            "keywords": [
                {"word": w, "weight": v, "cases": len(self.keyword_cases.get(w, []))}
                for w, v in self.keywords
            ],
            "keywords_from": self.keywords_from or self.n_cases,
            "trends": {
                "years": self.years.counts if self.years else {},
                **{k: t.as_dict() for k, t in self.trends.items()},
            },
            "keywords_by_focus": {
                code: [w for w, _ in words]
                for code, words in self.keywords_by_focus.items()
            },
            "findings": self.findings,
        }


def analyze(
    cases: Sequence[Case],
    codebook: Codebook,
    *,
    lang: str = "zh",
    crosstabs: Sequence[tuple[str, str]] = DEFAULT_CROSSTABS,
    progress: Callable[[str], None] | None = None,
) -> Analysis:
    """Every analysis of the study on a set of coded cases."""
    if not cases:
        raise AnalysisError("the case set is empty: nothing to analyse")
    step = progress or (lambda _name: None)
    cases = list(cases)
    index = CodeIndex(cases)
    step("distributions")
    dists = {
        d.key: distribution(cases, d.key, d.code_keys, index=index)
        for d in codebook.active_dimensions
        if index.coded(d.key)
    }
    dists["province"] = distribution(cases, "province", index=index)
    step("cross-tabulations")
    tables: dict[str, Table] = {}
    tests: list[TestResult] = []
    for rows, cols in crosstabs:
        r, c = dimension_or_error(codebook, rows), dimension_or_error(codebook, cols)
        if rows not in dists or cols not in dists:
            continue
        table = crosstab_counts(
            cases, rows, cols, r.code_keys, c.code_keys, index=index
        )
        tables[table.name] = table
        result = association(table)
        if r.is_multi or c.is_multi:
            result.note = "; ".join(
                x
                for x in (result.note, "multiple response: a case counts once per code")
                if x
            )
        tests.append(result)
    step("co-occurrence")
    pairs = {}
    for rows, cols in (("focus", "strategy"), ("strategy", "strategy")):
        if rows in dists and cols in dists:
            co = cooccurrence(
                cases,
                rows,
                cols,
                codebook.dimension(rows).code_keys,
                codebook.dimension(cols).code_keys,
                index=index,
            )
            pairs[co.name] = co
    step("activity and capability")
    caps: dict[str, list[GroupScore]] = {
        k: capability(cases, k, index=index)
        for k in ("library_type", "region")
        if k in dists
    }
    step("keywords")
    sampled = keyword_sample(cases)
    tokens = case_tokens(sampled)
    presence = Presence(tokens)
    by_focus: dict[str, list[tuple[str, float]]] = {}
    if "focus" in dists:
        for code, ids in dists["focus"].case_ids.items():
            by_focus[code] = presence.distinctive(set(ids), top=8)
    top_words = keywords(sampled, top=30, tokens=tokens)
    years, trends = _trends(cases, codebook, dists, index)
    step("findings")
    other = "en" if lang == "zh" else "zh"
    return Analysis(
        codebook,
        cases,
        lang,
        dists,
        tables,
        tests,
        pairs,
        caps,
        top_words,
        by_focus,
        trends,
        findings(codebook, dists, caps, tests, lang),
        findings(codebook, dists, caps, tests, other),
        keywords_from=len(sampled),
        keyword_cases=cases_using(sampled, [w for w, _ in top_words]),
        years=years,
    )


#: The dimensions whose codes the report follows year by year.
TREND_DIMENSIONS = ("innovation_type", "focus")


def _trends(
    cases: list[Case],
    codebook: Codebook,
    dists: dict[str, Distribution],
    index: CodeIndex,
) -> tuple[Distribution | None, dict[str, Table]]:
    """Cases per year, and per year and code, when the cases span two years."""
    years = sorted({str(c.year) for c in cases if c.year})
    if len(years) < 2:
        return None, {}
    per_year = distribution(cases, "year", years, index=index)
    tables = {
        key: crosstab_counts(
            cases, "year", key, years, codebook.dimension(key).code_keys, index=index
        )
        for key in TREND_DIMENSIONS
        if key in dists
    }
    return per_year, tables


KEYWORD_SAMPLE = 5000


def keyword_sample(cases: list[Case]) -> list[Case]:
    """At most :data:`KEYWORD_SAMPLE` cases (a fixed random sample) to mine words.

    Keywords need every text segmented; beyond a few thousand cases the top words
    no longer change, while the time grows with every case.
    """
    if len(cases) <= KEYWORD_SAMPLE:
        return cases
    return random.Random(0).sample(cases, KEYWORD_SAMPLE)


def summarise(
    cases: Sequence[Case], codebook: Codebook, *, lang: str = "zh"
) -> dict[str, Any]:
    """``summary.json`` for a case set; an empty set gives zero counts, not an error."""
    if not cases:
        return {
            "n_cases": 0,
            "dimensions": {
                d.key: {"counts": {c: 0 for c in d.code_keys}, "shares": {}}
                for d in codebook.active_dimensions
            },
            "crosstabs": {},
            "tests": [],
            "findings": [],
        }
    return analyze(cases, codebook, lang=lang).summary()
