"""E-mail subscriptions to new answers: a public form, then links in the e-mails.

The links carry a long random token. Opening one shows a button: a mail scanner that
follows links confirms or cancels nothing.
"""

from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.csrf import csrf_exempt

from proposals import services
from proposals.models import Subscription
from proposals.public_forms import SubscriptionForm


def subscribe(request):
    # ?field= (the link on an answer's page) proposes that answer's field.
    form = SubscriptionForm(request.POST or None, initial={"field": request.GET.get("field")})
    if request.method == "POST" and form.is_valid():
        services.subscription_request(
            email=form.cleaned_data["email"], field=form.cleaned_data["field"]
        )
        return redirect("answers:subscribe_sent")
    return render(
        request,
        "proposals/subscription_form.html",
        {"form": form},
        status=400 if form.errors else 200,
    )


def subscribe_sent(request):
    return render(request, "proposals/subscription_form.html", {"sent": True})


def _token_page(request, token: str, action: str):
    subscription = get_object_or_404(Subscription.objects.select_related("field"), token=token)
    done = request.method == "POST"
    if done and action == "confirm":
        services.subscription_confirm(subscription=subscription)
    elif done:
        services.subscription_cancel(subscription=subscription)
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
