"""The Ministry Office locks a reporting period (no more values) and reopens it with a
reason; both are recorded as events of the period and listed here."""

from django import forms
from django.contrib import messages
from django.db.models import Count, Prefetch, Q
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from briefing.models.organisations import RoleCode
from briefing.organisations import roles
from briefing.platform.confirm import is_confirmed
from briefing.platform.forms import NormalisedInput
from indicators import selectors, services
from indicators.models import Event, Status
from indicators.views.confirmations import confirm_lock

office_only = roles.role_required(RoleCode.OFFICE_COORDINATOR)


class PeriodNoteForm(NormalisedInput, forms.Form):
    note = forms.CharField(label=gettext_lazy("Reason"), max_length=2000)

    def __init__(self, *args, required: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["note"].required = required
        if not required:
            self.fields["note"].label = gettext_lazy("Note (optional)")


def _page(request, *, failed=None, form=None, status=200):
    """Every period that has begun, newest first (the catalogue's years make a few dozen),
    with its report counts and its lock history: three queries."""
    periods = (
        selectors.reportable_periods()
        .annotate(
            reports=Count("submissions", filter=~Q(submissions__status=Status.DRAFT)),
            approved=Count("submissions", filter=Q(submissions__status=Status.APPROVED)),
        )
        .prefetch_related(
            Prefetch(
                "events",
                queryset=Event.objects.filter(submission__isnull=True)
                .select_related("actor")
                .order_by("-created_at", "-pk"),
                to_attr="history",
            )
        )
    )
    rows = [
        (
            period,
            form
            if period.pk == failed
            else PeriodNoteForm(required=period.is_locked, prefix=f"p{period.pk}"),
        )
        for period in periods
    ]
    return render(request, "indicators/period_list.html", {"rows": rows}, status=status)


@office_only
def period_list(request):
    return _page(request)


@office_only
def period_action(request, slug: str, action: str):
    period = selectors.period_from_slug(slug)
    if period is None or action not in ("lock", "reopen"):
        raise Http404
    reopening = action == "reopen"
    if request.method != "POST" and reopening:
        return HttpResponseNotAllowed(["POST"])
    form = PeriodNoteForm(request.POST or None, required=reopening, prefix=f"p{period.pk}")
    # Locking stops every department's reporting: its page says so and asks to confirm.
    if not reopening and not period.is_locked and not is_confirmed(request):
        return confirm_lock(request, period, form)
    if request.method != "POST":
        return redirect("indicators:periods")
    if form.is_valid():
        change = services.period_reopen if reopening else services.period_lock
        try:
            change(period_id=period.pk, actor=request.user, note=form.cleaned_data["note"])
        except services.ReportError as error:
            form.add_error(None, error.message)
        else:
            text = _("%(period)s was reopened.") if reopening else _("%(period)s is locked.")
            messages.success(request, text % {"period": period.label})
            return redirect("indicators:periods")
    return _page(request, failed=period.pk, form=form, status=400)
