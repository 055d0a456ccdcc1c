"""The quarter's briefing report as JSON: the latest version of its roll-up
(ReportSnapshot), the figures the report page, PDF and XLSX show. Public, like the page."""

import re

from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from briefing.platform.api_errors import error_responses
from briefing.reports import rollup

_QUARTER = re.compile(r"^(\d{4})-q([1-4])$")

REPORT = inline_serializer(
    "BriefingReport",
    {
        "quarter": serializers.CharField(help_text="e.g. 2020-q3"),
        "version": serializers.IntegerField(help_text="The report's version (a new roll-up)"),
        "computed_at": serializers.DateTimeField(),
        "as_of": serializers.DateField(help_text="The day the figures were computed"),
        "url": serializers.URLField(help_text="The report page"),
        "report": serializers.JSONField(
            help_text="recommendations (groups, by_source, by_field, by_unit), indicators "
            "(rows with national figures), previous_tasks"
        ),
    },
)


class BriefingReport(APIView):
    permission_classes = [AllowAny]
    authentication_classes = []

    @extend_schema(
        responses={200: REPORT, **error_responses(400, 404, 429)},
    )
    def get(self, request, quarter: str):
        match = _QUARTER.match(quarter)
        if match is None:
            raise ValidationError(
                {"quarter": _("Write the quarter as 2020-q3 (a year, “-q” and 1 to 4).")}
            )
        year, number = int(match.group(1)), int(match.group(2))
        snapshot = rollup.latest_snapshot(year=year, quarter=number)
        if snapshot is None:
            raise NotFound(_("There is no report for this quarter yet."))
        data = snapshot.data
        return Response(
            {
                "quarter": f"{year}-q{number}",
                "version": snapshot.version,
                "computed_at": snapshot.created_at.isoformat(),
                "as_of": data.get("as_of"),
                "url": request.build_absolute_uri(reverse("briefings:detail", args=[year, number])),
                "report": {k: v for k, v in data.items() if k != "as_of"},
            }
        )
