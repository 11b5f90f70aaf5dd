"""REST endpoints for cases: the same selectors and services as the pages."""

from __future__ import annotations

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import api_view
from rest_framework.request import Request
from rest_framework.response import Response

from libinnov.cases import case_from_record
from libinnov.cases.fields import canonical_field
from libinnov.exceptions import LibinnovError
from libinnov.web.accounts.permissions import ReadOrRole
from libinnov.web.cases import selectors
from libinnov.web.cases.models import Case, Origin
from libinnov.web.cases.services import case_save
from libinnov.web.cases.templatetags.libinnov_tags import snippet
from libinnov.web.codebook.selectors import current_codebook


class CaseSerializer(serializers.ModelSerializer):
    class Meta:
        model = Case
        fields = (
            "id",
            "title",
            "summary",
            "library",
            "province",
            "year",
            "codes",
            "confidence",
            "evidence",
            "needs_review",
            "published",
            "origin",
            "submission_ref",
            "created_at",
            "updated_at",
        )
        read_only_fields = ("origin", "created_at", "updated_at")


FILTER_PARAMS = [
    OpenApiParameter("q", str, description="full-text query"),
    OpenApiParameter(
        "<dimension>", str, description="code filter per codebook dimension"
    ),
    OpenApiParameter("province", str, many=True),
    OpenApiParameter("year", int, many=True),
    OpenApiParameter(
        "campaign",
        str,
        many=True,
        description="cases published from the call with this slug",
    ),
]


class CaseViewSet(viewsets.ModelViewSet):
    """Cases; filters as on ``/cases/``. Writes take a case-file record (admins)."""

    serializer_class = CaseSerializer
    permission_classes = (ReadOrRole,)
    lookup_value_regex = "[^/]+"
    write_role = "admin"

    def get_queryset(self) -> Any:
        codebook = current_codebook()
        flt = selectors.parse_filter(self.request.query_params, codebook)
        qs, _ = selectors.apply_filter(selectors.visible_cases(self.request.user), flt)
        return qs.order_by("id")

    @extend_schema(parameters=FILTER_PARAMS)
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    def _save(
        self,
        request: Request,
        case_id: str | None,
        base: dict[str, Any] | None = None,
    ) -> Response:
        """Validate a record (``base`` overlaid with the request) and save it."""
        if not isinstance(request.data, dict):
            return Response({"error": "send one case record as an object"}, status=400)
        codebook = current_codebook()
        raw = dict(base or {})
        raw.update(
            {canonical_field(str(k), codebook): v for k, v in request.data.items()}
        )
        if case_id is not None:
            raw["id"] = case_id
        published = bool(raw.pop("published", True))
        try:
            core = case_from_record(raw, codebook)
        except LibinnovError as exc:
            return Response({"error": exc.describe()}, status=400)
        case = case_save(
            core=core,
            origin=Origin.API,
            published=published,
        )
        return Response(CaseSerializer(case).data, status=status.HTTP_201_CREATED)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self._save(request, None)

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        self.get_object()
        response = self._save(request, kwargs["pk"])
        if response.status_code == 201:
            response.status_code = 200
        return response

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """PATCH: only the fields sent change; the rest of the record is kept."""
        case = self.get_object()
        base = case.to_core().to_record(current_codebook())
        base["published"] = case.published
        for derived in ("confidence", "evidence", "needs_review"):
            base.pop(derived, None)
        response = self._save(request, kwargs["pk"], base)
        if response.status_code == 201:
            response.status_code = 200
        return response


@extend_schema(
    parameters=FILTER_PARAMS,
    responses={200: OpenApiTypes.OBJECT},
    description="Ranked full-text search with highlighted snippets.",
)
@api_view(["GET"])
def search(request: Request) -> Response:
    codebook = current_codebook()
    flt = selectors.parse_filter(request.query_params, codebook)
    qs, terms = selectors.apply_filter(selectors.visible_cases(request.user), flt)
    ids = selectors.ranked_ids(qs, terms)
    limit = min(int(request.query_params.get("limit", "20") or 20), 200)
    top = list(ids[:limit])
    by_id = Case.objects.in_bulk(top)
    results = [
        {
            **selectors.list_record(by_id[i], codebook),
            "snippet": str(snippet(by_id[i].summary, terms)),
        }
        for i in top
        if i in by_id
    ]
    count = len(ids) if isinstance(ids, list) else ids.count()  # type: ignore[attr-defined]
    return Response({"count": count, "terms": terms, "results": results})
