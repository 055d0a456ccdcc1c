"""Two guards on every signed-in request, after django-otp's OTPMiddleware.

SessionGuardMiddleware ends a session idle for STAFF_IDLE_MINUTES; TwoFactorMiddleware
keeps a person who still owes the second factor on the verification pages.
"""

from functools import cache
from urllib.parse import urlencode

from django.contrib.auth import logout
from django.http import HttpResponseRedirect, JsonResponse
from django.urls import Resolver404, resolve, reverse

from briefing.organisations import login_sessions, two_factor

# Requests that are not the person at work: the visitor counters the pages fetch, and
# the idle timer's own question "how long is left?".
_NOT_ACTIVITY = ("visit_counters", "session_status")
# What a person who still owes the second factor may open.
_BEFORE_SECOND_FACTOR = (
    "two_factor_verify",
    "two_factor_setup",
    "logout",
    "session_status",
    "set_language",
)


@cache
def _paths(names: tuple[str, ...]) -> frozenset[str]:
    return frozenset(reverse(name) for name in names)


def _signed_in(request) -> bool:
    # The cookie first: the public pages have no session, and reading request.user of
    # an anonymous visitor must stay free.
    return bool(request.session.session_key) and request.user.is_authenticated


class SessionGuardMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _signed_in(request):
            if login_sessions.seconds_left(request.session) <= 0:
                return self._signed_out_for_inactivity(request)
            if request.path not in _paths(_NOT_ACTIVITY):
                login_sessions.touch(request.session)
        return self.get_response(request)

    @staticmethod
    def _signed_out_for_inactivity(request):
        logout(request)
        if request.path in _paths(_NOT_ACTIVITY):
            return JsonResponse({"signed_in": False, "seconds_left": 0})
        # Back to the same page after signing in; `idle` tells the login page to say
        # why, and the page's script to give back the text typed into its form.
        query = urlencode({"next": request.get_full_path(), "idle": "1"})
        return HttpResponseRedirect(f"{reverse('login')}?{query}")


class TwoFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.two_factor_pending = False
        if (
            _signed_in(request)
            and not request.user.is_verified()
            and self._owes_second_factor(request)
        ):
            request.two_factor_pending = True
            if not self._open_before_second_factor(request):
                return self._to_verification(request)
        return self.get_response(request)

    @staticmethod
    def _owes_second_factor(request) -> bool:
        user = request.user
        if two_factor.is_required(user):
            return True
        # Optional for departments: only those who turned it on. Asked once a session.
        has_device = request.session.get(two_factor.HAS_DEVICE_SESSION_KEY)
        if has_device is None:
            has_device = two_factor.has_device(user)
            request.session[two_factor.HAS_DEVICE_SESSION_KEY] = has_device
        return has_device

    @staticmethod
    def _open_before_second_factor(request) -> bool:
        try:
            return resolve(request.path_info).url_name in _BEFORE_SECOND_FACTOR
        except Resolver404:
            return False

    @staticmethod
    def _to_verification(request):
        url = reverse("two_factor_verify")
        if request.method in ("GET", "HEAD"):
            url += "?" + urlencode({"next": request.get_full_path()})
        return HttpResponseRedirect(url)
