"""Reading cases: who may see what, filters from the codebook, search and facets."""

from __future__ import annotations

import hashlib
import re
import threading
import time
from collections import Counter
from dataclasses import dataclass, field, replace
from typing import Any

from django.core.cache import cache
from django.db import connections
from django.db.models import Count, Exists, Max, OuterRef, QuerySet
from django.http import QueryDict

from libinnov.codebook import Codebook
from libinnov.exceptions import LibinnovError
from libinnov.search import Query, parse_query
from libinnov.text import normalise_text
from libinnov.web.accounts.roles import has_role
from libinnov.web.campaigns.labels import tier_labels
from libinnov.web.campaigns.models import Campaign, Status
from libinnov.web.cases import search_index
from libinnov.web.cases.models import Case, CaseCode, LibraryState

CACHE_SECONDS = 3600
LIST_FIELDS = ("id", "title", "library", "province", "region", "year", "library_type")
#: filter parameters that are columns of the case table, and their filter field
COLUMN_PARAMS = {"province": "provinces", "year": "years", "campaign": "campaigns"}
_SLUG = re.compile(r"[-a-zA-Z0-9_]+")


@dataclass(frozen=True)
class CaseFilter:
    """The library's query: text, codes per dimension, provinces, years and the
    campaigns the cases were published from."""

    q: str = ""
    codes: dict[str, list[str]] = field(default_factory=dict)
    provinces: list[str] = field(default_factory=list)
    years: list[int] = field(default_factory=list)
    campaigns: list[str] = field(default_factory=list)

    def is_empty(self) -> bool:
        return not (
            self.q or self.codes or self.provinces or self.years or self.campaigns
        )

    def as_params(self) -> list[tuple[str, str]]:
        """Back to query parameters (for links that keep the filter)."""
        params: list[tuple[str, str]] = [("q", self.q)] if self.q else []
        for dim, values in self.codes.items():
            params.extend((dim, v) for v in values)
        for key, name in COLUMN_PARAMS.items():
            params.extend((key, str(v)) for v in getattr(self, name))
        return params

    def values(self, key: str) -> list[Any]:
        """The values asked for ``key``: a dimension or a column parameter."""
        if key in COLUMN_PARAMS:
            return list(getattr(self, COLUMN_PARAMS[key]))
        return self.codes.get(key, [])

    def has(self, key: str, value: Any) -> bool:
        return value in self.values(key)

    def without(self, key: str) -> CaseFilter:
        """The filter without its values for ``key``."""
        if key in COLUMN_PARAMS:
            return replace(self, **{COLUMN_PARAMS[key]: []})
        return replace(self, codes={k: v for k, v in self.codes.items() if k != key})


class BadFilter(LibinnovError, ValueError):
    """A filter parameter names no code of its dimension (answered with a 400)."""


def parse_filter(params: QueryDict, codebook: Codebook) -> CaseFilter:
    """Read filter parameters; codes may be given as keys or zh/en labels.

    Raises
    ------
    BadFilter
        for a value that is no code of its dimension, or a year that is no number,
        so a typo never silently returns the whole library.
    """
    codes: dict[str, list[str]] = {}
    for dim in codebook.dimensions:
        found: list[str] = []
        for value in (v.strip() for v in params.getlist(dim.key)):
            if not value:
                continue
            key = dim.resolve(value)
            if key is None:
                known = ", ".join(dim.code_keys)
                raise BadFilter(
                    "unknown code '%(value)s' for %(dimension)s (known: %(known)s)",
                    value=value,
                    dimension=dim.key,
                    known=known,
                )
            if key not in found:
                found.append(key)
        if found:
            codes[dim.key] = found
    years = [y.strip() for y in params.getlist("year") if y.strip()]
    if any(not y.isdigit() for y in years):
        raise BadFilter("year must be a number such as 2023")
    provinces = [p.strip() for p in params.getlist("province") if p.strip()]
    return CaseFilter(
        q=params.get("q", "").strip()[:200],
        codes=codes,
        provinces=provinces,
        years=[int(y) for y in years],
        campaigns=_campaigns(params.getlist("campaign")),
    )


