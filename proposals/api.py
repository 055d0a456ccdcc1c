"""Read-only API of the published answers: the same rows, columns and filters as the
open-data exports (proposals/views/public.py), paginated."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from proposals import selectors
from proposals.views.public import EXPORT_COLUMNS, answer_filters, answer_row, published_or_404

Answer = type(
    "Answer",
    (serializers.Serializer,),
    {name: serializers.CharField() for name in EXPORT_COLUMNS},
)
FILTERS = [
    OpenApiParameter("q", OpenApiTypes.STR, description="Search, diacritics and case ignored"),
    OpenApiParameter("quarter", OpenApiTypes.STR, description="Briefing quarter, e.g. 2020-3"),
    OpenApiParameter("field", OpenApiTypes.INT, description="Field id"),
    OpenApiParameter("province", OpenApiTypes.INT, description="Sending organisation id"),
    OpenApiParameter("unit", OpenApiTypes.INT, description="Responsible unit id"),
]


class AnswerPages(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


class AnswerList(APIView):
    permission_classes = [AllowAny]
    authentication_classes = []

    @extend_schema(parameters=FILTERS, responses=Answer(many=True))
    def get(self, request):
        form, filters = answer_filters(request)
        if request.GET and form.errors:
            raise ValidationError(form.errors)
        paginator = AnswerPages()
        page = paginator.paginate_queryset(selectors.published_answers(filters), request, view=self)
        base = request.build_absolute_uri("/")[:-1]
        return paginator.get_paginated_response([answer_row(a, base) for a in page])


class AnswerDetail(APIView):
    permission_classes = [AllowAny]
    authentication_classes = []

    @extend_schema(responses=Answer)
    def get(self, request, code):
        answer = published_or_404(code)
        return Response(answer_row(answer, request.build_absolute_uri("/")[:-1]))
