"""API of a department's own recommendations, with an organisation token: send one or
a list of them in one atomic request (the same form validation and services as the
page and the Excel import), list them with their state, read one with its timeline and,
once published, its answer (the published text and files, never a draft).

A token writes as the person who made it (briefing.organisations.api_tokens): "send":
true sends to the Ministry when that person signs for the department (its leader, or
any officer when the department lets officers send); otherwise the recommendation
waits for a leader's signature, as an officer's "Send" does on the page."""

import datetime
import re

from django.core.exceptions import ValidationError as DjangoValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, PolymorphicProxySerializer, extend_schema
from rest_framework.exceptions import ErrorDetail, NotFound, PermissionDenied, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from briefing.models.api_tokens import ApiScope
from briefing.organisations import api_tokens
from briefing.platform.api_errors import error_responses
from briefing.platform.api_input import Pages, page_of
from proposals import permissions, selectors
from proposals.api_recommendation_schema import (
    RecommendationDetailOutput,
    RecommendationInput,
    RecommendationOutput,
)
from proposals.forms import RecommendationForm
from proposals.models import Event, Field, Recommendation, Status
from proposals.services.recommendations import recommendation_create
from proposals.workflow import TransitionError

MAX_BATCH = 100
# "2020-3" (as the answers API's filter) or "2020-Q3" (as its rows).
_QUARTER = re.compile(r"^(\d{4})-Q?([1-4])$", re.IGNORECASE)


def parse_quarter(text: str) -> tuple[int, int] | None:
    match = _QUARTER.match(text.strip()) if isinstance(text, str) else None
    return (int(match.group(1)), int(match.group(2))) if match else None


# --- Reading ----------------------------------------------------------------------------


def _row(rec: Recommendation, base: str) -> dict:
    answer = getattr(rec, "answer", None)
    return {
        "code": rec.code,
        "title": rec.title,
        "content": rec.content,
        "field": rec.field.code,
        "channel": rec.channel,
        "quarter": f"{rec.period_year}-Q{rec.period_quarter}",
        "status": rec.status,
        "status_label": str(rec.get_status_display()),
        "responsible_unit": rec.responsible_unit.code if rec.responsible_unit else None,
        "deadline": rec.deadline.isoformat() if rec.deadline else None,
        "created_at": rec.created_at.isoformat(),
        "submitted_at": rec.submitted_at.isoformat() if rec.submitted_at else None,
        "updated_at": rec.updated_at.isoformat(),
        "answer_published": bool(answer and answer.published_at),
        "url": base + reverse("api:recommendation", args=[rec.code]),
    }


def _history(rec: Recommendation) -> list[dict]:
    """The timeline the department reads on the recommendation's page."""
    events = Event.objects.filter(recommendation=rec).select_related("actor__organisation")
    return [
        {
            "at": event.created_at.isoformat(),
            "action": event.action,
            "from_status": event.from_status,
            "to_status": event.to_status,
            "organisation": event.actor.organisation.short_name
            if event.actor and event.actor.organisation
            else None,
            "note": event.note,
        }
        for event in events
    ]


def _answer(rec: Recommendation, base: str) -> dict | None:
    """The answer as published: its published text and files, never a draft (also
    while a published answer is being revised)."""
    answer = getattr(rec, "answer", None)
    if answer is None or answer.published_at is None:
        return None
    files = selectors.published_files(rec).order_by("uploaded_at", "pk")
    return {
        "text": answer.published_text,
        "published_at": answer.published_at.isoformat(),
        "updated_at": answer.republished_at.isoformat() if answer.republished_at else None,
        "url": base + reverse("answers:detail", args=[rec.code]),
        "files": [
            {
                "name": f.original_name,
                "size": f.size,
                "url": base + reverse("answers:file", args=[rec.code, f.pk]),
            }
            for f in files
        ],
    }


