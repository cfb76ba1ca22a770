"""Pages for supporter care and incidents. Thin: the rules live in services and selectors."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kindred.accounts.models import User
from kindred.core.errors import add_to_form
from kindred.organisations.models import Organisation
from kindred.organisations.selectors import coordinated_organisations, organisations_of

from . import selectors, services
from .forms import (
    CheckInForm,
    CloseForm,
    DebriefForm,
    HandlerForm,
    IncidentOpenForm,
    InformForm,
    LogForm,
    PersonForm,
    ResourceForm,
    ShareResourcesForm,
    StepBackForm,
)
from .models import FEELING_KIND_WORDS, IncidentStatus, StepKey, SupporterCheckIn
from .services import CareError


def _posted(request: HttpRequest) -> Any:
    return request.POST if request.method == "POST" else None


# --- My care ----------------------------------------------------------------------------------------------------


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    checkins = list(selectors.checkins_of(user)[:50])
    step_back = selectors.open_step_back(user)
    came_back = services.last_come_back(user) if step_back is None else None
    return render(
        request,
        "care/home.html",
        {
            "checkins": checkins,
            "step_back": step_back,
            "gives_support": selectors.gives_support(user),
            "networks": selectors.network_organisations_of(user),
            "shared_count": selectors.checkins_shared_with(user).count(),
            "handles_incidents": selectors.incidents_for(user).exists(),
            "coordinated": coordinated_organisations(user),
            "history": list(selectors.step_backs_of(user).filter(ended_at__isnull=False)[:10]),
            "pick_up_count": len(services.meetings_to_pick_up(came_back)) if came_back else 0,
        },
    )


def _context_from(request: HttpRequest) -> tuple[Any, Any]:
    """The session or meeting a check-in is about, if any; 404 for anything the person may not check in about."""
    from kindred.groups.access import get_meeting_for
    from kindred.onetoone.practice import get_session_for

    session_id = request.GET.get("session") or request.POST.get("session")
    meeting_id = request.GET.get("meeting") or request.POST.get("meeting")
    session = meeting = None
    try:
        if session_id:
            session = get_session_for(request.user, session_id, act=True)
            if session.match.supporter_id != request.user.pk:
                raise Http404("No such session.")
        if meeting_id:
            meeting, viewer = get_meeting_for(request.user, meeting_id)
            if not viewer.can_facilitate:
                raise Http404("No such meeting.")
    except Http404:
        raise
    except (ValueError, ValidationError, PermissionDenied) as exc:  # malformed ids, or not theirs to check in on
        raise Http404("Not found.") from exc
    return session, meeting


@login_required
@require_http_methods(["GET", "POST"])
def checkin(request: HttpRequest) -> HttpResponse:
    session, meeting = _context_from(request)
    organisation = services.checkin_context_organisation(session=session, meeting=meeting)
    supervisors = services.supervisors_for(request.user, organisation)
    form = CheckInForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            record = services.checkin_record(actor=request.user, session=session, meeting=meeting, **form.cleaned_data)
        except CareError as error:
            add_to_form(form, error)
        else:
            messages.success(request, f"Thank you for checking in. {FEELING_KIND_WORDS[record.feeling]}")
            return redirect("care:home")
    return render(
        request,
        "care/checkin.html",
        {"form": form, "session": session, "meeting": meeting, "supervisors": supervisors},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def checkin_unshare(request: HttpRequest, public_id: str) -> HttpResponse:
    try:
        record = SupporterCheckIn.objects.filter(public_id=public_id, worker=request.user).first()
    except ValidationError:
        record = None
    if record is None:
        raise Http404("No such check-in.")
    services.checkin_unshare(actor=request.user, checkin=record)
    messages.success(request, "That check-in is private again.")
    return redirect("care:home")


@login_required
@require_GET
def shared(request: HttpRequest) -> HttpResponse:
    checkins = list(selectors.checkins_shared_with(request.user)[:200])
    services.shared_checkins_viewed(supervisor=request.user, count=len(checkins))
    return render(request, "care/shared.html", {"checkins": checkins})


# --- Step back --------------------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def step_back(request: HttpRequest) -> HttpResponse:
    current = selectors.open_step_back(request.user)
    if current is not None:
        return redirect("care:home")
    form = StepBackForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.step_back(actor=request.user, **form.cleaned_data)
        except CareError as error:
            add_to_form(form, error)
        else:
            messages.success(request, "You've stepped back. Take the time you need — we'll be here.")
            return redirect("care:home")
    return render(request, "care/step_back.html", {"form": form}, status=400 if form.errors else 200)


@login_required
@require_POST
def come_back(request: HttpRequest) -> HttpResponse:
    try:
        result = services.come_back(actor=request.user)
    except CareError as error:
        messages.error(request, str(error))
        return redirect("care:home")
    return render(request, "care/come_back.html", {"result": result})


@login_required
@require_http_methods(["GET", "POST"])
def pick_up(request: HttpRequest) -> HttpResponse:
    """Back on the rota, in one go, for the meetings released by the last step back that still need someone."""
    record = services.last_come_back(request.user)
    meetings = services.meetings_to_pick_up(record) if record is not None else []
    error = ""
    if request.method == "POST":
        try:
            chosen = services.pick_up_meetings(actor=request.user, meeting_ids=request.POST.getlist("meeting"))
        except CareError as failure:
            error = str(failure)
        else:
            messages.success(
                request,
                f"You're back on the rota for {len(chosen)} meeting{'s' if len(chosen) != 1 else ''}. Thank you.",
            )
            return redirect("care:home")
    elif not meetings:
        messages.info(request, "There are no meetings from before your break still needing someone.")
        return redirect("care:home")
    return render(request, "care/pick_up.html", {"meetings": meetings, "error": error}, status=400 if error else 200)


# --- Facilitators' network --------------------------------------------------------------------------------------


@login_required
@require_GET
def network(request: HttpRequest, org_slug: str) -> HttpResponse:
    organisation = Organisation.objects.filter(slug=org_slug).first()
    if organisation is None:
        raise Http404("No such network.")
    space = services.network_ensure(actor=request.user, organisation=organisation).space
    return redirect("community:space", slug=space.slug)


# --- Incidents --------------------------------------------------------------------------------------------------


@login_required
@require_GET
def incidents(request: HttpRequest) -> HttpResponse:
    rows = list(selectors.incidents_for(request.user))
    coordinated = list(coordinated_organisations(request.user))
    if not rows and not coordinated:
        raise Http404("Nothing here.")
    return render(request, "care/incidents.html", {"incidents": rows, "coordinated": coordinated})


def _places(organisation: Organisation) -> list[tuple[str, str]]:
    from kindred.community.models import Space, SpaceStatus
    from kindred.groups.models import Group, GroupStatus

    groups = Group.objects.filter(organisation=organisation).exclude(status=GroupStatus.CLOSED).order_by("name")
    spaces = Space.objects.filter(organisation=organisation, status=SpaceStatus.OPEN).order_by("name")
    return [(f"group:{g.slug}", f"Group: {g.name}") for g in groups] + [
        (f"space:{s.slug}", f"Space: {s.name}") for s in spaces
    ]


def _place(organisation: Organisation, value: str) -> tuple[Any, Any]:
    from kindred.community.models import Space
    from kindred.groups.models import Group

    kind, _, slug = (value or "").partition(":")
    if kind == "group":
        return Group.objects.filter(organisation=organisation, slug=slug).first(), None
    if kind == "space":
        return None, Space.objects.filter(organisation=organisation, slug=slug).first()
    return None, None


@login_required
@require_http_methods(["GET", "POST"])
def incident_new(request: HttpRequest, org_slug: str) -> HttpResponse:
    organisation = selectors.get_coordinated_organisation_for(request.user, org_slug)
    places = _places(organisation)
    initial = {}
    if request.GET.get("group"):
        initial["where"] = f"group:{request.GET['group']}"
    elif request.GET.get("space"):
        initial["where"] = f"space:{request.GET['space']}"
    form = IncidentOpenForm(_posted(request), places=places, initial=initial)
    if request.method == "POST" and form.is_valid():
        group, space = _place(organisation, form.cleaned_data["where"])
        try:
            incident = services.incident_open(
                actor=request.user,
                organisation=organisation,
                group=group,
                space=space,
                kind=form.cleaned_data["kind"],
                title=form.cleaned_data["title"],
                what_happened=form.cleaned_data["what_happened"],
            )
        except CareError as error:
            add_to_form(form, error)
        else:
            return redirect("care:incident", public_id=incident.public_id)
    return render(
        request,
        "care/incident_new.html",
        {"form": form, "organisation": organisation},
        status=400 if form.errors else 200,
    )


def _people_choices(incident: Any) -> list[tuple[str, str]]:
    ids = services.people_of_place(group=incident.group, space=incident.space)
    return [(str(u.public_id), u.display_name) for u in User.objects.filter(pk__in=ids).order_by("display_name")]


INCIDENT_FORMS = {
    "person": PersonForm,
    "inform": InformForm,
    "debrief": DebriefForm,
    "resources": ShareResourcesForm,
    "log": LogForm,
    "handler": HandlerForm,
    "close": CloseForm,
}


@login_required
@require_http_methods(["GET", "POST"])
def incident(request: HttpRequest, public_id: str) -> HttpResponse:
    record = selectors.get_incident_for(request.user, public_id)
    action = request.POST.get("action", "") if request.method == "POST" else ""
    people = _people_choices(record)
    forms: dict[str, Any] = {}
    for name, form_class in INCIDENT_FORMS.items():
        data = request.POST if action == name else None
        forms[name] = (
            form_class(data, people=people, prefix=name) if form_class is PersonForm else form_class(data, prefix=name)
        )
    if request.method == "POST":
        if action not in (*INCIDENT_FORMS, "stop_reminders", "remove_mailings"):
            return render(request, "care/incident.html", _incident_context(request, record, forms), status=400)
        status = _incident_action(request, record, action, forms.get(action))
        if status is None:
            return redirect(reverse("care:incident", args=[record.public_id]) + f"#{action}")
        return render(request, "care/incident.html", _incident_context(request, record, forms), status=status)
    services.incident_viewed(actor=request.user, incident=record)
    forms["person"] = PersonForm(
        people=people,
        prefix="person",
        initial={"person": str(record.person_concerned.public_id) if record.person_concerned else ""},
    )
    return render(request, "care/incident.html", _incident_context(request, record, forms))


def _incident_action(request: HttpRequest, record: Any, action: str, form: Any) -> int | None:
    """Do one step; None on success (redirect), else the status to re-render with."""
    user = request.user
    try:
        if action == "stop_reminders":
            services.stop_reminders(actor=user, incident=record)
            messages.success(request, "Reminders and nudges about them have stopped.")
            return None
        if action == "remove_mailings":
            services.remove_mailings(actor=user, incident=record)
            messages.success(request, "They have been removed from mailings.")
            return None
        if not form.is_valid():
            return 400
        data = form.cleaned_data
        if action == "person":
            person = User.objects.filter(public_id=data["person"]).first() if data["person"] else None
            services.incident_person_set(actor=user, incident=record, person=person)
        elif action == "inform":
            services.inform_facilitators(actor=user, incident=record, message=data["message"])
            messages.success(request, "The facilitators have been told.")
        elif action == "debrief":
            services.debrief_offer(actor=user, incident=record, **data)
            messages.success(request, "The debrief has been offered.")
        elif action == "resources":
            services.share_resources(actor=user, incident=record, audience=data["audience"])
            messages.success(request, "The support resources have been shared.")
        elif action == "log":
            services.incident_log_add(actor=user, incident=record, text=data["text"])
        elif action == "handler":
            services.incident_handler_add(actor=user, incident=record, email=data["email"])
            messages.success(request, "Added.")
        elif action == "close":
            services.incident_close(actor=user, incident=record, summary=data["summary"])
            messages.success(request, "The incident is closed.")
    except CareError as error:
        if form is None:
            messages.error(request, str(error))
            return 400
        add_to_form(form, error)
        return 400
    return None


def _incident_context(request: HttpRequest, record: Any, forms: dict[str, Any]) -> dict[str, Any]:
    done = {s.key: s for s in record.steps.select_related("done_by")}
    steps = [{"key": key, "label": label, "done": done.get(key)} for key, label in StepKey.choices]
    return {
        "incident": record,
        "steps": steps,
        "done": done,
        "forms": forms,
        "log": list(record.log.select_related("author")),
        "debriefs": list(record.debriefs.all()),
        "handlers": list(record.handlers.select_related("person")),
        "leaders": services.leaders_of(record),
        "resources": selectors.postvention_resources_of(record.organisation),
        "is_coordinator": selectors.is_incident_coordinator(request.user, record.organisation),
        "is_open": record.status == IncidentStatus.OPEN,
    }


# --- Postvention resources --------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def resources(request: HttpRequest, org_slug: str) -> HttpResponse:
    organisation = selectors.get_coordinated_organisation_for(request.user, org_slug)
    form = ResourceForm(request.POST if request.POST.get("action") == "add" else None)
    status = 200
    if request.method == "POST":
        try:
            if request.POST.get("action") == "remove":
                services.resource_remove(
                    actor=request.user, organisation=organisation, resource_id=request.POST.get("resource", "")
                )
                messages.success(request, "Removed from the list.")
                return redirect("care:resources", org_slug=organisation.slug)
            if form.is_valid():
                services.resource_add(actor=request.user, organisation=organisation, **form.cleaned_data)
                messages.success(request, "Added to the list.")
                return redirect("care:resources", org_slug=organisation.slug)
            status = 400
        except CareError as error:
            add_to_form(form, error)
            status = 400
    rows = selectors.postvention_resources_of(organisation)
    for index, row in enumerate(rows):
        row.setdefault("id", f"default-{index}")
    return render(
        request,
        "care/resources.html",
        {"organisation": organisation, "resources": rows, "form": form},
        status=status,
    )


@login_required
@require_GET
def support_after_loss(request: HttpRequest, org_slug: str) -> HttpResponse:
    organisation = organisations_of(request.user).filter(slug=org_slug).first()
    if organisation is None:
        raise Http404("No such organisation.")
    return render(
        request,
        "care/support_after_loss.html",
        {"organisation": organisation, "resources": selectors.postvention_resources_of(organisation)},
    )
