"""The API token pages of an organisation: its leaders (and a system administrator, for
any organisation) make tokens, see each one's beginning and last use, and revoke them.
A new token's key is shown once, on the answer to the form that made it."""

import datetime

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from briefing.models.api_tokens import ApiScope, ApiToken
from briefing.models.organisations import Organisation
from briefing.organisations import api_tokens, roles
from briefing.platform.forms import NormalisedInput


class TokenForm(NormalisedInput, forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Name"),
        max_length=100,
        help_text=gettext_lazy("Which system uses it, e.g. “Document system (iOffice)”."),
    )
    scopes = forms.MultipleChoiceField(
        label=gettext_lazy("Permissions"),
        choices=ApiScope.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    expires_on = forms.DateField(
        label=gettext_lazy("Expires on"),
        required=False,
        help_text=gettext_lazy("dd/mm/yyyy; empty: until revoked."),
    )

    def __init__(self, *args, allowed=frozenset(ApiScope.values), **kwargs):
        super().__init__(*args, **kwargs)
        self.allowed = allowed
        self.fields["scopes"].choices = [c for c in ApiScope.choices if c[0] in allowed]

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        if not name:
            raise forms.ValidationError(_("Give the token a name."))
        return name

    def clean_expires_on(self):
        day = self.cleaned_data["expires_on"]
        if day is not None and day <= timezone.localdate():
            raise forms.ValidationError(_("The expiry date must be after today."))
        return day

    def expires_at(self) -> datetime.datetime | None:
        day = self.cleaned_data["expires_on"]
        if day is None:
            return None
        # Valid through the whole day chosen.
        return timezone.make_aware(datetime.datetime.combine(day, datetime.time.max))


def _organisation_or_404(request, organisation_id: int) -> Organisation:
    organisation = get_object_or_404(Organisation, pk=organisation_id)
    if not api_tokens.may_manage(request.user, organisation):
        if organisation.pk == request.user.organisation_id:
            raise PermissionDenied
        raise Http404  # someone else's organisation does not exist for them
    return organisation


@never_cache
@login_required
def own_tokens(request):
    """/accounts/api-token/: the tokens of one's own organisation (the person tokens
    that were here are gone; the organisation's replace them)."""
    user = request.user
    if roles.may_manage_api_tokens(user, user.organisation):
        return redirect("api_tokens", user.organisation.pk)
    if roles.is_system_admin(user):
        return redirect("organisation_list")
    raise PermissionDenied


@never_cache
@login_required
def token_list(request, organisation_id: int):
    organisation = _organisation_or_404(request, organisation_id)
    allowed = api_tokens.allowed_scopes(request.user, organisation)
    form = TokenForm(request.POST or None, allowed=allowed)
    new_key = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            token, new_key = api_tokens.token_create(
                actor=request.user,
                organisation=organisation,
                name=form.cleaned_data["name"],
                scopes=form.cleaned_data["scopes"],
                expires_at=form.expires_at(),
            )
            messages.success(request, _("A new token was made. Copy it now: it is shown once."))
            form = TokenForm(allowed=allowed)
        else:
            status = 400
    context = {
        "organisation": organisation,
        "tokens": list(api_tokens.tokens_of(organisation)),
        "form": form,
        "new_key": new_key,
        "read_only_maker": ApiScope.RECOMMENDATIONS not in allowed,
        "now": timezone.now(),
    }
    return render(request, "briefing/api_tokens.html", context, status=status)


@require_POST
@login_required
def token_revoke(request, organisation_id: int, token_id: int):
    organisation = _organisation_or_404(request, organisation_id)
    token = get_object_or_404(ApiToken, pk=token_id, organisation=organisation)
    api_tokens.token_revoke(actor=request.user, token=token)
    messages.success(
        request, _("The token “%(name)s” was revoked: it no longer works.") % {"name": token.name}
    )
    return redirect("api_tokens", organisation.pk)