def _filters(request, queryset):
    errors = {}
    status = request.GET.get("status")
    if status:
        if status not in Status.values:
            errors["status"] = _("Unknown status: use one of %(values)s.") % {
                "values": ", ".join(Status.values)
            }
        queryset = queryset.filter(status=status)
    quarter = request.GET.get("quarter")
    if quarter:
        parsed = parse_quarter(quarter)
        if parsed is None:
            errors["quarter"] = _("Write the quarter as 2020-Q3 (or 2020-3).")
        else:
            queryset = queryset.filter(period_year=parsed[0], period_quarter=parsed[1])
    since = request.GET.get("updated_since")
    if since:
        moment = _moment(since)
        if moment is None:
            errors["updated_since"] = _(
                "Write a date or time as 2020-09-07 or 2020-09-07T08:00:00+07:00."
            )
        else:
            queryset = queryset.filter(updated_at__gte=moment)
    if errors:
        raise ValidationError(errors)
    return queryset


def _moment(text: str) -> datetime.datetime | None:
    try:
        moment = parse_datetime(text.replace(" ", "+"))
        if moment is None:
            day = parse_date(text)
            moment = datetime.datetime.combine(day, datetime.time()) if day else None
    except ValueError:
        return None
    if moment is not None and timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


LIST_PARAMETERS = [
    OpenApiParameter("status", OpenApiTypes.STR, enum=Status.values),
    OpenApiParameter(
        "quarter", OpenApiTypes.STR, description="Briefing quarter: 2020-Q3 or 2020-3"
    ),
    OpenApiParameter(
        "updated_since",
        OpenApiTypes.STR,
        description="Changed at or after: 2020-09-07 or 2020-09-07T08:00:00+07:00",
    ),
    OpenApiParameter("page", OpenApiTypes.INT),
    OpenApiParameter("page_size", OpenApiTypes.INT, description="At most 200"),
]


def _base(request) -> str:
    return request.build_absolute_uri("/")[:-1]


class TokenView(APIView):
    authentication_classes = [api_tokens.OrganisationTokenAuthentication]
    permission_classes = [api_tokens.ScopeRequired]
    throttle_classes = [api_tokens.TokenRateThrottle]
    parser_classes = [api_tokens.LimitedJSONParser]
    required_scopes = {"GET": ApiScope.READ}


# --- Writing ----------------------------------------------------------------------------


def _form_errors(form) -> dict:
    return {
        name: [
            ErrorDetail(str(message), code=error.code or "invalid")
            for error in errors
            for message in error.messages
        ]
        for name, errors in form.errors.as_data().items()
    }


def _clean_item(item, organisation, fields: dict) -> tuple[dict, bool]:
    """One recommendation of the body, checked as the form checks it: the arguments of
    recommendation_create and whether to send it, or ValidationError."""
    if not isinstance(item, dict):
        raise ValidationError({"non_field_errors": [_("A recommendation is a JSON object.")]})
    data = RecommendationInput(data=item)
    errors = {} if data.is_valid() else dict(data.errors)
    for name in sorted(set(item) - set(data.fields)):
        errors[name] = [
            ErrorDetail(
                _("Unknown field; the accepted ones are: %(names)s.")
                % {"names": ", ".join(data.fields)},
                code="unknown_field",
            )
        ]
    if errors:
        raise ValidationError(errors)
    values = data.validated_data
    field = fields.get(values["field"].strip().upper())
    if field is None:
        errors["field"] = [
            ErrorDetail(
                _("Unknown field code “%(code)s”.") % {"code": values["field"]}, code="not_found"
            )
        ]
    quarter = parse_quarter(values["quarter"])
    if quarter is None:
        errors["quarter"] = [
            ErrorDetail(_("Write the quarter as 2020-Q3 (or 2020-3)."), code="invalid")
        ]
    if errors:
        raise ValidationError(errors)
    form = RecommendationForm(
        {
            "title": values["title"],
            "content": values["content"],
            "field": field.pk,
            "channel": values["channel"],
            "quarter": f"{quarter[0]}-{quarter[1]}",
        },
        organisation=organisation,
    )
    form.fields["field"].known = {field.pk: field}  # read with the others: no query
    if not form.is_valid():
        raise ValidationError(_form_errors(form))
    kwargs = form.service_kwargs()
    kwargs["files"] = ()
    return kwargs, values["send"]


