from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework.decorators import api_view
from rest_framework.request import Request
from rest_framework.response import Response

from libinnov.web.codebook.selectors import current_version


@extend_schema(responses={200: OpenApiTypes.OBJECT})
@api_view(["GET"])
def codebook(request: Request) -> Response:
    """The current codebook, in the YAML file's shape."""
    row = current_version()
    return Response({**row.data, "version": row.version})
