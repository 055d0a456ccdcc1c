"""API of the indicators: the public catalogue and national figures (approved reports
only), and report submission for provincial departments and ministries, through the
same validation service as the form and the Excel upload."""

import re

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    inline_serializer,
)
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from briefing.models.api_tokens import ApiScope
from briefing.models.organisations import Organisation, OrganisationKind
from briefing.organisations import api_tokens
from briefing.platform.api_errors import (
    Conflict,
    ErrorItemSerializer,
    ErrorSerializer,
    error_responses,
    field_error,
)
from indicators import permissions, selectors, services
from indicators.models import Indicator, Submission

TREND_LENGTH = 8
# A period as the API writes it: Q3-2020 (quarter), T7-2020 (month), 2020 (year).
PERIOD_PATTERN = r"^(Q[1-4]|T([1-9]|1[0-2]))-[0-9]{4}$|^[0-9]{4}$"
PERIOD_HELP = "Q3-2020 (quarter), T7-2020 (month) or 2020 (year)"


def _number(value):
    return None if value is None else float(value)


def _indicator(indicator: Indicator) -> dict:
    return {
        "code": indicator.code,
        "name": indicator.name,
        "method": indicator.method,
        "unit": indicator.unit,
        "decimals": indicator.decimals,
        "period_type": indicator.period_type,
        "entity_kinds": list(indicator.entity_kinds),
        "owner_unit": indicator.owner_unit.code,
        "target": _number(indicator.target),
        "direction": indicator.direction,
    }


INDICATOR_FIELDS = {
    "code": serializers.CharField(),
    "name": serializers.CharField(),
    "method": serializers.CharField(),
    "unit": serializers.CharField(),
    "decimals": serializers.IntegerField(),
    "period_type": serializers.CharField(),
    "entity_kinds": serializers.ListField(child=serializers.CharField()),
    "owner_unit": serializers.CharField(),
    "target": serializers.FloatField(allow_null=True),
    "direction": serializers.CharField(),
}
FIGURE_FIELDS = {
    "period": serializers.CharField(),
    "value": serializers.FloatField(allow_null=True),
    "numerator": serializers.FloatField(),
    "denominator": serializers.FloatField(allow_null=True),
    "reported": serializers.IntegerField(),
    "applicable": serializers.IntegerField(),
    "entities_changed": serializers.BooleanField(),
    "provisional": serializers.BooleanField(),
    "by_kind": serializers.DictField(child=serializers.FloatField(allow_null=True)),
}


class IndicatorList(APIView):
    permission_classes = [AllowAny]
    authentication_classes = []

    @extend_schema(
        responses={
            200: inline_serializer("Indicator", INDICATOR_FIELDS, many=True),
            **error_responses(429),
        }
    )
    def get(self, request):
        public = [i for i in selectors.indicators_for() if i.is_public]
        return Response([_indicator(i) for i in public])


class IndicatorFigures(APIView):
    """The national figure of the last periods up to `period` (default: the latest with
    approved reports), oldest first."""

    permission_classes = [AllowAny]
    authentication_classes = []

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "code",
                OpenApiTypes.STR,
                OpenApiParameter.PATH,
                description="A public indicator's code (GET /api/v1/indicators/)",
                examples=[OpenApiExample("Press agencies", value="QH_BAOCHI")],
            ),
            OpenApiParameter(
                "period",
                OpenApiTypes.STR,
                description=f"The last period: {PERIOD_HELP}; by default the latest with "
                "approved reports",
                pattern=PERIOD_PATTERN,
            ),
        ],
        responses={
            200: inline_serializer("Figure", FIGURE_FIELDS, many=True),
            **error_responses(400, 404, 429),
        },
    )
    def get(self, request, code):
        indicator = get_object_or_404(
            Indicator.objects.select_related("numerator", "denominator", "owner_unit"),
            code=code,
            is_public=True,
        )
        if "period" in request.GET:
            period = _period(request.GET["period"])
        else:
            period = selectors.latest_period_with(period_type=indicator.period_type)
        if period is None:
            raise NotFound(_("No figures yet: no period has approved reports."))
        points = selectors.trend(indicator, selectors.periods_up_to(period, TREND_LENGTH))
        return Response(
            [
                {
                    "period": point.period.slug,
                    "value": _number(point.figure.value),
                    "numerator": _number(point.figure.numerator),
                    "denominator": _number(point.figure.denominator),
                    "reported": point.figure.reported,
                    "applicable": point.figure.applicable,
                    "entities_changed": point.entities_changed,
                    # May still change a lot: the period is open or coverage is low.
                    "provisional": point.provisional,
                    "by_kind": {k: _number(f.value) for k, f in point.figure.by_kind.items()},
                }
                for point in points
            ]
        )


