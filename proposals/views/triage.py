"""The Ministry Office's triage: accept and assign one recommendation (the unit proposed
from its field) or several from the worklist, mark a duplicate by choosing among the
similar ones, and the similar recommendations a department sees while it writes."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from proposals import permissions, selectors
from proposals.forms import AcceptForm, BulkAcceptForm, DuplicateForm
from proposals.models import Recommendation
from proposals.permissions import get_recommendation_for_user
from proposals.services import recommendations
from proposals.similar import similar_recommendations
from proposals.views.common import add_errors, staff_required
from proposals.views.worklist import render_list
from proposals.workflow import TRANSITIONS, TransitionError, may_be_original


def proposed_unit(rec: Recommendation):
    """The unit that most often answered accepted recommendations of the same field
    (fields have no owner unit: who answers them is the office's practice)."""
    row = (
        Recommendation.objects.filter(field_id=rec.field_id, responsible_unit__isnull=False)
        .exclude(pk=rec.pk)
        .values("responsible_unit")
        .annotate(total=Count("pk"))
        .order_by("-total", "responsible_unit")
        .first()
    )
    return row["responsible_unit"] if row else None


def _office_recommendation(request, pk) -> Recommendation:
    rec = get_recommendation_for_user(request.user, pk)
    if not permissions.is_office(request.user):
        raise PermissionDenied
    return selectors.recommendation_detail(rec)


def _similar(request, rec):
    return similar_recommendations(
        request.user, title=rec.title, content=rec.content, field=rec.field, exclude=rec
    )


def _act(request, rec, form, run, success):
    """Call the service through `run()`; a redirect to the recommendation when it is
    done or no longer possible, None when the form shows the errors."""
    try:
        run()
    except ValidationError as exc:
        add_errors(form, exc)
        return None
    except TransitionError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, success)
    return redirect("proposals:detail", pk=rec.pk)


def _triage_page(request, template, rec, form, extra=None):
    context = {"rec": rec, "form": form, **(extra or {})}
    status = 400 if request.method == "POST" else 200
    return render(request, template, context, status=status)


@staff_required
def recommendation_accept(request, pk):
    rec = _office_recommendation(request, pk)
    unit = proposed_unit(rec)
    form = AcceptForm(request.POST or None, initial={"unit": unit})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        done = _act(
            request,
            rec,
            form,
            lambda: recommendations.recommendation_accept(
                recommendation_id=rec.pk,
                actor=request.user,
                unit=data["unit"],
                cooperating_units=data["cooperating_units"],
                deadline=data["deadline"],
                note=data["note"],
            ),
            _("%(code)s was assigned to %(unit)s.")
            % {"code": rec.code, "unit": data["unit"].short_name},
        )
        if done:
            return done
    return _triage_page(
        request,
        "proposals/recommendation_accept.html",
        rec,
        form,
        {
            "transition": TRANSITIONS["accept"],
            "proposed_unit": unit,
            "similar": _similar(request, rec),
        },
    )


@staff_required
def recommendation_merge(request, pk):
    rec = _office_recommendation(request, pk)
    candidates = [s for s in _similar(request, rec) if may_be_original(s.recommendation)]
    form = DuplicateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        original = form.cleaned_data["original"]
        done = _act(
            request,
            rec,
            form,
            lambda: recommendations.recommendation_mark_duplicate(
                recommendation_id=rec.pk,
                actor=request.user,
                original=original,
                note=form.cleaned_data["note"],
            ),
            _("%(code)s was marked as a duplicate of %(original)s.")
            % {"code": rec.code, "original": original.code},
        )
        if done:
            return done
    return _triage_page(
        request,
        "proposals/recommendation_duplicate.html",
        rec,
        form,
        {
            "transition": TRANSITIONS["merge"],
            "candidates": candidates,
            "chosen": str(form["candidate"].value() or ""),
        },
    )


def bulk_accept(request, form) -> tuple[list, list]:
    """Each selected recommendation through the same service as one accept, each in
    its own transaction: one refused (taken by a colleague meanwhile) does not undo
    the others. Returns the codes accepted and (code, reason) of those refused."""
    data, done, refused = form.cleaned_data, [], []
    for rec in data["selected"].order_by("code"):
        try:
            get_recommendation_for_user(request.user, rec.pk)
            recommendations.recommendation_accept(
                recommendation_id=rec.pk,
                actor=request.user,
                unit=data["unit"],
                cooperating_units=[],
                deadline=data["deadline"],
                note=data["note"],
            )
        except ValidationError as exc:
            refused.append((rec.code, " ".join(exc.messages)))
        except TransitionError as exc:
            refused.append((rec.code, exc.message))
        else:
            done.append(rec.code)
    return done, refused


@staff_required
@require_POST
def recommendation_bulk_accept(request):
    """Accept and assign the recommendations selected on the worklist: the list again
    with the errors next to the fields when the form is wrong; a summary otherwise."""
    if not permissions.is_office(request.user):
        raise PermissionDenied
    form = BulkAcceptForm(request.POST)
    if not form.is_valid():
        return render_list(request, bulk_form=form, status=400)
    done, refused = bulk_accept(request, form)
    unit = form.cleaned_data["unit"].short_name
    if done:
        messages.success(
            request,
            ngettext(
                "%(count)s recommendation was assigned to %(unit)s: %(codes)s.",
                "%(count)s recommendations were assigned to %(unit)s: %(codes)s.",
                len(done),
            )
            % {"count": len(done), "unit": unit, "codes": ", ".join(done)},
        )
    for code, reason in refused:
        messages.error(
            request, _("%(code)s was not assigned: %(reason)s") % {"code": code, "reason": reason}
        )
    # Back to the list as it was filtered (the form posts with the list's query).
    query = request.GET.urlencode()
    return redirect(reverse("proposals:list") + (f"?{query}" if query else ""))


@staff_required
@require_POST
def recommendation_similar(request):
    """The similar recommendations of the text being written: a fragment for the
    form's script, or a page of its own (the form's button without JavaScript)."""
    title, content = request.POST.get("title", ""), request.POST.get("content", "")
    rec_id = request.POST.get("rec", "")
    # The recommendation being edited is not similar to itself (and only one the user
    # may open is looked up).
    exclude = (
        permissions.visible_recommendations(request.user).filter(pk=int(rec_id)).first()
        if rec_id.isdigit() and len(rec_id) < 19
        else None
    )
    similar = similar_recommendations(
        request.user, title=title[:300], content=content[:20000], exclude=exclude
    )
    fragment = request.headers.get("X-Requested-With") == "fetch"
    template = "proposals/includes/similar.html" if fragment else "proposals/similar_page.html"
    return render(request, template, {"similar": similar, "checked": True, "title": title})
