"""What the staff pages of recommendations share: who may open them, and a service's
refusal shown on its form."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError

from briefing.organisations import roles


def staff_required(view):
    """Signed-in users with a ministry or provincial role; others get 403."""

    @login_required
    def wrapper(request, *args, **kwargs):
        user = request.user
        if not (roles.is_ministry_staff(user) or roles.is_province_staff(user)):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    wrapper.__name__ = view.__name__
    wrapper.__doc__ = view.__doc__
    return wrapper


def add_errors(form, exc: ValidationError):
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)