def _period(slug: str):
    """The period a request names, or a 400 naming `period`."""
    if not re.match(PERIOD_PATTERN, slug):
        raise field_error("period", _("Write the period as Q3-2020, T7-2020 or 2020."))
    period = selectors.period_from_slug(slug)
    if period is None:
        raise field_error("period", _("No such period."), code="does_not_exist")
    return period


@extend_schema_field(
    {
        "type": "object",
        "additionalProperties": {
            "oneOf": [{"type": "number"}, {"type": "boolean"}],
            "nullable": True,
        },
        "example": {"DVC_TONG": 1200, "DVC_MUC34": 950},
    }
)
class ValuesField(serializers.DictField):
    """Element code → value: a number, true/false for a yes/no element, or null."""


class ReportInput(serializers.Serializer):
    period = serializers.RegexField(
        PERIOD_PATTERN,
        help_text=PERIOD_HELP,
        error_messages={"invalid": gettext_lazy("Write the period as Q3-2020, T7-2020 or 2020.")},
    )
    unit = serializers.CharField(
        max_length=40, help_text="The code of the ministry unit owning the indicators, e.g. CUC-THH"
    )
    values = ValuesField(
        help_text="Element code (see the indicators' methods) → value: a number, true/false "
        "for a yes/no element, or null"
    )
    submit = serializers.BooleanField(
        default=False, help_text="Send for approval (every value needed); false keeps a draft"
    )
    comment = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)

    def validate_period(self, slug):
        return _period(slug)


class ReportSavedSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.CharField()
    period = serializers.CharField()
    unit = serializers.CharField()
    values = serializers.DictField(child=serializers.FloatField(allow_null=True))


class ReportRefusedSerializer(ErrorSerializer):
    warnings = ErrorItemSerializer(
        many=True, required=False, help_text="Values that look wrong but would be accepted"
    )


REPORT_EXAMPLE = OpenApiExample(
    "A draft of Cục Tin học hóa's indicators",
    value={"period": "Q3-2020", "unit": "CUC-THH", "values": {"DVC_TONG": 1200}, "submit": False},
    request_only=True,
)


def _issues(entries, kind: str) -> list:
    return [
        {
            "field": f"values.{issue.element}" if issue.element else "values",
            "code": "invalid",
            "message": str(issue.message),
        }
        for entry in entries
        for issue in getattr(entry, kind)
    ]


class ReportSubmit(APIView):
    """Save or submit the values of the token's organisation for one period and owner
    unit, as the person who made the token. Nothing is stored unless every value is
    valid."""

    authentication_classes = [api_tokens.OrganisationTokenAuthentication]
    permission_classes = [api_tokens.ScopeRequired]
    required_scopes = {"POST": ApiScope.INDICATOR_REPORTS}
    throttle_classes = [api_tokens.TokenRateThrottle]
    parser_classes = [api_tokens.LimitedJSONParser]

    @extend_schema(
        request=ReportInput,
        examples=[REPORT_EXAMPLE],
        responses={
            200: OpenApiResponse(ReportSavedSerializer, "The report was updated"),
            201: OpenApiResponse(ReportSavedSerializer, "The report was created"),
            400: OpenApiResponse(
                ReportRefusedSerializer, "Invalid request or values; nothing stored"
            ),
            **error_responses(401, 403, 409, 413, 415, 429),
        },
    )
    def post(self, request):
        user = api_tokens.acting_person(request.auth)
        if not permissions.may_report(user):
            raise PermissionDenied(_("Only provincial departments and ministries report."))
        data = ReportInput(data=request.data)
        data.is_valid(raise_exception=True)
        period = data.validated_data["period"]
        unit = Organisation.objects.filter(
            code=data.validated_data["unit"], kind=OrganisationKind.MINISTRY_UNIT
        ).first()
        organisation = user.organisation
        indicators = unit and selectors.indicators_for(
            organisation=organisation, period_type=period.period_type, owner=unit
        )
        if not indicators:
            raise field_error("unit", _("This unit has no indicators for your organisation."))
        existed = Submission.objects.filter(
            organisation=organisation, period=period, owner_unit=unit
        ).exists()
        try:
            [submission] = services.reports_save(
                actor=user,
                period=period,
                owner_unit=unit,
                entries=[services.Entry(organisation, data.validated_data["values"])],
                submit=data.validated_data["submit"],
                comment=data.validated_data["comment"],
                indicators=indicators,
            )
        except services.ReportInvalid as invalid:
            return Response(
                {
                    "errors": _issues(invalid.entries, "errors"),
                    "warnings": _issues(invalid.entries, "warnings"),
                },
                status=400,
            )
        except services.ReportError as error:
            raise Conflict(error.message) from None
        return Response(
            {
                "id": submission.pk,
                "status": submission.status,
                "period": period.slug,
                "unit": unit.code,
                "values": {
                    code: _number(value) for code, value in selectors.values_of(submission).items()
                },
            },
            status=status.HTTP_200_OK if existed else status.HTTP_201_CREATED,
        )
