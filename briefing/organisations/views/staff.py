"""Pages of signed-in people: sign-in, the start page of each role, the workspace,
the organisation list and the health check."""

import hmac

from axes.helpers import get_cool_off
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache

from briefing.models.organisations import RoleCode
from briefing.organisations import roles, selectors
from briefing.organisations import workspace as workspace_blocks
from briefing.organisations.forms import LoginForm, OrganisationFilterForm
from briefing.platform import health


@login_required
def start(request):
    """After sign-in: send each user to the start page of their role."""
    return HttpResponseRedirect(roles.start_url(request.user))


@login_required
def workspace(request):
    """What waits for the person now: the blocks the apps registered for their role
    (briefing.organisations.workspace), the overdue first, then their organisation."""
    user = request.user
    organisation = user.organisation
    blocks = workspace_blocks.blocks_for(user)
    context = {
        "organisation": organisation,
        "my_roles": [RoleCode(code).label for code in sorted(roles.role_codes(user))],
        "colleagues": selectors.organisation_members(organisation) if organisation else [],
        "is_office": roles.is_office_coordinator(user),
        "is_unit": roles.has_role(user, RoleCode.UNIT_OFFICER, RoleCode.UNIT_LEADER),
        "is_province": roles.is_province_staff(user),
        "blocks": blocks,
        "urgent": workspace_blocks.urgent_entries(blocks),
    }
    if context["is_office"]:
        context["organisation_counts"] = selectors.organisation_counts_on(timezone.localdate())
    return render(request, "briefing/workspace.html", context)


@roles.role_required(RoleCode.OFFICE_COORDINATOR, RoleCode.SYSTEM_ADMIN)
def organisation_list(request):
    form = OrganisationFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    organisations = selectors.organisation_search(
        kind=filters.get("kind") or None,
        valid_on=filters.get("valid_on"),
        text=filters.get("q") or "",
    )
    page = Paginator(organisations, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "briefing/organisation_list.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            # A system administrator manages the API tokens of any organisation.
            "manages_tokens": roles.is_system_admin(request.user),
        },
    )


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    redirect_authenticated_user = True


class PasswordChangeView(auth_views.PasswordChangeView):
    success_url = reverse_lazy("workspace")

    def form_valid(self, form):
        messages.success(self.request, _("Your password has been changed."))
        return super().form_valid(form)


def lockout_response(request, original_response=None, credentials=None):
    """Axes calls this after too many failed sign-ins: say when to try again."""
    cool_off = get_cool_off(request)
    # Keep the typed user name; never echo the password.
    form = LoginForm(request, initial={"username": request.POST.get("username", "")})
    context = {
        "form": form,
        "locked_until": timezone.localtime() + cool_off,
        "locked_minutes": int(cool_off.total_seconds() // 60),
    }
    return render(request, "registration/login.html", context, status=429)


def _may_read_health_details(request) -> bool:
    """Host names and errors are for monitoring (HEALTHZ_TOKEN) and system
    administrators; everyone else learns only whether the portal is up."""
    token = settings.HEALTHZ_TOKEN
    given = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
    if token and given and hmac.compare_digest(given.encode(), token.encode()):
        return True
    return roles.is_system_admin(request.user)


@never_cache
def healthz(request):
    healthy, checks = health.run_checks()
    body = {"status": "ok" if healthy else "unavailable"}
    if _may_read_health_details(request):
        body["checks"] = checks
    return JsonResponse(body, status=200 if healthy else 503)
