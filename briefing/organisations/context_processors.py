from django.conf import settings

from briefing.organisations import roles


def portal(request):
    user = getattr(request, "user", None)
    return {
        "portal_name": settings.PORTAL_NAME,
        "portal_languages": settings.LANGUAGES,
        "nav_items": roles.navigation(user) if user is not None else [],
        # Departments and ministries send indicator reports through the API with a token.
        "has_api_token_page": bool(
            user is not None and user.is_authenticated and roles.is_province_staff(user)
        ),
    }