def _campaigns(values: list[str]) -> list[str]:
    """Campaign slugs; one that names no call and no published case is a
    :class:`BadFilter` (a draft call counts as none, as on its page)."""
    slugs = list(dict.fromkeys(v.strip() for v in values if v.strip()))
    if not slugs:
        return []
    bad = [s for s in slugs if not _SLUG.fullmatch(s)]
    if not bad:
        known = set(
            Case.objects.filter(campaign__in=slugs).values_list("campaign", flat=True)
        )
        known |= set(
            Campaign.objects.filter(slug__in=slugs)
            .exclude(status=Status.DRAFT)
            .values_list("slug", flat=True)
        )
        bad = [s for s in slugs if s not in known]
    if bad:
        raise BadFilter(
            "unknown campaign '%(value)s' (give a call's short name)", value=bad[0]
        )
    return slugs


def campaign_titles(slugs: list[str]) -> dict[str, str]:
    """The titles of the public calls among ``slugs`` (drafts keep their slug)."""
    rows = (
        Campaign.objects.filter(slug__in=slugs)
        .exclude(status=Status.DRAFT)
        .values_list("slug", "title")
    )
    return dict(rows)


def visible_cases(user: Any) -> QuerySet[Case]:
    """Anonymous visitors see published cases; viewers and above see all.

    When nothing is unpublished the filter is left out: it would make every search
    hit and facet count join back to the case table for no effect.
    """
    qs = Case.objects.all()
    if has_role(user, "viewer"):
        return qs
    unpublished = cache.get_or_set(
        version_key("unpublished", qs),
        lambda: qs.filter(published=False).exists(),
        CACHE_SECONDS,
    )
    return qs.filter(published=True) if unpublished else qs


def query_terms(q: str) -> list[str]:
    """What to highlight for a query: its terms and the words they were cut into."""
    query = parse_query(q)
    return [*query.texts, *query.words]


def _verified(
    qs: QuerySet[Case], query: Query, *, indexed: bool, strict: bool
) -> QuerySet[Case]:
    for term in query.terms:
        if not indexed or (strict and term.verify):
            qs = qs.filter(search_text__contains=term.text)
    return qs


def search_terms(
    qs: QuerySet[Case], q: str, facets: search_index.IndexFilter | None = None
) -> tuple[QuerySet[Case], list[str]]:
    """Cases matching every term, annotated with ``search_score`` when indexed.

    The full-text index answers words of two or more characters; phrases are then
    checked on the text, and a term of one character scans the text. A phrase with
    no hit is relaxed to its words, so a sentence typed into the box still finds
    the cases that speak of the same things. ``facets`` is what ``qs`` is
    filtered by, as the index's facet table takes it (none given: ``qs`` must
    be unfiltered for the index to answer alone).
    """
    query = parse_query(q)
    if not query:
        return qs, []
    connection = connections[qs.db]
    indexed = query.indexable and search_index.usable(connection)
    if facets is None and not qs.query.where:
        facets = search_index.IndexFilter()
    if indexed:
        qs = search_index.text_match(qs, query, connection.vendor)
    strict = _verified(qs, query, indexed=indexed, strict=True)
    if not indexed or not any(t.verify for t in query.terms):
        if indexed and facets is not None:
            expression = search_index.index_expression(query, connection.vendor)
            strict._index_only = (expression, facets)  # type: ignore[attr-defined]
        return strict, query.texts
    if strict.exists():
        return strict, query.texts
    return qs, query.words


def apply_filter(
    qs: QuerySet[Case], flt: CaseFilter
) -> tuple[QuerySet[Case], list[str]]:
    """Filter by codes (OR within a dimension, AND across), place, year and text."""
    base = qs
    for dim, values in flt.codes.items():
        rows = CaseCode.objects.filter(
            case=OuterRef("pk"), dimension=dim, code__in=values
        )
        qs = qs.filter(Exists(rows))
    if flt.provinces:
        qs = qs.filter(province__in=flt.provinces)
    if flt.years:
        qs = qs.filter(year__in=flt.years)
    if flt.campaigns:
        qs = qs.filter(campaign__in=flt.campaigns)
    terms: list[str] = []
    if flt.q:
        qs, terms = search_terms(qs, flt.q, _index_filter(base, flt))
    return qs, terms


