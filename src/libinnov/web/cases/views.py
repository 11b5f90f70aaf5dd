"""Case library pages; each has a JSON twin (``?format=json``)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from libinnov.codebook import Codebook
from libinnov.gazetteer import province_label
from libinnov.web.accounts.roles import require_role
from libinnov.web.cases import selectors
from libinnov.web.cases.models import Case
from libinnov.web.cases.page_cache import public_page
from libinnov.web.cases.services import sample_load
from libinnov.web.cases.templatetags.libinnov_tags import lang
from libinnov.web.codebook.selectors import current_codebook, current_version
from libinnov.web.coding.selectors import automatic_dimensions

PAGE_SIZE = 20
SEARCH_COLUMNS = ("search_text", "index_title", "index_body")
MAX_PAGE_SIZE = 1000


def wants_json(request: HttpRequest) -> bool:
    return request.GET.get("format") == "json"


def json_response(data: Any, status: int = 200) -> JsonResponse:
    return JsonResponse(
        data, status=status, json_dumps_params={"ensure_ascii": False}, safe=False
    )


def _get_visible_case(visible: QuerySet[Case], case_id: str) -> Case:
    # the search columns are as long as the text and no page shows them
    case = visible.defer(*SEARCH_COLUMNS).filter(pk=case_id).first()
    if case is None:
        raise Http404("no such case")
    return case


def _page_size(request: HttpRequest) -> int:
    raw = request.GET.get("page_size", "")
    return min(int(raw), MAX_PAGE_SIZE) if raw.isdigit() and int(raw) > 0 else PAGE_SIZE


def _facets(
    counts: dict[str, Any], flt: selectors.CaseFilter, codebook: Codebook
) -> list[dict[str, Any]]:
    """Facet groups in codebook order, then province, year and campaign."""
    language = lang()
    groups: list[dict[str, Any]] = []
    for dim in codebook.active_dimensions:
        values = [
            {
                "value": c.key,
                "label": c.label(language),
                "count": counts[dim.key][c.key],
                "selected": flt.has(dim.key, c.key),
            }
            for c in dim.codes
            if counts[dim.key][c.key] or flt.has(dim.key, c.key)
        ]
        groups.append({"key": dim.key, "label": dim.label(language), "values": values})
    for key, label in (("province", _("Province")), ("year", _("Year"))):
        ordered = sorted(counts[key].items(), key=lambda kv: (-kv[1], str(kv[0])))
        if key == "year":
            ordered = sorted(counts[key].items(), reverse=True)
        values = [
            {
                "value": v,
                "label": province_label(v, language) if key == "province" else str(v),
                "count": n,
                "selected": flt.has(key, v),
            }
            for v, n in ordered
        ]
        groups.append({"key": key, "label": label, "values": values})
    campaigns = _campaign_facet(counts.get("campaign", {}), flt)
    if campaigns:
        groups.append(
            {
                "key": "campaign",
                "label": _("Campaign"),
                "values": campaigns,
                "open": True,
            }
        )
    return groups


def _campaign_facet(counts: dict[str, int], flt: selectors.CaseFilter) -> list[Any]:
    """The calls with published cases, by their titles; none, no facet."""
    slugs = [*counts, *(s for s in flt.campaigns if s not in counts)]
    titles = selectors.campaign_titles(slugs) if slugs else {}
    ordered = sorted(slugs, key=lambda s: (-counts.get(s, 0), titles.get(s, s)))
    return [
        {
            "value": slug,
            "label": titles.get(slug, slug),
            "count": counts.get(slug, 0),
            "selected": flt.has("campaign", slug),
        }
        for slug in ordered
    ]


@public_page
def case_list(request: HttpRequest) -> HttpResponse:
    codebook = current_codebook()
    flt = selectors.parse_filter(request.GET, codebook)
    visible = selectors.visible_cases(request.user)
    qs, terms = selectors.apply_filter(visible, flt)
    ids = selectors.CachedRanking(qs, selectors.ranked_ids(qs, terms))
    page = Paginator(ids, _page_size(request)).get_page(request.GET.get("page"))
    by_id = Case.objects.defer(*SEARCH_COLUMNS).in_bulk(list(page.object_list))
    cases = [by_id[i] for i in page.object_list if i in by_id]
    if wants_json(request):
        return json_response(
            {
                "count": page.paginator.count,
                "results": [selectors.list_record(c, codebook) for c in cases],
            }
        )
    context = {
        "codebook": codebook,
        "filter": flt,
        "params": flt.as_params(),
        "terms": terms,
        "page": page,
        "cases": cases,
        "count": page.paginator.count,
        # called by the template only when its cached sidebar is stale
        "facets": lambda: _facets(
            selectors.cached_facet_counts(visible, flt, codebook), flt, codebook
        ),
        "facets_key": selectors.facets_key(visible, flt, codebook, lang()),
        "library_empty": flt.is_empty() and not page.paginator.count,
    }
    template = "cases/_results.html" if request.headers.get("HX-Request") else None
    return render(request, template or "cases/list.html", context)


@public_page
def case_detail(request: HttpRequest, case_id: str) -> HttpResponse:
    codebook = current_codebook()
    visible = selectors.visible_cases(request.user)
    case = _get_visible_case(visible, case_id)
    similar = selectors.similar_cases(case, visible, codebook)
    automatic = automatic_dimensions([case]).get(case.pk, set())
    if wants_json(request):
        record = selectors.case_record(case, codebook)
        record["similar"] = [{"id": c.id, "title": c.title} for c in similar]
        record["automatic"] = sorted(automatic)
        return json_response(record)
    query = request.GET.get("q", "")
    evidence = evidence_by_code(case.evidence)
    chosen = request.GET.get("ev", "")
    chosen = chosen if chosen in evidence else ""
    dims = [
        {
            "key": d.key,
            "label": d.label(lang()),
            "value": case.codes.get(d.key),
            "confidence": case.confidence.get(d.key, {}),
            "evidence": _evidence_links(
                d.key, case.evidence.get(d.key, {}), query, chosen
            ),
            "retired": d.retired,
            "automatic": d.key in automatic,
        }
        for d in codebook.dimensions
        if not d.retired or case.codes.get(d.key)
    ]
    return render(
        request,
        "cases/detail.html",
        {
            "case": case,
            "codebook": codebook,
            "dims": dims,
            "similar": similar,
            "evidence": evidence,
            "chosen": chosen,
            "terms": selectors.query_terms(query),
            "origin": selectors.case_origin(case),
        },
    )


def _evidence_links(
    dimension: str, codes: dict[str, list[str]], query: str, chosen: str
) -> list[dict[str, Any]]:
    """Each code's evidence sentences, with the link that marks them in the text
    (or, for the code marked now, the link that unmarks it); a search stays."""
    out = []
    for code, sentences in codes.items():
        key = f"{dimension}.{code}"
        params = [("q", query)] if query else []
        if key != chosen:
            params.append(("ev", key))
        out.append(
            {
                "code": code,
                "key": key,
                "sentences": sentences,
                "chosen": key == chosen,
                "href": f"?{urlencode(params)}#case-text",
            }
        )
    return out


def evidence_by_code(
    evidence: dict[str, dict[str, list[str]]],
) -> dict[str, list[str]]:
    """``{"dimension.code": sentences}``: what the page marks one code at a time."""
    return {
        f"{dim}.{code}": list(sentences)
        for dim, codes in evidence.items()
        for code, sentences in codes.items()
    }


@require_POST
def load_sample(request: HttpRequest) -> HttpResponse:
    """Admins can fill an empty library with the bundled sample in one click."""
    require_role(request, "admin")
    n = sample_load(
        codebook=current_codebook(), codebook_version=current_version().version
    )
    if n:
        messages.success(request, _("Loaded %(n)d sample cases.") % {"n": n})
    else:
        messages.info(request, _("The library is not empty; nothing was loaded."))
    return redirect("cases:list")
