"""Language choice (Vietnamese unless the reader chose English with the switch) and the
security headers of every response."""

from django.conf import settings
from django.utils import translation
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.translation.trans_real import parse_accept_lang_header

API_PREFIX = "/api/v1/"


class LanguageMiddleware:
    """Pick the language from the switch's cookie only.

    Django's LocaleMiddleware would follow the browser's Accept-Language, so a
    citizen with an English-language browser would land on English pages; this portal
    is Vietnamese first and English only on request.

    The API (/api/v1/) is read by programs, which send no cookie: there the request's
    Accept-Language chooses (its most preferred language we speak: `en`, `en-US` give
    English), Vietnamese without one; the cookie does not count.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.supported = {code for code, _name in settings.LANGUAGES}

    def _api_language(self, request):
        header = request.headers.get("Accept-Language", "")
        for code, _quality in parse_accept_lang_header(header):
            code = code.split("-")[0].lower()
            if code in self.supported:
                return code
        return settings.LANGUAGE_CODE

    def __call__(self, request):
        api = request.path.startswith(API_PREFIX)
        if api:
            language = self._api_language(request)
        else:
            language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if language not in self.supported:
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        patch_vary_headers(response, ("Accept-Language",) if api else ("Cookie",))
        translation.deactivate()
        return response


# Browser features the portal never uses, turned off for its pages and anything they
# embed: a script slipped into a page cannot switch them on. Only names Chromium knows
# (an unknown one is a console warning on every page).
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "autoplay",
        "bluetooth",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "hid",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "publickey-credentials-get",
        "screen-wake-lock",
        "serial",
        "usb",
        "xr-spatial-tracking",
    )
)


class SecurityHeadersMiddleware:
    """Headers of every response, static files included (placed before WhiteNoise,
    which answers them itself):

    - `Permissions-Policy` turns off the browser features the portal does not use;
    - `Cross-Origin-Resource-Policy: same-origin`: no other site embeds our files.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        response.headers.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        return response


class PrivateResponsesMiddleware:
    """A signed-in person's responses (pages, downloads, redirects, errors) are
    `Cache-Control: private, no-store`: neither a shared office computer's browser
    cache nor a proxy keeps a ministry list. Anonymous responses keep what their view
    chose: the cached public pages stay `public` (public_cache.py).

    Signed in is `is_authenticated` of the session's user or of the request's user
    after the view. Both, because Django REST framework replaces `request.user`: with
    the user of an API token, and with the anonymous user in the views that take no
    authentication, whose answer to a signed-in person is still theirs. Placed after
    AuthenticationMiddleware to keep the session's (lazy) user before the view runs;
    asked afterwards, it costs a query only where the view never looked at the user.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session_user = request.user
        response = self.get_response(request)
        if session_user.is_authenticated or request.user.is_authenticated:
            patch_cache_control(response, private=True, no_store=True)
        return response
