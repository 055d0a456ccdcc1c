"""The webhooks of an organisation: its endpoints, each one's delivery log, and the
actions on them (rotate the secret, turn on again, send a test event, delete). For the
department's leaders and the system administrator."""

from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.text import get_text_list
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, ngettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from briefing.organisations import roles
from briefing.platform.confirm import Confirmation, is_confirmed
from proposals import permissions, webhooks
from proposals.models import DeliveryStatus, WebhookAttempt
from proposals.webhook_forms import WebhookEndpointForm

LOG_PAGE_SIZE = 25
# The secret just made, shown once on the endpoint's page (then gone from the session).
JUST_MADE = "webhook_just_made"


def webhook_manager_required(view):
    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not roles.may_manage_webhooks(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def _show_secret_once(request, endpoint, secret: str) -> None:
    request.session[JUST_MADE] = {"pk": endpoint.pk, "secret": secret}


@webhook_manager_required
def webhook_list(request):
    endpoints = (
        permissions.webhook_endpoints_for(request.user)
        .select_related("organisation")
        .annotate(waiting=Count("deliveries", filter=Q(deliveries__status=DeliveryStatus.PENDING)))
    )
    return render(
        request,
        "proposals/webhook_list.html",
        {"endpoints": endpoints, "for_all": roles.is_system_admin(request.user)},
    )


@webhook_manager_required
def webhook_create(request):
    admin = roles.is_system_admin(request.user)
    form = WebhookEndpointForm(_posted(request), choose_organisation=admin)
    if request.method == "POST" and form.is_valid():
        endpoint = webhooks.webhook_endpoint_create(
            actor=request.user,
            organisation=form.cleaned_data["organisation"] if admin else request.user.organisation,
            name=form.cleaned_data["name"],
            url=form.cleaned_data["url"],
            events=form.cleaned_data["events"],
            request=request,
        )
        _show_secret_once(request, endpoint, endpoint.secret)
        messages.success(request, _("The webhook was made. Copy its secret now: it is shown once."))
        return redirect("proposals:webhook_detail", pk=endpoint.pk)
    return render(request, "proposals/webhook_form.html", {"form": form}, status=_status(form))


def _posted(request):
    """The posted data (even empty: a POST of nothing is an invalid form, not a page)."""
    return request.POST if request.method == "POST" else None


def _status(form) -> int:
    return 400 if form.is_bound and form.errors else 200


@never_cache
@webhook_manager_required
def webhook_detail(request, pk: int):
    """The endpoint's settings (a form), its actions and its delivery log."""
    endpoint = permissions.get_webhook_endpoint_for_user(request.user, pk)
    form = WebhookEndpointForm(_posted(request), instance=endpoint)
    if request.method == "POST" and form.is_valid():
        webhooks.webhook_endpoint_update(
            endpoint=endpoint,
            name=form.cleaned_data["name"],
            url=form.cleaned_data["url"],
            events=form.cleaned_data["events"],
        )
        messages.success(request, _("The webhook was saved."))
        return redirect("proposals:webhook_detail", pk=endpoint.pk)
    shown = request.session.pop(JUST_MADE, None) if request.method == "GET" else None
    attempts = (
        WebhookAttempt.objects.filter(delivery__endpoint=endpoint)
        .select_related("delivery")
        .order_by("-at", "-pk")
    )
    page = Paginator(attempts, LOG_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "proposals/webhook_detail.html",
        {
            "endpoint": endpoint,
            "form": form,
            "page": page,
            "new_secret": shown["secret"] if shown and shown["pk"] == endpoint.pk else None,
            "waiting": endpoint.deliveries.filter(status=DeliveryStatus.PENDING).count(),
            "retry_delays": retry_delays_text(settings.WEBHOOK_RETRY_DELAYS),
            "answer_within": delay_text(settings.WEBHOOK_TIMEOUT),
        },
        status=_status(form),
    )


@require_POST
@webhook_manager_required
def webhook_rotate(request, pk: int):
    endpoint = permissions.get_webhook_endpoint_for_user(request.user, pk)
    secret = webhooks.webhook_secret_rotate(endpoint=endpoint, actor=request.user, request=request)
    _show_secret_once(request, endpoint, secret)
    messages.success(request, _("A new secret was made; the old one no longer signs. Copy it now."))
    return redirect("proposals:webhook_detail", pk=endpoint.pk)


@require_POST
@webhook_manager_required
def webhook_enable(request, pk: int):
    endpoint = permissions.get_webhook_endpoint_for_user(request.user, pk)
    webhooks.webhook_endpoint_enable(endpoint=endpoint)
    messages.success(request, _("The webhook is on again; waiting events are being sent."))
    return redirect("proposals:webhook_detail", pk=endpoint.pk)


@require_POST
@webhook_manager_required
def webhook_test(request, pk: int):
    endpoint = permissions.get_webhook_endpoint_for_user(request.user, pk)
    if not endpoint.is_active:
        messages.error(request, _("Turn the webhook on before sending a test event."))
    else:
        webhooks.webhook_send_test(endpoint=endpoint, actor=request.user)
        messages.success(
            request, _("A test event is on its way: its attempt appears in the log below.")
        )
    return redirect("proposals:webhook_detail", pk=endpoint.pk)


# The largest unit that divides a delay exactly: 90 s reads "90 seconds", not "1.5 minutes".
DELAY_UNITS = [
    (86400, ngettext_lazy("%(count)d day", "%(count)d days", "count")),
    (3600, ngettext_lazy("%(count)d hour", "%(count)d hours", "count")),
    (60, ngettext_lazy("%(count)d minute", "%(count)d minutes", "count")),
    (1, ngettext_lazy("%(count)d second", "%(count)d seconds", "count")),
]


def delay_text(seconds: int) -> str:
    """A delay in words, in the reader's language: 300 -> "5 minutes"."""
    for size, words in DELAY_UNITS:
        if seconds >= size and seconds % size == 0:
            return words % {"count": seconds // size}
    return DELAY_UNITS[-1][1] % {"count": seconds}


def retry_delays_text(delays) -> str:
    """The retry delays (settings.WEBHOOK_RETRY_DELAYS) as the webhook page says them:
    "1 minute, 5 minutes and 2 hours"."""
    return str(get_text_list([delay_text(seconds) for seconds in delays], _("and")))


def _delete_confirmation(request, endpoint):
    """What deleting the endpoint does: it stops receiving events, and its waiting
    events and its delivery log go with it (the deliveries cascade)."""
    waiting = endpoint.deliveries.filter(status=DeliveryStatus.PENDING).count()
    attempts = WebhookAttempt.objects.filter(delivery__endpoint=endpoint).count()
    detail = reverse("proposals:webhook_detail", args=[endpoint.pk])
    happens = [
        _("The webhook stops at once: no event is sent to %(url)s any more.")
        % {"url": endpoint.url},
        ngettext(
            "Its delivery log (%(count)d attempt) is deleted with it.",
            "Its delivery log (%(count)d attempts) is deleted with it.",
            attempts,
        )
        % {"count": attempts},
        _("This cannot be undone: to receive events again, make a new webhook with a new secret."),
    ]
    if waiting:
        happens.insert(
            1,
            ngettext(
                "The %(count)d event waiting to be delivered is dropped.",
                "The %(count)d events waiting to be delivered are dropped.",
                waiting,
            )
            % {"count": waiting},
        )
    audience = [
        _("The system at that address: tell its operators that events stop."),
        _("The deletion is recorded in the security log."),
    ]
    confirm = Confirmation(
        happens=happens,
        audience=audience,
        button=_("Confirm: delete the webhook"),
        cancel_url=detail,
        key="delete",
        danger=True,
    )
    context = {
        "confirm": confirm,
        "heading": _("Delete the webhook %(name)s") % {"name": endpoint.name},
        "subject": f"{endpoint.organisation.short_name} · {endpoint.url}",
        "subject_url": detail,
    }
    return render(request, "confirm.html", context)


@require_POST
@webhook_manager_required
def webhook_delete(request, pk: int):
    """Asks first (a POST without the confirmation changes nothing), then deletes."""
    endpoint = permissions.get_webhook_endpoint_for_user(request.user, pk)
    if not is_confirmed(request):
        return _delete_confirmation(request, endpoint)
    webhooks.webhook_endpoint_delete(endpoint=endpoint, actor=request.user, request=request)
    messages.success(request, _("The webhook was deleted."))
    return redirect("proposals:webhook_list")
