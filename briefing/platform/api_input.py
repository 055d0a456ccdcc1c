"""What the API does to a JSON body before a serializer reads it: the same as the forms
do to theirs (briefing.platform.forms)."""

import re

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers
from rest_framework.exceptions import ParseError
from rest_framework.pagination import PageNumberPagination
from rest_framework.parsers import JSONParser

from briefing.platform.forms import nfc

_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def _clean(value):
    if isinstance(value, str):
        return nfc(_LONE_SURROGATE.sub("\ufffd", value))
    if isinstance(value, dict):
        return {_clean(key): _clean(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_clean(item) for item in value]
    return value


class TextJSONParser(JSONParser):
    """JSON with its text as a form would have it.

    "\\ud800" is valid JSON, yet decodes to a lone surrogate, which no database stores
    and no response can encode (a 500): it becomes U+FFFD, as invalid UTF-8 does in a
    form. Text is composed (NFC). A body that is no JSON, or nests too deep to read, is
    refused in the reader's language rather than with the parser's English.
    """

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            return _clean(super().parse(stream, media_type, parser_context))
        except (ParseError, RecursionError):
            raise ParseError(_("The request body is not valid JSON.")) from None


class Pages(PageNumberPagination):
    """The API's lists: 50 a page by default, `page_size` up to 200."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


def page_of(name: str, item: serializers.Serializer) -> type[serializers.Serializer]:
    """The schema of one page of a list as `Pages` answers it: the items under
    `results`, with the total and the links to the pages around it."""
    return type(
        name,
        (serializers.Serializer,),
        {
            "count": serializers.IntegerField(help_text="Items matching the filters"),
            "next": serializers.URLField(allow_null=True, help_text="The next page, or null"),
            "previous": serializers.URLField(
                allow_null=True, help_text="The previous page, or null"
            ),
            "results": item,
        },
    )
