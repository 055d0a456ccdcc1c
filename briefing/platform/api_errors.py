"""Every API error in one shape, and its description for the OpenAPI schema.

    {"errors": [{"field": "values.TT-01" | "0.title" | null,
                 "code": "required" | "invalid" | "not_found" | ...,
                 "message": "in the requested language"}]}

`field` names the input at fault, joined with dots when nested ("0.title" is the first
item's title), null when the fault is the whole request (a body that is no JSON, a
missing token, an unknown address); `code` is Django REST framework's error code, for
programs; `message` is for people, in Vietnamese unless the request asked for English
with `Accept-Language: en` (middleware.LanguageMiddleware).

`exception_handler` (REST_FRAMEWORK["EXCEPTION_HANDLER"]) gives the shape to every error a
view raises, Django's Http404 and PermissionDenied included; a view answering an error
itself builds its body with `error_body`. `error_responses(400, 404)` documents them.
`server_error` (handler500) answers a fault under /api/ in the same shape, without detail.
"""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, JsonResponse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views import defaults
from drf_spectacular.utils import OpenApiExample, OpenApiResponse
from rest_framework import exceptions, serializers
from rest_framework.views import exception_handler as drf_exception_handler

NON_FIELD_KEYS = {"non_field_errors", "__all__"}


def _flatten(detail, field=None):
    """(field, code, message) of every error in DRF's full details, nested or not."""
    if isinstance(detail, dict) and set(detail) == {"message", "code"}:
        yield field, detail["code"], str(detail["message"])
    elif isinstance(detail, dict):
        for key, value in detail.items():
            key = None if key in NON_FIELD_KEYS else str(key)
            yield from _flatten(value, ".".join(p for p in (field, key) if p) or None)
    elif isinstance(detail, list):
        for index, item in enumerate(detail):
            if isinstance(item, dict) and set(item) != {"message", "code"}:
                # The errors of a list's items, one dict each ({} when valid).
                yield from _flatten(item, ".".join(p for p in (field, str(index)) if p))
            else:
                yield from _flatten(item, field)
    else:
        yield field, "invalid", str(detail)


def error_body(detail) -> dict:
    """The body of an error, from a DRF `ValidationError`'s full details, a dict such as
    {"period": ["No such period."]} (code "invalid") or an APIException."""
    if isinstance(detail, exceptions.APIException):
        detail = detail.get_full_details()
    return {
        "errors": [
            {"field": field, "code": code, "message": message}
            for field, code, message in _flatten(detail)
        ]
    }


class Conflict(exceptions.APIException):
    """409: the request is valid but the current state refuses it (a locked period)."""

    status_code = 409
    default_detail = _("The request conflicts with the current state.")
    default_code = "conflict"


class ServerError(exceptions.APIException):
    """500: a fault of the portal. The message says nothing of it: the log has the detail."""

    default_detail = _(
        "Server error: the fault has been logged. Please try again in a few minutes."
    )
    default_code = "server_error"


# Programs read everything under it (/api/v1/, /api/schema/): a fault answers JSON.
API_ROOT = "/api/"


def server_error(request):
    """handler500: the API's error shape under /api/, the HTML page elsewhere."""
    if request.path.startswith(API_ROOT):
        return JsonResponse(error_body(ServerError()), status=500)
    return defaults.server_error(request)


def field_error(field: str, message, code: str = "invalid") -> exceptions.ValidationError:
    """A 400 naming one field, to raise."""
    return exceptions.ValidationError({field: [exceptions.ErrorDetail(message, code=code)]})


def _throttled(exc: exceptions.Throttled) -> exceptions.Throttled:
    """DRF formats the wait into its message before translating it, so it is never
    translated: the same words, from our catalogue."""
    wait = max(1, round(exc.wait or 1))
    detail = ngettext(
        "Too many requests. Try again in %(wait)d second.",
        "Too many requests. Try again in %(wait)d seconds.",
        wait,
    ) % {"wait": wait}
    throttled = exceptions.Throttled(detail=detail)
    throttled.wait = exc.wait  # the Retry-After header
    return throttled


def exception_handler(exc, context):
    if isinstance(exc, Http404):
        # Django's message names the model ("No Indicator matches the given query."),
        # in English: the reader gets DRF's "Not found." in their language.
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    elif isinstance(exc, exceptions.Throttled):
        exc = _throttled(exc)
    response = drf_exception_handler(exc, context)
    if response is not None:
        response.data = error_body(exc)
    return response


class ErrorItemSerializer(serializers.Serializer):
    field = serializers.CharField(
        allow_null=True,
        help_text='The input at fault, dotted when nested ("0.title"); null for the whole request',
    )
    code = serializers.CharField(help_text='For programs: "required", "invalid", ...')
    message = serializers.CharField(help_text="For people, in the requested language")


class ErrorSerializer(serializers.Serializer):
    errors = ErrorItemSerializer(many=True)


DESCRIPTIONS = {
    400: (
        "The request is not valid: a field (`field` names it) or the body (no JSON).",
        {"field": "period", "code": "invalid", "message": "Không có kỳ báo cáo này."},
    ),
    401: (
        "No token, or a token that is not valid (revoked, expired).",
        {"field": None, "code": "not_authenticated", "message": "..."},
    ),
    403: (
        "The token's holder may not do this.",
        {"field": None, "code": "permission_denied", "message": "..."},
    ),
    404: ("Nothing here.", {"field": None, "code": "not_found", "message": "Không tìm thấy."}),
    405: ("Method not allowed.", {"field": None, "code": "method_not_allowed", "message": "..."}),
    409: ("The request conflicts with the current state.", None),
    413: ("The request body is too large.", None),
    415: (
        "The body is not JSON (Content-Type: application/json).",
        {"field": None, "code": "unsupported_media_type", "message": "..."},
    ),
    429: (
        "Too many requests: wait for the seconds in the Retry-After header.",
        {"field": None, "code": "throttled", "message": "..."},
    ),
}


def error_responses(*statuses: int) -> dict:
    """{status: OpenApiResponse} of the errors an operation answers, to merge into
    extend_schema(responses=...)."""
    responses = {}
    for status in statuses:
        description, example = DESCRIPTIONS[status]
        examples = (
            [OpenApiExample(f"error {status}", value={"errors": [example]}, status_codes=[status])]
            if example
            else []
        )
        responses[status] = OpenApiResponse(ErrorSerializer, description, examples)
    return responses
