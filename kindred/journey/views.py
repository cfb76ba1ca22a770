"""My journey: private to the person. Thin views: selectors read, services write.

Everything here is the signed-in person's own; there is no way to ask for anyone else's journey, so staff and
coordinators see only their own too. Moments and reflections are fetched through journey.access (404 otherwise).
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kindred.commons.models import EndReason, Form

from . import selectors, services, timeline
from .access import get_moment_for, get_reflection_for
from .forms import DismissForm, MomentForm, ReflectionForm, StatusForm
from .services import JourneyError
from .suggestions import suggestions_for

_ZERO = UUID(int=0)
FORM_LABELS = dict(Form.choices)
END_LABELS = dict(EndReason.choices)


def _apply(form: Any, error: JourneyError) -> None:
    form.add_error(error.field if error.field in form.fields else None, str(error))


def _status_form(data: selectors.JourneyData) -> StatusForm:
    return StatusForm(initial={"status": data.status.status, "housebound": data.status.housebound})


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    data = selectors.journey_data(request.user)
    drawing = timeline.build(data.engagements, data.moments, data.periods, now=data.now)
    suggestions = suggestions_for(request.user, engagements=data.engagements, status=data.status, now=data.now)
    # One reverse() for every moment's links rather than two per moment.
    base = reverse("journey:moment_edit", args=[_ZERO]).removesuffix(f"{_ZERO}/")
    moments = [(m, f"{base}{m.public_id}/", f"{base}{m.public_id}/delete/") for m in data.moments]
    return render(
        request,
        "journey/home.html",
        {
            "data": data,
            "moments": moments,
            "timeline": drawing,
            "timeline_svg": timeline.svg_markup(drawing) if drawing else "",
            "table_rows": timeline.table_rows(data.engagements),
            "suggestions": suggestions[:4],
            "more_suggestions": max(0, len(suggestions) - 4),
            "moment_form": MomentForm(),
            "status_form": _status_form(data),
            "form_labels": FORM_LABELS,
            "end_labels": END_LABELS,
        },
    )


# --- Moments -------------------------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def moment_new(request: HttpRequest) -> HttpResponse:
    form = MomentForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.moment_create(actor=request.user, **form.cleaned_data)
            except JourneyError as error:
                _apply(form, error)
            else:
                messages.success(request, "Your moment has been added to your journey.")
                return redirect("journey:home")
        status = 400
    return render(request, "journey/moment_form.html", {"form": form, "moment": None}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def moment_edit(request: HttpRequest, public_id: str) -> HttpResponse:
    moment = get_moment_for(request.user, public_id)
    form = MomentForm(request.POST or None, initial={"happened_on": moment.happened_on, "text": moment.text})
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.moment_update(actor=request.user, moment=moment, **form.cleaned_data)
            except JourneyError as error:
                _apply(form, error)
            else:
                messages.success(request, "Your moment has been changed.")
                return redirect("journey:home")
        status = 400
    return render(request, "journey/moment_form.html", {"form": form, "moment": moment}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def moment_delete(request: HttpRequest, public_id: str) -> HttpResponse:
    moment = get_moment_for(request.user, public_id)
    if request.method == "POST":
        services.moment_delete(actor=request.user, moment=moment)
        messages.success(request, "That moment has been removed from your journey.")
        return redirect("journey:home")
    return render(
        request,
        "journey/confirm_delete.html",
        {"what": "this moment", "text": f"{moment.happened_on:%d %B %Y}: {moment.text}"},
    )


# --- Status --------------------------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def status(request: HttpRequest) -> HttpResponse:
    history = list(selectors.status_history_of(request.user))
    current = selectors.current_status(history)
    initial = {"status": current.status, "housebound": current.housebound}
    form = StatusForm(request.POST) if request.method == "POST" else StatusForm(initial=initial)
    code = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.status_set(
                    actor=request.user, status=form.cleaned_data["status"], housebound=form.cleaned_data["housebound"]
                )
            except JourneyError as error:
                _apply(form, error)
            else:
                messages.success(request, "Thank you — your status has been updated. Only you can see it.")
                return redirect("journey:home")
        code = 400
    return render(request, "journey/status.html", {"form": form, "history": history, "current": current}, status=code)


# --- Reflections ---------------------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def reflections(request: HttpRequest) -> HttpResponse:
    form = ReflectionForm(request.POST or None)
    code = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.reflection_create(actor=request.user, text=form.cleaned_data["text"])
            except JourneyError as error:
                _apply(form, error)
            else:
                messages.success(request, "Your reflection has been saved. Only you can read it.")
                return redirect("journey:reflections")
        code = 400
    items = list(selectors.reflections_of(request.user))
    return render(request, "journey/reflections.html", {"form": form, "reflections": items}, status=code)


@login_required
@require_http_methods(["GET", "POST"])
def reflection_edit(request: HttpRequest, public_id: str) -> HttpResponse:
    reflection = get_reflection_for(request.user, public_id)
    form = ReflectionForm(request.POST or None, initial={"text": reflection.text})
    code = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.reflection_update(actor=request.user, reflection=reflection, text=form.cleaned_data["text"])
            except JourneyError as error:
                _apply(form, error)
            else:
                messages.success(request, "Your reflection has been changed.")
                return redirect("journey:reflections")
        code = 400
    return render(request, "journey/reflection_form.html", {"form": form, "reflection": reflection}, status=code)


@login_required
@require_http_methods(["GET", "POST"])
def reflection_delete(request: HttpRequest, public_id: str) -> HttpResponse:
    reflection = get_reflection_for(request.user, public_id)
    if request.method == "POST":
        services.reflection_delete(actor=request.user, reflection=reflection)
        messages.success(request, "That reflection has been deleted.")
        return redirect("journey:reflections")
    return render(
        request,
        "journey/confirm_delete.html",
        {"what": "this reflection", "text": reflection.text[:200], "back": "journey:reflections"},
    )


# --- Suggestions ---------------------------------------------------------------------------------------------------


@login_required
@require_GET
def suggestions(request: HttpRequest) -> HttpResponse:
    data = selectors.journey_data(request.user)
    items = suggestions_for(request.user, engagements=data.engagements, status=data.status, now=data.now)
    return render(request, "journey/suggestions.html", {"suggestions": items})


@login_required
@require_POST
def suggestion_dismiss(request: HttpRequest) -> HttpResponse:
    form = DismissForm(request.POST)
    try:
        if not form.is_valid():
            raise JourneyError("We couldn't tell which suggestion that was. Please try again from the page.")
        services.suggestion_dismiss(actor=request.user, key=form.cleaned_data["key"])
    except JourneyError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "Thanks — we won't suggest that again.")
    back = request.POST.get("next", "")
    return redirect("journey:suggestions" if back == "suggestions" else "journey:home")