def _index_filter(
    base: QuerySet[Case], flt: CaseFilter
) -> search_index.IndexFilter | None:
    """``flt`` as the search index's facet table takes it, or ``None`` when
    ``base`` selects more than what :func:`visible_cases` may leave out."""
    if not base.query.where:
        published_only = False
    elif base.query.where == Case.objects.filter(published=True).query.where:
        published_only = True
    else:
        return None
    return search_index.IndexFilter(
        codes=tuple((dim, tuple(values)) for dim, values in flt.codes.items()),
        provinces=tuple(flt.provinces),
        years=tuple(flt.years),
        campaigns=tuple(flt.campaigns),
        published_only=published_only,
    )


def ranked_ids(
    qs: QuerySet[Case], terms: list[str]
) -> QuerySet[Any] | search_index.Hits:
    """Ids by relevance for a text search, else by id; lazy either way.

    Paging through a large library then counts and slices in the database; a
    word search is answered without the case table where the filter allows
    (:func:`search_index.index_only`).
    """
    index_only = getattr(qs, "_index_only", None)
    if terms and index_only is not None:
        return search_index.index_only(qs.db, *index_only)
    if terms and "search_score" in qs.query.annotations | qs.query.extra:
        return qs.order_by("-search_score", "id").values_list("id", flat=True)
    return qs.order_by("id").values_list("id", flat=True)


def facet_counts(
    qs: QuerySet[Case], codebook: Codebook, only: str | None = None
) -> dict[str, Counter[Any]]:
    """Case counts per code for every dimension (or ``only`` one), and per
    province, year and campaign (one grouped pass for the three)."""
    counts: dict[str, Counter[Any]] = {d.key: Counter() for d in codebook.dimensions}
    if only in (None, *counts):
        rows = CaseCode.objects.all()
        if qs.query.where or qs.query.extra_tables:
            # the IN-subquery costs ~10x a plain index scan; skip it when unfiltered
            rows = rows.filter(case__in=qs.values("pk"))
        if only is not None:
            rows = rows.filter(dimension=only)
        pairs = rows.values_list("dimension", "code").annotate(n=Count("id"))
        for dim, code, n in pairs.order_by():
            if dim in counts:
                counts[dim][code] = n
    if only in (None, *COLUMN_PARAMS):
        # one grouped pass for all: each pass re-runs the filter (and the search)
        for key in COLUMN_PARAMS:
            counts[key] = Counter()
        rows = qs.values_list(*COLUMN_PARAMS).annotate(n=Count("id"))
        for province, year, campaign, n in rows.order_by():
            if province:
                counts["province"][province] += n
            if year is not None:
                counts["year"][year] += n
            if campaign:
                counts["campaign"][campaign] += n
    return counts


_REQUEST = threading.local()


def forget_request_memo(**_kwargs: Any) -> None:
    """Connected to request_started/finished: memos live for one request."""
    _REQUEST.__dict__.clear()


def library_version() -> str:
    """Changes whenever a case is added, changed or deleted.

    Read from the trigger-kept counter (:class:`~.models.LibraryState`); if its
    row is gone (a test database flushed between tests) from the case count and
    newest change instead. Asked once per request (several caches key on it) and
    remembered until the request ends.
    """
    alias = Case.objects.db
    memo = _REQUEST.__dict__.setdefault("version", {})
    if alias not in memo:
        changes = LibraryState.objects.values_list("changes", flat=True).first()
        if changes is None:
            latest = Case.objects.aggregate(latest=Max("updated_at"))["latest"]
            memo[alias] = f"{Case.objects.count()}:{latest}"
        else:
            memo[alias] = f"v{changes}"
    return str(memo[alias])


def version_key(prefix: str, qs: QuerySet[Case], *extra: Any) -> str:
    """A cache key for what ``qs`` selects on this version of the library.

    Every cached count, ranking and analysis keys on it, so any change to a case
    makes a new key and an edit shows at once.
    """
    sql, params = qs.query.sql_with_params()
    text = repr((sql, params, qs.db, library_version(), *extra))
    return f"{prefix}:{hashlib.sha1(text.encode('utf-8')).hexdigest()}"


