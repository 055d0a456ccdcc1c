"""Read-only API of the published answers: the same rows, columns and filters as the
open-data exports (proposals/views/public.py), paginated."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import ErrorDetail, ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from briefing.platform.api_errors import error_responses
from briefing.platform.api_input import Pages, page_of
from proposals import selectors
from proposals.views.public import EXPORT_COLUMNS, answer_filters, answer_row, published_or_404

Answer = type(
    "Answer",
    (serializers.Serializer,),
    {name: serializers.CharField() for name in EXPORT_COLUMNS},
)
AnswerPage = page_of("AnswerPage", Answer(many=True))
FILTERS = [
    OpenApiParameter("q", OpenApiTypes.STR, description="Search, diacritics and case ignored"),
    OpenApiParameter(
        "quarter",
        OpenApiTypes.STR,
        description="Briefing quarter, e.g. 2020-3",
        pattern=r"^\d{4}-[1-4]$",
    ),
    OpenApiParameter("field", OpenApiTypes.INT, description="Field id"),
    OpenApiParameter("province", OpenApiTypes.INT, description="Sending organisation id"),
    OpenApiParameter("unit", OpenApiTypes.INT, description="Responsible unit id"),
    OpenApiParameter("page", OpenApiTypes.INT, description="Page number, from 1"),
    OpenApiParameter(
        "page_size", OpenApiTypes.INT, description="Answers per page (50; at most 200)"
    ),
]


def _form_errors(form) -> ValidationError:
    """The filter form's errors with Django's codes ("invalid_choice", ...)."""
    return ValidationError(
        {
            name: [ErrorDetail(e["message"], code=e["code"] or "invalid") for e in errors]
            for name, errors in form.errors.get_json_data().items()
        }
    )


class AnswerList(APIView):
    permission_classes = [AllowAny]
    authentication_classes = []

    @extend_schema(
        operation_id="v1_answers_list",
        parameters=FILTERS,
        responses={200: AnswerPage, **error_responses(400, 404, 429)},
    )
    def get(self, request):
        form, filters = answer_filters(request)
        if request.GET and form.errors:
            raise _form_errors(form)
        paginator = Pages()
        page = paginator.paginate_queryset(selectors.published_answers(filters), request, view=self)
        base = request.build_absolute_uri("/")[:-1]
        return paginator.get_paginated_response([answer_row(a, base) for a in page])


class AnswerDetail(APIView):
    permission_classes = [AllowAny]
    authentication_classes = []

    @extend_schema(
        operation_id="v1_answers_retrieve",
        parameters=[
            OpenApiParameter(
                "code",
                OpenApiTypes.STR,
                OpenApiParameter.PATH,
                description="The recommendation's code",
                examples=[OpenApiExample("An answer", value="KN-2020-Q3-0001")],
            )
        ],
        responses={200: Answer, **error_responses(404, 429)},
    )
    def get(self, request, code):
        answer = published_or_404(code)
        return Response(answer_row(answer, request.build_absolute_uri("/")[:-1]))
