"""The bodies of the recommendations API (proposals.api_recommendations): the input a
department's system sends, checked strictly (a number is no text, "yes" no boolean),
and the rows it reads back, as the OpenAPI schema describes them."""

from django.utils.translation import gettext_lazy
from rest_framework import serializers

from proposals.models import Channel, Status


class StrictCharField(serializers.CharField):
    default_error_messages = {"invalid": gettext_lazy("Not valid text: write it in quotes.")}

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class StrictBooleanField(serializers.BooleanField):
    default_error_messages = {"invalid": gettext_lazy("Write true or false.")}

    def to_internal_value(self, data):
        if not isinstance(data, bool):
            self.fail("invalid")
        return data


class RecommendationInput(serializers.Serializer):
    title = StrictCharField(max_length=300, help_text="At least 5 characters")
    content = StrictCharField(max_length=20000, help_text="At least 10 characters")
    field = StrictCharField(max_length=20, help_text="The field's code, e.g. CNTT")
    channel = serializers.ChoiceField(
        choices=Channel.choices, help_text="briefing: to the quarterly briefing; regular: any time"
    )
    quarter = StrictCharField(max_length=10, help_text="The briefing quarter: 2020-Q3 (or 2020-3)")
    send = StrictBooleanField(
        default=False,
        help_text="true: send to the Ministry (or to the department's leaders for signature "
        "when the token's maker does not sign); false: keep as a draft",
    )


class RecommendationOutput(serializers.Serializer):
    code = serializers.CharField()
    title = serializers.CharField()
    content = serializers.CharField()
    field = serializers.CharField()
    channel = serializers.ChoiceField(choices=Channel.choices)
    quarter = serializers.CharField(help_text="e.g. 2020-Q3")
    status = serializers.ChoiceField(choices=Status.choices)
    status_label = serializers.CharField()
    responsible_unit = serializers.CharField(allow_null=True)
    deadline = serializers.DateField(allow_null=True)
    created_at = serializers.DateTimeField()
    submitted_at = serializers.DateTimeField(allow_null=True)
    updated_at = serializers.DateTimeField()
    answer_published = serializers.BooleanField()
    url = serializers.URLField()


class HistoryEntry(serializers.Serializer):
    at = serializers.DateTimeField()
    action = serializers.CharField()
    from_status = serializers.CharField(help_text="A status, as `status`")
    to_status = serializers.CharField(help_text="A status, as `status`")
    organisation = serializers.CharField(allow_null=True, help_text="Who acted (short name)")
    note = serializers.CharField(allow_blank=True)


class AnswerFile(serializers.Serializer):
    name = serializers.CharField()
    size = serializers.IntegerField()
    url = serializers.URLField()


class PublishedAnswer(serializers.Serializer):
    text = serializers.CharField()
    published_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField(allow_null=True)
    url = serializers.URLField()
    files = AnswerFile(many=True)


class RecommendationDetailOutput(RecommendationOutput):
    history = HistoryEntry(many=True)
    answer = PublishedAnswer(allow_null=True, help_text="Once published; null before")
