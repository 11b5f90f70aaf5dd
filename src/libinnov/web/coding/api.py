"""REST endpoints for codes: the change log (read) and coding a case (coders)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import api_view, permission_classes
from rest_framework.permissions import IsAuthenticatedOrReadOnly
from rest_framework.request import Request
from rest_framework.response import Response

from libinnov.web.accounts.roles import has_role
from libinnov.web.cases.models import Case
from libinnov.web.cases.selectors import visible_cases
from libinnov.web.codebook.selectors import current_codebook, current_version
from libinnov.web.coding import services
from libinnov.web.coding.models import CodeChange


class CodeChangeSerializer(serializers.ModelSerializer):
    class Meta:
        model = CodeChange
        fields = (
            "id",
            "case",
            "dimension",
            "coder",
            "action",
            "value",
            "previous",
            "confidence",
            "codebook_version",
            "final",
            "created_at",
        )


class CodeChangeViewSet(viewsets.ReadOnlyModelViewSet):
    """The append-only log of code changes (final changes for anonymous users)."""

    serializer_class = CodeChangeSerializer

    def get_queryset(self) -> Any:
        qs = CodeChange.objects.filter(
            case__in=visible_cases(self.request.user).values("pk")
        )
        if not has_role(self.request.user, "adjudicator"):
            qs = qs.filter(final=True)
        case = self.request.query_params.get("case")
        return qs.filter(case_id=case) if case else qs


@extend_schema(
    request=OpenApiTypes.OBJECT,
    responses={200: OpenApiTypes.OBJECT},
    description='Set codes on a case: {"focus": ["reading"], "region": "east"}.',
)
@api_view(["GET", "POST"])
@permission_classes([IsAuthenticatedOrReadOnly])
def case_codes(request: Request, case_id: str) -> Response:
    case = visible_cases(request.user).filter(pk=case_id).first()
    if case is None:
        return Response({"error": "no such case"}, status=404)
    codebook = current_codebook()
    if request.method == "POST":
        if not has_role(request.user, "coder"):
            return Response({"error": "needs the coder role"}, status=403)
        if not isinstance(request.data, dict):
            return Response({"error": "send {dimension: codes}"}, status=400)
        decisions: dict[str, services.Decision] = {}
        for key, value in request.data.items():
            if key not in codebook:
                return Response({"error": f"unknown dimension '{key}'"}, status=400)
            dim = codebook.dimension(key)
            values = [value] if isinstance(value, str) else list(value or [])
            bad = [v for v in values if v not in dim.code_keys]
            if bad or (not dim.is_multi and len(values) > 1):
                return Response(
                    {"error": f"invalid value for {key}: {value!r}"}, status=400
                )
            decisions[key] = services.Decision(
                "change", values if dim.is_multi else (values[0] if values else None)
            )
        services.coding_submit(
            case=case,
            user=request.user,
            decisions=decisions,
            version=current_version().version,
        )
        case = Case.objects.get(pk=case.pk)
    return Response({"id": case.id, "codes": case.codes})
