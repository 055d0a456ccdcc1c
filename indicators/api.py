"""API of the indicators: the public catalogue and national figures (approved reports
only), and report submission for provincial departments and ministries, through the
same validation service as the form and the Excel upload."""

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from briefing.models.organisations import Organisation, OrganisationKind
from briefing.platform.api_input import TextJSONParser
from indicators import permissions, selectors, services
from indicators.models import Indicator, Submission

TREND_LENGTH = 8


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

    @extend_schema(responses=inline_serializer("Indicator", INDICATOR_FIELDS, many=True))
    def get(self, request):
        public = [i for i in selectors.indicators_for() if i.is_public]
        return Response([_indicator(i) for i in public])


class IndicatorFigures(APIView):
    """The national figure of the last periods up to `period` (default: the latest with
    approved reports), oldest first."""

    permission_classes = [AllowAny]
    authentication_classes = []

    @extend_schema(
        parameters=[OpenApiParameter("period", OpenApiTypes.STR, description="e.g. Q3-2020")],
        responses=inline_serializer("Figure", FIGURE_FIELDS, many=True),
    )
    def get(self, request, code):
        indicator = get_object_or_404(
            Indicator.objects.select_related("numerator", "denominator", "owner_unit"),
            code=code,
            is_public=True,
        )
        slug = request.GET.get("period")
        if slug:
            period = selectors.period_from_slug(slug)
        else:
            period = selectors.latest_period_with(period_type=indicator.period_type)
        if period is None:
            raise NotFound(_("No such period."))
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


class ReportInput(serializers.Serializer):
    period = serializers.CharField(help_text="e.g. Q3-2020")
    unit = serializers.CharField(help_text="The owner unit's code, e.g. CUC-THH")
    values = serializers.DictField(help_text="Element code → value (number, yes/no or null)")
    submit = serializers.BooleanField(default=False)
    comment = serializers.CharField(required=False, allow_blank=True, default="")


def _issues(entries, kind: str) -> dict:
    found = {}
    for entry in entries:
        for issue in getattr(entry, kind):
            found.setdefault(issue.element or "__all__", []).append(issue.message)
    return found


class ReportSubmit(APIView):
    """Save or submit the values of the caller's own organisation for one period and
    owner unit. Nothing is stored unless every value is valid."""

    permission_classes = [IsAuthenticated]
    parser_classes = [TextJSONParser]

    @extend_schema(
        request=ReportInput, responses={200: OpenApiTypes.OBJECT, 201: OpenApiTypes.OBJECT}
    )
    def post(self, request):
        user = request.user
        if not permissions.may_report(user):
            raise PermissionDenied(_("Only provincial departments and ministries report."))
        data = ReportInput(data=request.data)
        data.is_valid(raise_exception=True)
        period = selectors.period_from_slug(data.validated_data["period"])
        if period is None:
            return Response({"period": [_("No such period.")]}, status=400)
        unit = Organisation.objects.filter(
            code=data.validated_data["unit"], kind=OrganisationKind.MINISTRY_UNIT
        ).first()
        organisation = user.organisation
        if unit is None or not selectors.indicators_for(
            organisation=organisation, period_type=period.period_type, owner=unit
        ):
            return Response(
                {"unit": [_("This unit has no indicators for your organisation.")]}, status=400
            )
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
            return Response({"detail": error.message}, status=status.HTTP_409_CONFLICT)
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
