from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from briefing.models import TaskStatus


class ProgressForm(forms.Form):
    text = forms.CharField(
        label=_("Progress"), max_length=5000, widget=forms.Textarea(attrs={"rows": 2})
    )
    status = forms.ChoiceField(label=_("Status"), choices=TaskStatus.choices)
    date = forms.DateField(label=_("Date"), initial=timezone.localdate)
