from django.conf import settings

from briefing import roles


def portal(request):
    user = getattr(request, "user", None)
    return {
        "portal_name": settings.PORTAL_NAME,
        "portal_languages": settings.LANGUAGES,
        "nav_items": roles.navigation(user) if user is not None else [],
    }