class CachedRanking:
    """The ranked ids of a filter, each count and page kept until any case changes.

    Ranking a common word and counting a code filter each cost tens of
    milliseconds on a large library; the same page asked again (the back button,
    a popular word, the JSON twin) then costs a cache lookup. Paginator reads it as
    a sequence.
    """

    def __init__(self, qs: QuerySet[Case], ids: Any) -> None:
        self.key = version_key("ranking", qs, search_index.rank_window())
        self.ids = ids

    def count(self) -> int:
        key = f"{self.key}:count"
        return int(cache.get_or_set(key, self.ids.count, CACHE_SECONDS))

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index: slice) -> list[str]:
        key = f"{self.key}:{index.start}:{index.stop}"
        return list(cache.get_or_set(key, lambda: list(self.ids[index]), CACHE_SECONDS))


def facets_key(
    base: QuerySet[Case], flt: CaseFilter, codebook: Codebook, language: str = ""
) -> str:
    """Names one filter's facets on one library version (and language)."""
    return version_key("facets", base, flt.as_params(), codebook.version, language)


def cached_facet_counts(
    base: QuerySet[Case], flt: CaseFilter, codebook: Codebook
) -> dict[str, Counter[Any]]:
    """:func:`facet_counts_for`, kept until any case changes.

    Facet counts of a common search word touch most of a large library; the same
    filter asked again (paging, the back button, a popular word) costs nothing.
    """
    counts = cache.get_or_set(
        facets_key(base, flt, codebook),
        lambda: facet_counts_for(base, flt, codebook),
        CACHE_SECONDS,
    )
    return dict(counts)


def facet_counts_for(
    base: QuerySet[Case], flt: CaseFilter, codebook: Codebook
) -> dict[str, Counter[Any]]:
    """Facet counts where each filtered facet ignores its own filter.

    So picking "west" under region still shows how many cases the other regions
    would add (values within one dimension combine with OR).
    """
    qs, _ = apply_filter(base, flt)
    counts = facet_counts(qs, codebook)
    for key in [*flt.codes, *(k for k in COLUMN_PARAMS if flt.values(k))]:
        others, _ = apply_filter(base, flt.without(key))
        counts[key] = facet_counts(others, codebook, only=key)[key]
    return counts


def list_record(case: Case, codebook: Codebook) -> dict[str, Any]:
    """A row of the ``/cases/?format=json`` contract."""
    record: dict[str, Any] = {
        "id": case.id,
        "title": case.title,
        "library": case.library,
        "province": case.province or None,
        "region": case.codes.get("region"),
        "year": case.year,
        "library_type": case.codes.get("library_type"),
    }
    for dim in codebook.dimensions:
        if dim.key not in record:
            record[dim.key] = case.codes.get(dim.key, [] if dim.is_multi else None)
    return record


def case_record(case: Case, codebook: Codebook) -> dict[str, Any]:
    """The full case record (contract field order) with codes and evidence."""
    return case.to_core().to_record(codebook)


def _code_set(codes: dict[str, Any], codebook: Codebook) -> set[tuple[str, str]]:
    out: set[tuple[str, str]] = set()
    for dim in codebook.dimensions:
        if dim.derived or dim.key not in codes:
            continue
        value = codes[dim.key]
        for code in [value] if isinstance(value, str) else value or []:
            out.add((dim.key, code))
    return out


def _bigrams(text: str) -> set[str]:
    text = normalise_text(text)
    return {text[i : i + 2] for i in range(len(text) - 1)}


_FREQUENCIES: dict[str, tuple[float, dict[tuple[str, str], int]]] = {}
SHORTLIST_ROWS = 1000
#: cases sharing most rare codes that are scored in Python
SHORTLIST_CASES = 50


