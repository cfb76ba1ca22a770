"""Pages for sessions, private notes, ending well, practice logs, well-being check-ins and supervision.

Thin: every page fetches through the access helpers in `practice` (404 to outsiders) and writes through its services.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django import forms as django_forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kindred.care.models import SupporterCheckIn
from kindred.core.errors import add_to_form
from kindred.organisations.models import Role
from kindred.organisations.selectors import people_with_roles

from . import practice
from .forms_practice import (
    AssignmentForm,
    DilemmaForm,
    DisclosureForm,
    EndingForm,
    NoteForm,
    SessionForm,
    SessionStatusForm,
    SupervisionRecordForm,
)
from .models import (
    BoundaryDilemma,
    DisclosureLog,
    Ending,
    MatchStatus,
    Scheme,
    Session,
    SupervisionAssignment,
    SupervisionRecord,
)

# --- Sessions -----------------------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def session_list(request: HttpRequest, match_id: str) -> HttpResponse:
    match = practice.get_match_for(request.user, match_id)
    party = practice.in_relationship(request.user, match)
    form = SessionForm(request.POST or None) if party else None
    if request.method == "POST":
        if not party:
            raise Http404("No such relationship.")
        if form is not None and form.is_valid():
            try:
                session = practice.session_log(actor=request.user, match=match, **form.cleaned_data)
            except practice.PracticeError as error:
                add_to_form(form, error)
            else:
                messages.success(request, "Session saved.")
                return redirect("onetoone:session_detail", session.public_id)
    sessions = practice.sessions_of(match)
    other = match.seeker if request.user.pk == match.supporter_id else match.supporter
    return render(
        request,
        "onetoone/session_list.html",
        {
            "match": match,
            "party": party,
            "other": other,
            "form": form,
            "sessions": sessions,
            "contact_hours": practice.hours_and_minutes(practice.contact_minutes(sessions)),
            "is_supporter": request.user.pk == match.supporter_id,
            "active": match.status == MatchStatus.ACTIVE,
        },
        status=400 if form is not None and form.errors else 200,
    )


@login_required
@require_GET
def session_detail(request: HttpRequest, session_id: str) -> HttpResponse:
    session = practice.get_session_for(request.user, session_id)
    match = session.match
    party = practice.in_relationship(request.user, match)
    notes = practice.notes_readable_by(request.user, session)
    is_supporter = request.user.pk == match.supporter_id
    return render(
        request,
        "onetoone/session_detail.html",
        {
            "session": session,
            "match": match,
            "party": party,
            "is_supporter": is_supporter,
            "notes": notes,
            "note_form": NoteForm() if party else None,
            "disclosure_form": DisclosureForm() if is_supporter else None,
            "disclosures": DisclosureLog.objects.filter(session=session, worker=request.user) if is_supporter else [],
            "supervisor_reads": practice.supervisors_may_read_notes(match),
            "in_future": session.starts_at > timezone.now(),
        },
    )


@login_required
@require_POST
def session_update(request: HttpRequest, session_id: str) -> HttpResponse:
    session = practice.get_session_for(request.user, session_id, act=True)
    form = SessionStatusForm(request.POST)
    if form.is_valid():
        try:
            practice.session_update(actor=request.user, session=session, status=form.cleaned_data["status"])
        except practice.PracticeError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, "Session updated.")
    else:
        messages.error(request, "Please choose what happened.")
    return redirect("onetoone:session_detail", session.public_id)


@login_required
@require_POST
def session_note_add(request: HttpRequest, session_id: str) -> HttpResponse:
    session = practice.get_session_for(request.user, session_id, act=True)
    form = NoteForm(request.POST)
    if form.is_valid():
        try:
            practice.note_add(actor=request.user, session=session, body=form.cleaned_data["body"])
        except practice.PracticeError as error:
            add_to_form(form, error)
        else:
            messages.success(request, "Your note is saved. Only you can read it.")
            return redirect("onetoone:session_detail", session.public_id)
    return _session_form_error(request, session, note_form=form)


@login_required
@require_POST
def session_disclosure_add(request: HttpRequest, session_id: str) -> HttpResponse:
    session = practice.get_session_for(request.user, session_id, act=True)
    form = DisclosureForm(request.POST)
    if form.is_valid():
        try:
            practice.disclosure_log(actor=request.user, session=session, **form.cleaned_data)
        except practice.PracticeError as error:
            add_to_form(form, error)
        else:
            messages.success(request, "Added to your disclosure log.")
            return redirect("onetoone:session_detail", session.public_id)
    return _session_form_error(request, session, disclosure_form=form)


def _session_form_error(request: HttpRequest, session: Session, **forms: Any) -> HttpResponse:
    match = session.match
    is_supporter = request.user.pk == match.supporter_id
    context = {
        "session": session,
        "match": match,
        "party": True,
        "is_supporter": is_supporter,
        "notes": practice.notes_readable_by(request.user, session),
        "note_form": NoteForm(),
        "disclosure_form": DisclosureForm() if is_supporter else None,
        "disclosures": DisclosureLog.objects.filter(session=session, worker=request.user) if is_supporter else [],
        "supervisor_reads": practice.supervisors_may_read_notes(match),
        "in_future": session.starts_at > timezone.now(),
    }
    context.update(forms)
    context["form"] = next(iter(forms.values()))  # the error summary
    return render(request, "onetoone/session_detail.html", context, status=400)


# --- Ending well --------------------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def practice_ending(request: HttpRequest, match_id: str) -> HttpResponse:
    match = practice.get_match_for(request.user, match_id, act=True)
    ending = Ending.objects.filter(match=match).first()
    form = None
    if ending is None:
        form = EndingForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                ending = practice.match_end_well(
                    actor=request.user,
                    match=match,
                    reflection=form.cleaned_data["reflection"],
                    suggested_forms=form.cleaned_data["suggested_forms"],
                )
            except practice.PracticeError as error:
                add_to_form(form, error)
            else:
                messages.success(request, "Your one-to-one has come to a close. Thank you for the time you gave it.")
                return redirect("onetoone:practice_ending", match.public_id)
    elif request.method == "POST":
        messages.info(request, "This one-to-one has already ended.")
    return render(
        request,
        "onetoone/practice_ending.html",
        {
            "match": match,
            "ending": ending,
            "form": form,
            "own_reflection": ending.reflection if ending and ending.ended_by_id == request.user.pk else "",
            "suggestions": practice.suggestion_links(ending.suggested_forms) if ending else [],
            "offers": practice.suggested_offers(match, ending.suggested_forms) if ending else [],
        },
        status=400 if form is not None and form.errors else 200,
    )


# --- My practice --------------------------------------------------------------------------------------------------


@login_required
@require_GET
def practice_home(request: HttpRequest) -> HttpResponse:
    user = request.user
    caseload = list(practice.caseload_of(user))
    held = Session.objects.filter(match__supporter=user)
    return render(
        request,
        "onetoone/practice_home.html",
        {
            "caseload": caseload,
            "contact_hours": practice.hours_and_minutes(practice.contact_minutes(held)),
            "recent_sessions": practice.sessions_needing_checkin(user).select_related("match__seeker")[:5],
            "dilemmas": BoundaryDilemma.objects.filter(worker=user).select_related("organisation")[:20],
            "disclosures": DisclosureLog.objects.filter(worker=user).select_related("session")[:20],
            "checkins": SupporterCheckIn.objects.filter(worker=user)[:10],
            "records": SupervisionRecord.objects.filter(supervisee=user).select_related("supervisor", "organisation")[
                :20
            ],
            "supervisors": SupervisionAssignment.objects.filter(supervisee=user, ended_at__isnull=True).select_related(
                "supervisor", "organisation"
            ),
            "can_log_dilemmas": bool(_supporting_organisations(user)),
        },
    )


def _supporting_organisations(user: Any) -> list[Any]:
    from kindred.organisations.models import Organisation

    return list(
        Organisation.objects.filter(
            memberships__user=user, memberships__role__in=[r.value for r in practice.SUPPORTING_ROLES]
        ).distinct()
    )


@login_required
@require_http_methods(["GET", "POST"])
def practice_dilemma_add(request: HttpRequest) -> HttpResponse:
    organisations = _supporting_organisations(request.user)
    if not organisations:
        raise Http404("Nothing here.")
    form = DilemmaForm(request.POST or None)
    choices = [(o.slug, o.name) for o in organisations]
    form.fields["organisation"] = django_forms.ChoiceField(
        label="Organisation",
        choices=choices,
        initial=choices[0][0],
        error_messages={
            "required": "Please choose the organisation.",
            "invalid_choice": "Please choose one of your organisations.",
        },
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        organisation = next(o for o in organisations if o.slug == data.pop("organisation"))
        try:
            practice.dilemma_log(actor=request.user, organisation=organisation, **data)
        except practice.PracticeError as error:
            add_to_form(form, error)
        else:
            messages.success(request, "Added to your boundary-dilemma log.")
            return redirect("onetoone:practice_home")
    return render(request, "onetoone/practice_dilemma.html", {"form": form}, status=400 if form.errors else 200)


@login_required
@require_GET
def wellbeing_checkin(request: HttpRequest) -> HttpResponse:
    """The after-session check-in is the one supporter check-in of kindred.care."""
    url = reverse("care:checkin")
    session_id = request.GET.get("session")
    return redirect(f"{url}?{urlencode({'session': session_id})}" if session_id else url)


# --- Supervision --------------------------------------------------------------------------------------------------


@login_required
@require_GET
def supervision_home(request: HttpRequest) -> HttpResponse:
    assignments = list(practice.supervisees_of(request.user))
    rows = []
    for assignment in assignments:
        caseload = practice.caseload_of(assignment.supervisee, assignment.organisation)
        rows.append(
            {
                "assignment": assignment,
                "caseload": caseload.count(),
                "wants_to_talk": SupporterCheckIn.objects.filter(
                    worker=assignment.supervisee, would_like_to_talk=True
                ).exists(),
            }
        )
    return render(request, "onetoone/supervision_home.html", {"rows": rows})


@login_required
@require_http_methods(["GET", "POST"])
def supervision_supervisee(request: HttpRequest, organisation_slug: str, person_id: str) -> HttpResponse:
    organisation, person = practice.get_supervisee_for(request.user, organisation_slug, person_id)
    form = SupervisionRecordForm(request.POST or None, initial={"held_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            practice.supervision_record_add(
                actor=request.user, organisation=organisation, supervisee=person, **form.cleaned_data
            )
        except practice.PracticeError as error:
            add_to_form(form, error)
        else:
            messages.success(request, "Supervision recorded.")
            return redirect("onetoone:supervision_supervisee", organisation.slug, person.public_id)
    overview = practice.supervisee_overview(supervisor=request.user, organisation=organisation, person=person)
    return render(
        request,
        "onetoone/supervision_supervisee.html",
        {"overview": overview, "form": form, "organisation": organisation, "person": person},
        status=400 if form.errors else 200,
    )


@login_required
@require_GET
def supervision_note(request: HttpRequest, note_id: str) -> HttpResponse:
    note = practice.get_note_for(request.user, note_id)
    practice.note_read(reader=request.user, note=note)
    return render(request, "onetoone/supervision_note.html", {"note": note, "session": note.session})


# --- Coordinator settings ---------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def practice_settings(request: HttpRequest, organisation_slug: str) -> HttpResponse:
    organisation = practice.get_practice_organisation_for(request.user, organisation_slug)
    people = list(people_with_roles(organisation))
    supervisors = [
        (str(p.public_id), p.display_name) for p in people if any(m.role == Role.SUPERVISOR for m in p.roles_here)
    ]
    supervisees = [
        (str(p.public_id), p.display_name)
        for p in people
        if any(m.role in (Role.PSW, Role.PEER, Role.FACILITATOR) for m in p.roles_here)
    ]
    assign_form = AssignmentForm(supervisors=supervisors, supervisees=supervisees)
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "assign":
            assign_form = AssignmentForm(request.POST, supervisors=supervisors, supervisees=supervisees)
            if assign_form.is_valid():
                by_id = {str(p.public_id): p for p in people}
                try:
                    practice.supervision_assign(
                        actor=request.user,
                        organisation=organisation,
                        supervisor=by_id[assign_form.cleaned_data["supervisor"]],
                        supervisee=by_id[assign_form.cleaned_data["supervisee"]],
                    )
                except practice.PracticeError as error:
                    add_to_form(assign_form, error)
                else:
                    messages.success(request, "Supervision arranged.")
                    return redirect("onetoone:practice_settings", organisation.slug)
        elif action == "end":
            assignment = (
                SupervisionAssignment.objects.filter(
                    organisation=organisation, pk=request.POST.get("assignment") or 0, ended_at__isnull=True
                ).first()
                if (request.POST.get("assignment") or "").isdigit()
                else None
            )
            if assignment is None:
                raise Http404("No such supervision arrangement.")
            practice.supervision_end(actor=request.user, assignment=assignment)
            messages.success(request, "Supervision arrangement ended.")
            return redirect("onetoone:practice_settings", organisation.slug)
        else:
            messages.error(request, "Please use one of the buttons on the page.")
    failed = bool(assign_form.errors)
    return render(
        request,
        "onetoone/practice_settings.html",
        {
            "organisation": organisation,
            "contact_hours": practice.hours_and_minutes(practice.organisation_contact_minutes(organisation)),
            "assign_form": assign_form,
            "form": assign_form,
            # Whether supervisors may read notes is each scheme's setting: listed here, changed in its settings.
            "schemes": Scheme.objects.filter(organisation=organisation).select_related("offer"),
            "assignments": SupervisionAssignment.objects.filter(
                organisation=organisation, ended_at__isnull=True
            ).select_related("supervisor", "supervisee"),
        },
        status=400 if failed else 200,
    )


def links_for_match(match_id: str) -> dict[str, str]:
    """URLs the relationship page links to."""
    return {
        "sessions": reverse("onetoone:session_list", args=[match_id]),
        "ending": reverse("onetoone:practice_ending", args=[match_id]),
    }
