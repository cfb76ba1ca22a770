"""Well-being pages. Thin: selectors read, services write, everything private to the person unless shared."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kindred.accounts.models import User
from kindred.commons.spine import form_periods
from kindred.organisations.access import get_organisation_for
from kindred.organisations.models import Role
from kindred.organisations.selectors import coordinated_organisations

from . import chart, selectors, services
from .forms import CheckInForm, GoalForm, GoalNoteForm, GoalStatusForm, RemindersForm, SettingsForm, ShareForm
from .measures import MEASURES, PHQ9, Measure, band_for
from .models import GoalStatus, ReminderFrequency, SelfHarmResponse, WellbeingSettings
from .services import WellbeingError


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _journey_url() -> str:
    """The journey page, if the journey capability is installed (it is built separately; never required)."""
    try:
        return reverse("journey:home")
    except NoReverseMatch:
        return ""


def _measure_for(user: User, code: str, enabling: list[WellbeingSettings]) -> Measure:
    available = {m.code: m for m in selectors.available_measures(user, enabling=enabling)}
    if code not in available:
        raise Http404("No such check-in.")
    return available[code]


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    measures = selectors.available_measures(user)
    context = {
        "measures": measures,
        "summaries": selectors.measure_summaries(user, [m.code for m in MEASURES.values()]),
        "goals": list(selectors.active_goal_titles(user)[:5]),
        "reminders": selectors.reminder_settings_of(user),
        "active_shares": [s for s in selectors.shares_of(user) if s.is_active],
        "shared_with_me": selectors.shares_with(user),
        "journey_url": _journey_url(),
        "coordinated": list(coordinated_organisations(user)),
    }
    return render(request, "wellbeing/home.html", context)


# --- Check-ins -----------------------------------------------------------------------------------------------


def _safeguarding_explained(enabling: list[WellbeingSettings]) -> list[dict[str, Any]]:
    return [
        {
            "organisation": s.organisation,
            "tells_leads": s.self_harm_response == SelfHarmResponse.NOTIFY_LEADS,
            "policy": s.organisation.safeguarding_policy,
        }
        for s in enabling
    ]


@login_required
@require_http_methods(["GET", "POST"])
def checkin(request: HttpRequest, measure: str) -> HttpResponse:
    user = _user(request)
    enabling = selectors.enabling_settings(user, with_leads=False)
    chosen = _measure_for(user, measure, enabling)
    form = CheckInForm(chosen, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.checkin_submit(actor=user, measure=chosen.code, answers=form.answers())
        except WellbeingError as error:
            form.add_error(None, str(error))
        else:
            return redirect("wellbeing:result", public_id=saved.public_id)
    explained = _safeguarding_explained([s for s in enabling if s.phq9_enabled]) if chosen.code == PHQ9 else []
    context = {"measure": chosen, "form": form, "safeguarding": explained}
    return render(request, "wellbeing/checkin.html", context, status=400 if form.is_bound else 200)


@login_required
@require_GET
def result(request: HttpRequest, public_id: str) -> HttpResponse:
    user = _user(request)
    found = selectors.get_checkin_for(user, public_id)
    measure = MEASURES[found.measure]
    rows = []
    for key, label in measure.series:
        value = found.scores.get(key)
        if value is not None:
            rows.append({"label": label, "value": value, "band": band_for(measure.code, key, value)})
    safeguarding: list[dict[str, Any]] = []
    if found.self_harm:
        safeguarding = [
            {"organisation": f.organisation, "tells_leads": f.tells_leads}
            for f in selectors.followups_for(found)
            if f.organisation is not None
        ]
    context = {
        "checkin": found,
        "measure": measure,
        "rows": rows,
        "safeguarding": safeguarding,
        "crisis_organisation": found.organisation,
    }
    return render(request, "wellbeing/result.html", context)


@login_required
@require_GET
def chart_page(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    checkins = selectors.chart_rows(user)
    now = timezone.now()
    context = {
        "panels": chart.build_panels(checkins, form_periods(user, now=now), now=now),
        "table_body": chart.table_body(chart.table_rows(checkins)),
        "legend": [
            (label, chart.legend_swatch(form), chart.PATTERN_WORDS[form])
            for form, (label, _, _) in chart.FORM_STYLES.items()
        ],
        "journey_url": _journey_url(),
    }
    return render(request, "wellbeing/chart.html", context)


# --- Goals ---------------------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def goals(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form = GoalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            goal = services.goal_create(actor=user, **form.cleaned_data)
        except WellbeingError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Your goal is saved. Only you can see it.")
            return redirect("wellbeing:goal", public_id=goal.public_id)
    return render(request, "wellbeing/goals.html", {"goals": selectors.goals_of(user), "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def goal(request: HttpRequest, public_id: str) -> HttpResponse:
    user = _user(request)
    found = selectors.get_goal_for(user, public_id)
    action = request.POST.get("action", "") if request.method == "POST" else ""
    note_form = GoalNoteForm(request.POST if action == "note" else None)
    status_form = GoalStatusForm(request.POST if action == "status" else None, initial={"status": found.status})
    edit_form = GoalForm(
        request.POST if action == "edit" else None,
        initial={"title": found.title, "why": found.why, "target_date": found.target_date},
        prefix="edit",
    )
    try:
        if action == "note" and note_form.is_valid():
            services.goal_note_add(actor=user, goal=found, **note_form.cleaned_data)
            messages.success(request, "Progress note added.")
            return redirect("wellbeing:goal", public_id=found.public_id)
        if action == "status" and status_form.is_valid():
            services.goal_set_status(actor=user, goal=found, status=status_form.cleaned_data["status"])
            messages.success(request, f"Marked as: {GoalStatus(found.status).label.lower()}.")
            return redirect("wellbeing:goal", public_id=found.public_id)
        if action == "edit" and edit_form.is_valid():
            services.goal_update(actor=user, goal=found, **edit_form.cleaned_data)
            messages.success(request, "Goal updated.")
            return redirect("wellbeing:goal", public_id=found.public_id)
        if action == "delete":
            services.goal_delete(actor=user, goal=found)
            messages.success(request, "Goal deleted.")
            return redirect("wellbeing:goals")
    except WellbeingError as error:
        messages.error(request, str(error))
    context = {
        "goal": found,
        "notes": list(found.notes.order_by("created_at", "id")),
        "note_form": note_form,
        "status_form": status_form,
        "edit_form": edit_form,
    }
    return render(request, "wellbeing/goal.html", context, status=400 if action else 200)


# --- Reminders -----------------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def reminders(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    current = selectors.reminder_settings_of(user)
    measures = selectors.available_measures(user)
    form = RemindersForm(
        request.POST or None,
        measures=measures,
        initial={"frequency": current.frequency, "measures": current.measures},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.reminders_update(
                actor=user, frequency=form.cleaned_data["frequency"], measures=form.cleaned_data["measures"]
            )
        except WellbeingError as error:
            form.add_error(None, str(error))
        else:
            off = form.cleaned_data["frequency"] == ReminderFrequency.OFF
            messages.success(request, "Reminders are off." if off else "Reminders saved. You can change them any time.")
            return redirect("wellbeing:reminders")
    return render(request, "wellbeing/reminders.html", {"form": form, "current": current})


# --- Sharing -------------------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def sharing(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    supporters = selectors.eligible_supporters(user)
    form = ShareForm(request.POST or None, supporters=supporters, measures=selectors.available_measures(user))
    if request.method == "POST" and form.is_valid():
        chosen = next(s.user for s in supporters if str(s.user.public_id) == form.cleaned_data["supporter"])
        try:
            services.share_create(
                actor=user,
                supporter=chosen,
                measures=form.cleaned_data["measures"],
                include_goals=form.cleaned_data["include_goals"],
            )
        except WellbeingError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"You are now sharing a summary with {chosen.display_name}.")
            return redirect("wellbeing:sharing")
    context = {"form": form, "supporters": supporters, "shares": selectors.shares_of(user)}
    return render(request, "wellbeing/sharing.html", context, status=400 if form.is_bound else 200)


@login_required
@require_POST
def share_stop(request: HttpRequest, public_id: str) -> HttpResponse:
    user = _user(request)
    share = selectors.get_own_share_for(user, public_id)
    services.share_revoke(actor=user, share=share)
    messages.success(request, f"You have stopped sharing with {share.supporter.display_name}.")
    return redirect("wellbeing:sharing")


@login_required
@require_GET
def shared_with_me(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    return render(request, "wellbeing/shared_list.html", {"shares": selectors.shares_with(user)})


@login_required
@require_GET
def shared(request: HttpRequest, public_id: str) -> HttpResponse:
    share = selectors.get_shared_for(_user(request), public_id)
    return render(request, "wellbeing/shared.html", {"summary": selectors.shared_summary(share)})


# --- An organisation's settings ------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def organisation_settings(request: HttpRequest, slug: str) -> HttpResponse:
    user = _user(request)
    organisation = get_organisation_for(user, slug, require_role=Role.COORDINATOR)
    current = selectors.settings_for(organisation)
    leads = selectors.lead_candidates(organisation)
    initial = {
        "phq9_enabled": current.phq9_enabled,
        "gad7_enabled": current.gad7_enabled,
        "self_harm_response": current.self_harm_response,
        "safeguarding_leads": list(current.safeguarding_leads.all()) if current.pk else [],
    }
    form = SettingsForm(request.POST or None, leads=leads, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.settings_update(actor=user, organisation=organisation, **form.cleaned_data)
        except WellbeingError as error:
            if error.code == "forbidden":
                raise PermissionDenied(str(error)) from error
            form.add_error(None, str(error))
        else:
            messages.success(request, "Well-being settings saved.")
            return redirect("wellbeing:organisation_settings", slug=organisation.slug)
    return render(
        request,
        "wellbeing/organisation_settings.html",
        {"organisation": organisation, "form": form},
        status=400 if form.is_bound else 200,
    )