def _code_frequencies() -> dict[tuple[str, str], int]:
    """How many cases hold each code, recounted at most every five minutes.

    Only used to pick a case's rarest codes, where a slightly stale count is as
    good as a fresh one and a fresh one costs a scan of every code row.
    """
    alias = CaseCode.objects.db
    stamp, counts = _FREQUENCIES.get(alias, (0.0, {}))
    if time.monotonic() - stamp > 300 or not counts:
        rows = CaseCode.objects.values_list("dimension", "code").annotate(n=Count("id"))
        counts = {(d, c): n for d, c, n in rows.order_by()}
        _FREQUENCIES[alias] = (time.monotonic(), counts)
    return counts


def _rarest(codes: set[tuple[str, str]]) -> list[tuple[str, str]]:
    """The case's rarest codes, as many as keep the shortlist query small.

    Cases sharing a rare code (城市书房 rather than 阅读推广) are the better
    neighbours, and a common code alone would pull in most of a large library.
    """
    frequency = _code_frequencies()
    ordered = sorted(codes, key=lambda dc: (frequency.get(dc, 0), dc))
    chosen: list[tuple[str, str]] = []
    rows = 0
    for pair in ordered:
        if chosen and rows + frequency.get(pair, 0) > SHORTLIST_ROWS:
            break
        chosen.append(pair)
        rows += frequency.get(pair, 0)
    return chosen


def _shortlist(case: Case, mine: set[tuple[str, str]], qs: QuerySet[Case]) -> list[str]:
    """Cases sharing most of the case's rarest codes, reading at most
    :data:`SHORTLIST_ROWS` code rows however common those codes are."""
    shared: Counter[str] = Counter()
    budget = SHORTLIST_ROWS
    for dim, code in _rarest(mine):
        rows = CaseCode.objects.filter(dimension=dim, code=code).exclude(case=case.pk)
        if qs.query.where:
            rows = rows.filter(case__in=qs.values("pk"))
        taken = list(rows.values_list("case_id", flat=True)[:budget])
        shared.update(taken)
        budget -= len(taken)
        if budget <= 0:
            break
    ranked = sorted(shared.items(), key=lambda kv: (-kv[1], kv[0]))
    return [case_id for case_id, _ in ranked[:SHORTLIST_CASES]]


def similar_cases(
    case: Case, qs: QuerySet[Case], codebook: Codebook, n: int = 5
) -> list[Case]:
    """Cases sharing the most codes (Jaccard), then the most title bigrams.

    The database narrows the field to the cases sharing most of the case's
    rarest codes, so the page stays fast on a library of 100k cases.
    """
    mine = _code_set(case.codes, codebook)
    if not mine:
        return []
    ids = _shortlist(case, mine, qs)
    title = _bigrams(case.title)
    scored: list[tuple[float, str]] = []
    candidates = Case.objects.filter(pk__in=ids).values_list("id", "codes", "title")
    for other_id, codes, other_title in candidates:
        theirs = _code_set(codes or {}, codebook)
        jaccard = len(mine & theirs) / len(mine | theirs)
        overlap = len(title & _bigrams(other_title)) / (1 + len(title))
        scored.append((-(jaccard + 0.5 * overlap), other_id))
    best = [i for _, i in sorted(scored)[:n]]
    by_id = Case.objects.only("id", "title", "library").in_bulk(best)
    return [by_id[i] for i in best]


@dataclass(frozen=True)
class CaseOrigin:
    """Where a case comes from, for a reader who wants to follow it up."""

    source_url: str = ""
    campaign: Campaign | None = None
    award: str = ""


def case_origin(case: Case) -> CaseOrigin:
    """The case's public source (a web link in ``extra``) and, for a case a
    campaign published, the campaign and the prize it won (in the visitor's
    language)."""

    source = str(case.extra.get("source_url") or "").strip()
    if not source.lower().startswith(("http://", "https://")):
        source = ""  # only a web address becomes a link
    if not case.campaign:
        return CaseOrigin(source)
    submission = case.submissions.select_related("campaign").first()
    if submission is None:
        return CaseOrigin(source)
    tiers = tier_labels(submission.campaign)
    award = tiers.get(submission.award, submission.award) if submission.award else ""
    return CaseOrigin(source, submission.campaign, award)
