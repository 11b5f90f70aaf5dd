from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework.decorators import api_view
from rest_framework.request import Request
from rest_framework.response import Response

from libinnov.web.cases import selectors as case_selectors
from libinnov.web.cases.api import FILTER_PARAMS
from libinnov.web.codebook.selectors import current_codebook
from libinnov.web.dashboards import selectors


@extend_schema(parameters=FILTER_PARAMS, responses={200: OpenApiTypes.OBJECT})
@api_view(["GET"])
def analysis(request: Request) -> Response:
    """The analysis summary (``summary.json`` shape) of the filtered cases."""
    codebook = current_codebook()
    flt = case_selectors.parse_filter(request.query_params, codebook)
    qs, _ = case_selectors.apply_filter(case_selectors.visible_cases(request.user), flt)
    provinces = selectors.province_counts(qs, codebook)
    return Response({**selectors.summary(qs, codebook), "provinces": provinces})
