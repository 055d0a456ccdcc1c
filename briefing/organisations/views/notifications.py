"""The person's notifications: the list (the bell's page), opening one (which marks it
read and goes to what it is about), marking all read, and the e-mail setting."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from briefing.organisations import notifications
from briefing.organisations.forms import EmailPreferenceForm


@login_required
def notification_list(request):
    page = Paginator(notifications.notifications_of(request.user), notifications.PAGE_SIZE)
    return render(
        request,
        "briefing/notification_list.html",
        {
            "page": page.get_page(request.GET.get("page")),
            "form": EmailPreferenceForm(
                initial={"email_preference": request.user.email_preference}
            ),
        },
    )


@login_required
def notification_open(request, pk: int):
    """Opening a notification marks it read and goes to what it is about (another
    person's notification is a 404)."""
    notification = notifications.notification_open(user=request.user, pk=pk)
    target = notification.url
    if not target or not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect("notifications")
    return HttpResponseRedirect(target)


@require_POST
@login_required
def notifications_read_all(request):
    notifications.notifications_mark_all_read(user=request.user)
    messages.success(request, _("Every notification is marked as read."))
    return redirect("notifications")


@login_required
def notification_settings(request):
    form = EmailPreferenceForm(
        request.POST or None, initial={"email_preference": request.user.email_preference}
    )
    if request.method == "POST" and form.is_valid():
        notifications.email_preference_set(
            user=request.user, preference=form.cleaned_data["email_preference"]
        )
        messages.success(request, _("Your e-mail setting is saved."))
        return redirect("notifications")
    return render(request, "briefing/notification_settings.html", {"form": form})
