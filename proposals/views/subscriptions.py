"""E-mail subscriptions to new answers: a public form, then links in the e-mails.

The links carry a long random token. Opening one shows a button: a mail scanner that
follows links confirms or cancels nothing.
"""

import logging

from django.core.cache import cache
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from briefing.platform.clients import client_hash
from proposals.models import Subscription
from proposals.public_forms import SubscriptionForm
from proposals.services import subscriptions

log = logging.getLogger(__name__)

# Subscriptions one client may ask for in an hour. Each may send a confirmation e-mail,
# so a bot must not turn the form into a mailer (one address alone is limited further
# by subscriptions.CONFIRMATION_INTERVAL).
SUBSCRIBE_LIMIT = 20


def _over_limit(request) -> bool:
    key = "subscribe:client:" + client_hash(request)  # the cache keeps no address
    try:
        cache.add(key, 0, 60 * 60)
        return cache.incr(key) > SUBSCRIBE_LIMIT
    except Exception as exc:  # a dead cache must not turn readers away
        log.warning("subscription limit not checked: %s", exc)
        return False


def subscribe(request):
    # ?field= (the link on an answer's page) proposes that answer's field.
    form = SubscriptionForm(request.POST or None, initial={"field": request.GET.get("field")})
    status = 200
    if request.method == "POST" and form.is_valid():
        if not _over_limit(request):
            subscriptions.subscription_request(
                email=form.cleaned_data["email"], field=form.cleaned_data["field"]
            )
            return redirect("answers:subscribe_sent")
        form.add_error(None, _("Too many subscriptions from your connection: try again later."))
        status = 429
    return render(
        request,
        "proposals/subscription_form.html",
        {"form": form},
        status=400 if status == 200 and form.errors else status,
    )


def subscribe_sent(request):
    return render(request, "proposals/subscription_form.html", {"sent": True})


def _token_page(request, token: str, action: str):
    subscription = get_object_or_404(Subscription.objects.select_related("field"), token=token)
    done = request.method == "POST"
    if done and action == "confirm":
        subscriptions.subscription_confirm(subscription=subscription)
    elif done:
        subscriptions.subscription_cancel(subscription=subscription)
    return render(
        request,
        "proposals/subscription_action.html",
        {"subscription": subscription, "action": action, "done": done},
    )


def subscription_confirm(request, token):
    return _token_page(request, token, "confirm")


# The mail program's one-click unsubscribe (List-Unsubscribe-Post, RFC 8058) posts here
# without our form; the 43-character token in the URL is what authorises it.
@csrf_exempt
def subscription_cancel(request, token):
    return _token_page(request, token, "cancel")
