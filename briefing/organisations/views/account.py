"""The second step of signing in, enrolling an authenticator app, the recovery codes,
the account page (two-factor status, signing out of other devices), the idle timer's
endpoint and the reset of someone's second factor by a system administrator."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django_otp.plugins.otp_static.models import StaticDevice

from briefing.models.organisations import RoleCode, SecurityEventKind, User
from briefing.organisations import login_sessions, roles, security_log, services, two_factor
from briefing.organisations.forms import (
    EnrolmentForm,
    SecondFactorForm,
    SecondFactorResetForm,
)


def _next_url(request) -> str:
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    if wanted and url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return wanted
    return roles.start_url(request.user)


def _with_next(name: str, request) -> str:
    url = reverse(name)
    return f"{url}?{request.GET.urlencode()}" if request.GET else url


def _refused(form, result) -> None:
    if result.locked_until is None:
        form.add_error(
            "code", _("This code is not correct. Check the time on your phone and try again.")
        )


@never_cache
@login_required
def two_factor_verify(request):
    """After the password: the code from the app, or a recovery code."""
    user = request.user
    if user.is_verified():
        return redirect(_next_url(request))
    device = two_factor.app_device(user)
    if device is None:
        if two_factor.is_required(user):
            return redirect(_with_next("two_factor_setup", request))
        return redirect(_next_url(request))
    form = SecondFactorForm(request.POST or None)
    result = two_factor.CodeCheck(locked_until=two_factor.locked_until(device))
    if request.method == "POST" and form.is_valid():
        result = two_factor.check_code(request, device, form.cleaned_data["code"])
        if result.ok:
            two_factor.mark_verified(request, result.device)
            if isinstance(result.device, StaticDevice):
                left = two_factor.recovery_codes_left(user)
                messages.warning(
                    request,
                    ngettext(
                        "You signed in with a recovery code; %(count)d is left. "
                        "Make new ones on your account page.",
                        "You signed in with a recovery code; %(count)d are left. "
                        "Make new ones on your account page.",
                        left,
                    )
                    % {"count": left},
                )
            return redirect(_next_url(request))
        _refused(form, result)
    context = {"form": form, "locked_until": result.locked_until, "next": _next_url(request)}
    status = 429 if result.locked_until else 200
    return render(request, "registration/two_factor_verify.html", context, status=status)


@never_cache
@login_required
def two_factor_setup(request):
    """Enrolment: scan the QR code (or type the secret), confirm with a code."""
    user = request.user
    if two_factor.has_device(user):
        # Someone holding only the password must not swap in an app of their own.
        return redirect("account" if user.is_verified() else "two_factor_verify")
    device = two_factor.enrolment_device(user)
    form = EnrolmentForm(request.POST or None)
    result = two_factor.CodeCheck(locked_until=two_factor.locked_until(device))
    if request.method == "POST" and form.is_valid():
        result = two_factor.check_code(request, device, form.cleaned_data["code"], recovery=False)
        if result.ok:
            codes = two_factor.enrolment_confirm(request, device)
            request.session[two_factor.NEW_CODES_SESSION_KEY] = codes
            query = urlencode({"next": _next_url(request)})
            return redirect(f"{reverse('two_factor_recovery_codes')}?{query}")
        _refused(form, result)
    context = {
        "form": form,
        "locked_until": result.locked_until,
        "qr_code": two_factor.qr_code_data_uri(device),
        "secret": two_factor.secret_text(device),
        "otpauth_url": device.config_url,
        "required": two_factor.is_required(user),
        "next": _next_url(request),
    }
    status = 429 if result.locked_until else 200
    return render(request, "registration/two_factor_setup.html", context, status=status)


@never_cache
@login_required
def two_factor_recovery_codes(request):
    """GET shows new codes once; POST (account page) replaces them with new ones."""
    user = request.user
    if request.method == "POST":
        if not (two_factor.has_device(user) and user.is_verified()):
            raise Http404
        request.session[two_factor.NEW_CODES_SESSION_KEY] = two_factor.new_recovery_codes(user)
        security_log.record(
            SecurityEventKind.SECOND_FACTOR_ENROLLED,
            request=request,
            subject=user,
            detail=_("new recovery codes made; the old ones no longer work"),
        )
        return redirect("two_factor_recovery_codes")
    codes = request.session.pop(two_factor.NEW_CODES_SESSION_KEY, None)
    if not codes:
        return redirect("account")
    return render(
        request,
        "registration/two_factor_recovery_codes.html",
        {"codes": codes, "next": _next_url(request)},
    )


@never_cache
@login_required
def account(request):
    user = request.user
    device = two_factor.app_device(user)
    context = {
        "device": device,
        "required": two_factor.is_required(user),
        "codes_left": two_factor.recovery_codes_left(user) if device else 0,
        "idle_minutes": login_sessions.idle_seconds() // 60,
        # A department's leader chooses who signs what it sends to the Ministry.
        "sets_sign_off": roles.may_set_sign_off(user),
        "organisation": user.organisation,
    }
    return render(request, "briefing/account.html", context)


@require_POST
@login_required
def sign_off_setting(request):
    """The department's leader lets its officers send to the Ministry, or not."""
    if not roles.may_set_sign_off(request.user):
        raise PermissionDenied
    organisation = services.sign_off_set(
        actor=request.user, officers_may_send=request.POST.get("officers_may_send") == "on"
    )
    if organisation.officers_may_send:
        messages.success(
            request, _("Officers of your department may now send to the Ministry themselves.")
        )
    else:
        messages.success(
            request, _("Only the leaders of your department send to the Ministry from now on.")
        )
    return redirect("account")


@require_POST
@login_required
def sign_out_other_devices(request):
    ended = login_sessions.sign_out_other_devices(request)
    messages.success(
        request,
        ngettext(
            "%(count)d other session was ended.",
            "%(count)d other sessions were ended.",
            ended,
        )
        % {"count": ended},
    )
    return redirect("account")


@require_POST
@login_required
def two_factor_turn_off(request):
    if two_factor.is_required(request.user) or not request.user.is_verified():
        raise Http404
    two_factor.second_factor_turn_off(request)
    messages.success(request, _("Two-factor sign-in is off for your account."))
    return redirect("account")


def session_status(request):
    """The idle timer asks how long is left (GET, which is not activity) or keeps the
    session ("Stay signed in", POST)."""
    if not request.user.is_authenticated:
        return JsonResponse({"signed_in": False, "seconds_left": 0})
    if request.method == "POST":
        login_sessions.touch(request.session, force=True)
    left = login_sessions.seconds_left(request.session)
    return JsonResponse({"signed_in": True, "seconds_left": left})


@never_cache
@roles.role_required(RoleCode.SYSTEM_ADMIN)
def two_factor_reset(request, user_id: int):
    """A system administrator removes someone's second factor (lost phone): their
    sessions end and their next sign-in enrols a new app."""
    subject = get_object_or_404(User, pk=user_id)
    form = SecondFactorResetForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        two_factor.second_factor_reset(
            request=request,
            actor=request.user,
            subject=subject,
            reason=form.cleaned_data["reason"],
        )
        messages.success(
            request,
            _(
                "The second factor of %(person)s was reset. "
                "They set up a new app at their next sign-in."
            )
            % {"person": subject},
        )
        return redirect("admin:briefing_user_change", subject.pk)
    context = {
        "subject": subject,
        "form": form,
        "has_device": two_factor.has_device(subject),
        "codes_left": two_factor.recovery_codes_left(subject),
    }
    return render(request, "briefing/two_factor_reset.html", context)
