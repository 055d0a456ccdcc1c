from django.conf import settings
from django.utils.functional import SimpleLazyObject

from briefing.organisations import login_sessions, notifications, roles
from briefing.organisations.selectors import ministry_name_on


def portal(request):
    user = getattr(request, "user", None)
    signed_in = user is not None and user.is_authenticated
    # Until the second factor is given, the menu would only offer pages that send
    # the person back to the code.
    pending = getattr(request, "two_factor_pending", False)
    return {
        "portal_name": settings.PORTAL_NAME,
        # The ministry by today's name: Bộ Khoa học và Công nghệ since 1 March 2025.
        # Read when the page first shows it (header), from the cached names, and kept
        # for the footer: one cache read a page, no query.
        "ministry_name": SimpleLazyObject(ministry_name_on),
        "portal_languages": settings.LANGUAGES,
        # The menu's links and its "More" group (roles.navigation_menu).
        "nav_items": roles.navigation_menu(user) if user is not None and not pending else ([], []),
        "two_factor_pending": pending,
        # The idle timer of static/js/session.js.
        "idle_seconds": login_sessions.idle_seconds() if signed_in else None,
        # An organisation's leaders (and system administrators) manage its API tokens.
        "has_api_token_page": bool(
            signed_in and not pending and roles.may_manage_api_tokens(user, user.organisation)
        ),
        "has_webhook_page": bool(signed_in and not pending and roles.may_manage_webhooks(user)),
        # The bell: staff's unread notifications (cached between changes).
        "unread_notifications": notifications.unread_count(user)
        if signed_in and not pending and user.is_active
        else None,
    }