def _clean_body(body, organisation) -> tuple[list[tuple[dict, bool]], bool]:
    many = isinstance(body, list)
    if many and not 1 <= len(body) <= MAX_BATCH:
        raise ValidationError(
            {
                "non_field_errors": [
                    _("Send from 1 to %(count)s recommendations at once.") % {"count": MAX_BATCH}
                ]
            }
        )
    items = body if many else [body]
    fields = {f.code.upper(): f for f in Field.objects.all()}
    cleaned, errors = [], {}
    for index, item in enumerate(items):
        try:
            cleaned.append(_clean_item(item, organisation, fields))
        except ValidationError as invalid:
            if not many:
                raise
            errors[str(index)] = invalid.detail
    if errors:
        raise ValidationError(errors)
    return cleaned, many


def _create_all(actor, cleaned: list[tuple[dict, bool]]) -> list[Recommendation]:
    created = []
    for index, (kwargs, send) in enumerate(cleaned):
        try:
            created.append(recommendation_create(actor=actor, submit=send, **kwargs))
        except TransitionError as refused:
            raise PermissionDenied(refused.message) from None
        except DjangoValidationError as invalid:
            detail = invalid.message_dict if hasattr(invalid, "error_dict") else invalid.messages
            raise ValidationError({str(index): detail}) from None
    return created


# --- The views --------------------------------------------------------------------------

ONE_OR_MANY = PolymorphicProxySerializer(
    component_name="RecommendationsToSend",
    serializers=[RecommendationInput, RecommendationInput(many=True)],
    resource_type_field_name=None,
    many=False,
)
SENT = PolymorphicProxySerializer(
    component_name="RecommendationsSent",
    serializers=[RecommendationOutput, RecommendationOutput(many=True)],
    resource_type_field_name=None,
    many=False,
)


class RecommendationCollection(TokenView):
    required_scopes = {"GET": ApiScope.READ, "POST": ApiScope.RECOMMENDATIONS}

    @extend_schema(
        operation_id="v1_recommendations_list",
        parameters=LIST_PARAMETERS,
        responses={
            200: page_of("RecommendationPage", RecommendationOutput(many=True)),
            **error_responses(400, 401, 403, 404, 429),
        },
    )
    def get(self, request):
        token = request.auth
        rows = Recommendation.objects.filter(submitting_organisation=token.organisation)
        rows = _filters(request, rows).select_related("field", "responsible_unit", "answer")
        paginator = Pages()
        page = paginator.paginate_queryset(rows.order_by("-created_at", "-pk"), request, self)
        base = _base(request)
        return paginator.get_paginated_response([_row(rec, base) for rec in page])

    @extend_schema(
        request=ONE_OR_MANY,
        parameters=[
            OpenApiParameter(
                "Idempotency-Key",
                OpenApiTypes.STR,
                OpenApiParameter.HEADER,
                description="Any unique text up to 200 characters: a retry with the same "
                "key and body gets the first answer and creates nothing",
            )
        ],
        responses={201: SENT, **error_responses(400, 401, 403, 409, 413, 415, 429)},
    )
    def post(self, request):
        actor = api_tokens.acting_person(request.auth)
        if not permissions.may_create(actor):
            raise PermissionDenied(
                _("Only provincial departments and agencies send recommendations.")
            )
        return api_tokens.idempotent(request, lambda: self._create(request, actor))

    def _create(self, request, actor) -> Response:
        cleaned, many = _clean_body(request.data, actor.organisation)
        created = _create_all(actor, cleaned)
        for rec in created:  # just written: no answer yet (not read again to find out)
            if rec.status in (Status.DRAFT, Status.SUBMITTED):
                Recommendation.answer.related.set_cached_value(rec, None)
        base = _base(request)
        body = [_row(rec, base) for rec in created]
        return Response(body if many else body[0], status=201)


class RecommendationDetail(TokenView):
    @extend_schema(
        responses={200: RecommendationDetailOutput, **error_responses(401, 403, 404, 429)}
    )
    def get(self, request, code):
        rec = (
            Recommendation.objects.filter(
                code=code, submitting_organisation=request.auth.organisation
            )
            .select_related("field", "responsible_unit", "answer")
            .first()
        )
        if rec is None:
            raise NotFound(_("Your organisation has no recommendation with this code."))
        base = _base(request)
        return Response({**_row(rec, base), "history": _history(rec), "answer": _answer(rec, base)})
