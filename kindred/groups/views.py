"""Group pages. Thin: access helpers decide who may see, forms check input, services write."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kindred.accounts.models import User
from kindred.commons.rules import rules_history
from kindred.core.errors import add_to_form
from kindred.directory.places import find_place
from kindred.organisations.models import Organisation, Role

from . import calendar as feeds
from . import selectors, services
from .access import Viewer, get_group_for, get_meeting_for, get_membership_in
from .forms import (
    AddMemberForm,
    CancelForm,
    EventForm,
    FirstChatForm,
    FollowUpForm,
    FollowUpOptOutForm,
    GroupForm,
    HandoverForm,
    IncidentForm,
    JoinForm,
    MoveForm,
    NearForm,
    NoteForm,
    RoleForm,
    RSVPForm,
    RulesForm,
    SeriesChangeForm,
    SeriesForm,
)
from .models import (
    CalendarToken,
    FacilitatorNote,
    FirstVisitChat,
    FollowUpPrompt,
    IncidentNote,
    MeetingDelivery,
    MeetingSeries,
    MeetingStatus,
)
from .recurrence import Rule, describe
from .services import GroupError


def _posted(request: HttpRequest) -> Any:
    return request.POST if request.method == "POST" else None


def _startable_organisations(user: User) -> Any:
    if user.is_superuser:
        return Organisation.objects.all()
    return Organisation.objects.filter(
        memberships__user=user, memberships__role__in=[Role.COORDINATOR, Role.FACILITATOR]
    ).distinct()


# --- My groups, starting a group -----------------------------------------------------------------------------


@login_required
@require_GET
def my_groups(request: HttpRequest) -> HttpResponse:
    memberships = list(selectors.memberships_of(request.user))
    nexts = selectors.next_meetings_by_group([m.group_id for m in memberships])
    for m in memberships:
        m.next_meeting = nexts.get(m.group_id)
    return render(
        request,
        "groups/mine.html",
        {
            "memberships": memberships,
            "follow_ups": selectors.follow_ups_for(request.user),
            "chats": selectors.first_visit_chats_for(request.user),
            "can_start": _startable_organisations(request.user).exists(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def group_new(request: HttpRequest) -> HttpResponse:
    organisations = _startable_organisations(request.user)
    if not organisations.exists():
        raise PermissionDenied("Coordinators and facilitators of an organisation can start groups.")
    form = GroupForm(_posted(request), organisations=organisations)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                group = services.group_create(actor=request.user, **form.cleaned_data)
            except GroupError as error:
                status = add_to_form(form, error)
            else:
                messages.success(request, f"{group.name} is set up. Next, add when it meets.")
                return redirect("groups:schedule", slug=group.slug)
    return render(request, "groups/group_form.html", {"form": form}, status=status)


# --- The group page, joining, pausing, leaving ---------------------------------------------------------------


def _group_context(request: HttpRequest, group: Any, viewer: Viewer) -> dict[str, Any]:
    meetings = selectors.upcoming_meetings(group)
    answers = selectors.rsvps_of(request.user, meetings)
    for meeting in meetings:
        meeting.my_rsvp = answers.get(meeting.pk)
    rules = services.current_rules(group)
    needs_ack = (
        viewer.is_member and request.user.is_authenticated and services.needs_rules_acknowledgement(group, request.user)
    )
    return {
        "group": group,
        "offer": group.offer,
        "viewer": viewer,
        "meetings": meetings,
        "series": [(s, describe(Rule.of(s))) for s in group.series.filter(is_active=True)],
        "rules": rules,
        "needs_ack": needs_ack,
        "leaders": selectors.leaders_of(group) if viewer.is_member or viewer.is_coordinator else [],
        "opt_out_form": FollowUpOptOutForm(
            initial={"opt_out": viewer.membership.follow_up_opt_out if viewer.membership else False}
        ),
    }


@require_GET
def group_detail(request: HttpRequest, slug: str) -> HttpResponse:
    group, viewer = get_group_for(request.user, slug)
    return render(request, "groups/detail.html", _group_context(request, group, viewer))


@login_required
@require_http_methods(["GET", "POST"])
def group_join(request: HttpRequest, slug: str) -> HttpResponse:
    group, viewer = get_group_for(request.user, slug)
    rules = services.current_rules(group)
    form = JoinForm(_posted(request))
    if rules is None:
        form.fields["acknowledge"].required = False
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.group_join(
                    actor=request.user,
                    group=group,
                    acknowledge_rules=bool(form.cleaned_data["acknowledge"]) or rules is None,
                )
            except GroupError as error:
                status = add_to_form(form, error)
            else:
                messages.success(
                    request, f"Welcome to {group.name}. You can say whether you're coming to each meeting below."
                )
                return redirect("groups:detail", slug=group.slug)
    return render(
        request, "groups/join.html", {"group": group, "rules": rules, "form": form, "viewer": viewer}, status=status
    )


def _membership_action(request: HttpRequest, slug: str, action: Any, done: str) -> HttpResponse:
    group, _ = get_group_for(request.user, slug)
    try:
        action(actor=request.user, group=group)
    except GroupError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, done.format(group=group.name))
    return redirect("groups:detail", slug=group.slug)


@login_required
@require_POST
def group_pause(request: HttpRequest, slug: str) -> HttpResponse:
    return _membership_action(
        request,
        slug,
        services.group_pause,
        "You're taking a break from {group}. Your place is kept for when you come back.",
    )


@login_required
@require_POST
def group_resume(request: HttpRequest, slug: str) -> HttpResponse:
    return _membership_action(request, slug, services.group_resume, "Welcome back to {group}.")


@login_required
@require_POST
def group_leave(request: HttpRequest, slug: str) -> HttpResponse:
    return _membership_action(request, slug, services.group_leave, "You've left {group}. You're welcome back any time.")


@login_required
@require_POST
def follow_up_preference(request: HttpRequest, slug: str) -> HttpResponse:
    group, _viewer = get_group_for(request.user, slug, member=True)
    form = FollowUpOptOutForm(request.POST)
    form.is_valid()
    try:
        services.follow_up_preference_set(
            actor=request.user, group=group, opt_out=bool(form.cleaned_data.get("opt_out"))
        )
    except GroupError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "Thanks, your choice is saved.")
    return redirect("groups:detail", slug=group.slug)


@require_http_methods(["GET", "POST"])
def group_rules(request: HttpRequest, slug: str) -> HttpResponse:
    group, viewer = get_group_for(request.user, slug)
    rules = services.current_rules(group)
    form = RulesForm(_posted(request) if viewer.can_facilitate else None, initial={"text": rules.text if rules else ""})
    status = 200
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect(f"{reverse('accounts:login')}?next={request.path}")
        if request.POST.get("action") == "acknowledge":
            try:
                services.ground_rules_acknowledge(actor=request.user, group=group)
            except GroupError as error:
                messages.error(request, str(error))
            else:
                messages.success(request, "Thank you for reading the ground rules.")
            return redirect("groups:detail", slug=group.slug)
        if not viewer.can_facilitate:
            raise PermissionDenied("Only the group's facilitators can change the ground rules.")
        status = 400
        if form.is_valid():
            try:
                services.ground_rules_publish(actor=request.user, group=group, text=form.cleaned_data["text"])
            except GroupError as error:
                status = add_to_form(form, error)
            else:
                messages.success(request, "The new ground rules are saved, and members have been asked to read them.")
                return redirect("groups:rules", slug=group.slug)
    needs_ack = viewer.is_member and services.needs_rules_acknowledgement(group, request.user)
    history = list(rules_history(group)[:10])
    return render(
        request,
        "groups/rules.html",
        {"group": group, "viewer": viewer, "rules": rules, "form": form, "needs_ack": needs_ack, "history": history},
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def first_chat(request: HttpRequest, slug: str) -> HttpResponse:
    group, viewer = get_group_for(request.user, slug)
    form = FirstChatForm(_posted(request))
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.first_visit_chat_request(actor=request.user, group=group, **form.cleaned_data)
            except GroupError as error:
                status = add_to_form(form, error)
            else:
                messages.success(
                    request, "Thank you. Someone who helps run the group will be in touch before your first meeting."
                )
                return redirect("groups:detail", slug=group.slug)
    return render(request, "groups/first_chat.html", {"group": group, "form": form, "viewer": viewer}, status=status)


# --- Members and roles ---------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def members(request: HttpRequest, slug: str) -> HttpResponse:
    group, viewer = get_group_for(request.user, slug, facilitate=True)
    add_form = AddMemberForm(request.POST if request.POST.get("action") == "add" else None, prefix="add")
    status = 200
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "add":
            status = 400
            if add_form.is_valid():
                try:
                    services.group_member_add(actor=request.user, group=group, email=add_form.cleaned_data["email"])
                except GroupError as error:
                    status = add_to_form(add_form, error)
                else:
                    messages.success(request, "They've been added and told.")
                    return redirect("groups:members", slug=group.slug)
        elif action == "role":
            membership = get_membership_in(viewer, request.POST.get("membership", ""))
            form = RoleForm(request.POST)
            if form.is_valid():
                try:
                    services.membership_role_set(
                        actor=request.user,
                        membership=membership,
                        role=form.cleaned_data["role"],
                        committee_role=form.cleaned_data["committee_role"],
                    )
                except GroupError as error:
                    messages.error(request, str(error))
                else:
                    messages.success(request, f"{membership.person.display_name}'s role is saved.")
            else:
                messages.error(request, "Please choose a role from the list.")
            return redirect("groups:members", slug=group.slug)
        else:
            raise Http404("No such action.")
    rows = [
        (m, RoleForm(initial={"role": m.role, "committee_role": m.committee_role}, prefix=str(m.public_id)))
        for m in selectors.members_of(group)
    ]
    return render(
        request,
        "groups/members.html",
        {"group": group, "viewer": viewer, "rows": rows, "add_form": add_form},
        status=status,
    )


# --- Schedule ------------------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def schedule(request: HttpRequest, slug: str) -> HttpResponse:
    group, viewer = get_group_for(request.user, slug, facilitate=True)
    kind = request.POST.get("form") if request.method == "POST" else None
    series_form = SeriesForm(
        request.POST if kind == "series" else None,
        prefix="series",
        initial={"starts_on": timezone.localdate(), "duration_minutes": 90, "frequency": "weekly"},
    )
    event_form = EventForm(request.POST if kind == "event" else None, prefix="event")
    status = 200
    if kind == "series":
        status = 400
        if series_form.is_valid():
            try:
                services.series_create(actor=request.user, group=group, **series_form.cleaned_data)
            except GroupError as error:
                status = add_to_form(series_form, error)
            else:
                messages.success(
                    request, "The regular meeting time is saved and meetings for the next year are in the calendar."
                )
                return redirect("groups:schedule", slug=group.slug)
    elif kind == "event":
        status = 400
        if event_form.is_valid():
            data = dict(event_form.cleaned_data)
            starts = datetime.combine(data.pop("day"), data.pop("start_time"))
            try:
                meeting = services.meeting_create(actor=request.user, group=group, starts_at=starts, **data)
            except GroupError as error:
                status = add_to_form(event_form, error)
            else:
                messages.success(request, "The event is added.")
                return redirect("groups:meeting", public_id=meeting.public_id)
    elif request.method == "POST":
        raise Http404("No such form.")
    return render(
        request,
        "groups/schedule.html",
        {
            "group": group,
            "viewer": viewer,
            "series_form": series_form,
            "event_form": event_form,
            "series": [(s, describe(Rule.of(s))) for s in group.series.filter(is_active=True)],
            "meetings": selectors.upcoming_meetings(group, limit=12),
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def series_change(request: HttpRequest, slug: str, public_id: str) -> HttpResponse:
    """Change a regular meeting's day or time in place: future meetings at the old time move; members are told."""
    group, viewer = get_group_for(request.user, slug, facilitate=True)
    series = get_object_or_404(MeetingSeries, group=group, public_id=public_id, is_active=True)
    initial = {
        "weekday": series.weekday,
        "nth": series.nth,
        "start_time": series.start_time,
        "duration_minutes": series.duration_minutes,
    }
    form = SeriesChangeForm(request.POST or None, initial=initial, frequency=series.frequency)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                change = services.series_change(actor=request.user, series=series, **form.cleaned_data)
            except GroupError as error:
                status = add_to_form(form, error)
            else:
                messages.success(
                    request,
                    f"Changed to: {change.after}. {change.moved + change.added} coming meeting(s) are at the new time, "
                    "and everyone in the group has been told.",
                )
                return redirect("groups:schedule", slug=group.slug)
    return render(
        request,
        "groups/series_change.html",
        {"group": group, "viewer": viewer, "series": series, "words": describe(Rule.of(series)), "form": form},
        status=status,
    )


# --- Meetings ------------------------------------------------------------------------------------------------


@require_GET
def meeting_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    meeting, viewer = get_meeting_for(request.user, public_id)
    my_rsvp = selectors.rsvps_of(request.user, [meeting]).get(meeting.pk)
    return render(
        request,
        "groups/meeting.html",
        {
            "meeting": meeting,
            "group": meeting.group,
            "viewer": viewer,
            "my_rsvp": my_rsvp,
            "summary": selectors.rsvp_summary(meeting),
            "form": RSVPForm(initial={"answer": my_rsvp.answer if my_rsvp else None}),
            "is_past": meeting.ends_at <= timezone.now(),
        },
    )


@login_required
@require_POST
def meeting_rsvp(request: HttpRequest, public_id: str) -> HttpResponse:
    meeting, _viewer = get_meeting_for(request.user, public_id)
    form = RSVPForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Please choose going, maybe or can't come.")
        return redirect("groups:meeting", public_id=meeting.public_id)
    try:
        rsvp = services.rsvp_set(actor=request.user, meeting=meeting, answer=form.cleaned_data["answer"])
    except GroupError as error:
        messages.error(request, str(error))
    else:
        if rsvp.is_waiting:
            messages.success(
                request,
                (
                    f"This one is full, so you're on the waiting list (number {rsvp.waitlist_position}). "
                    "We'll tell you if a place comes up."
                ),
            )
        else:
            messages.success(request, f"Thanks — you've said: {rsvp.get_answer_display().lower()}.")
    return redirect("groups:meeting", public_id=meeting.public_id)


@login_required
@require_http_methods(["GET", "POST"])
def meeting_change(request: HttpRequest, public_id: str) -> HttpResponse:
    meeting, _viewer = get_meeting_for(request.user, public_id, facilitate=True)
    action = request.POST.get("action") if request.method == "POST" else None
    cancel_form = CancelForm(request.POST if action == "cancel" else None, prefix="cancel")
    move_form = MoveForm(request.POST if action == "move" else None, prefix="move")
    status = 200
    if action == "cancel":
        status = 400
        if cancel_form.is_valid():
            try:
                services.meeting_cancel(actor=request.user, meeting=meeting, note=cancel_form.cleaned_data["note"])
            except GroupError as error:
                status = add_to_form(cancel_form, error)
            else:
                messages.success(request, "The meeting is cancelled and members have been told.")
                return redirect("groups:meeting", public_id=meeting.public_id)
    elif action == "move":
        status = 400
        if move_form.is_valid():
            try:
                services.meeting_move(
                    actor=request.user,
                    meeting=meeting,
                    starts_at=move_form.new_start(),
                    note=move_form.cleaned_data["note"],
                )
            except GroupError as error:
                status = add_to_form(move_form, error)
            else:
                messages.success(request, "The meeting has moved and members have been told.")
                return redirect("groups:meeting", public_id=meeting.public_id)
    elif request.method == "POST":
        raise Http404("No such action.")
    return render(
        request,
        "groups/meeting_change.html",
        {"meeting": meeting, "group": meeting.group, "cancel_form": cancel_form, "move_form": move_form},
        status=status,
    )


# --- Facilitation --------------------------------------------------------------------------------------------


def _facilitate_context(request: HttpRequest, meeting: Any, viewer: Viewer, **forms: Any) -> dict[str, Any]:
    people = selectors.round_people(meeting)
    current = next((p for p in people if p["current"]), None)
    turn_ends = None
    if meeting.round_turn_started_at and current:
        turn_ends = meeting.round_turn_started_at + timedelta(minutes=meeting.group.round_minutes)
    return {
        "meeting": meeting,
        "group": meeting.group,
        "viewer": viewer,
        "sheet": selectors.attendance_sheet(meeting),
        "round": people,
        "current": current,
        "round_done": bool(people) and current is None,
        "turn_ends": turn_ends,
        "round_seconds": meeting.group.round_minutes * 60,
        "notes": list(FacilitatorNote.objects.filter(meeting=meeting).select_related("author")),
        "incidents": list(IncidentNote.objects.filter(meeting=meeting).select_related("author")),
        "note_form": forms.get("note_form") or NoteForm(prefix="note"),
        "incident_form": forms.get("incident_form") or IncidentForm(prefix="incident"),
        "can_mark": meeting.starts_at - timedelta(hours=1) <= timezone.now()
        and meeting.status != MeetingStatus.CANCELLED,
    }


@login_required
@require_http_methods(["GET", "POST"])
def facilitate(request: HttpRequest, public_id: str) -> HttpResponse:
    meeting, viewer = get_meeting_for(request.user, public_id, facilitate=True)
    status = 200
    extra: dict[str, Any] = {}
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "attendance":
                marks = {}
                for key in request.POST.getlist("person"):
                    marks[key] = (request.POST.get(f"present_{key}") == "on", request.POST.get(f"first_{key}") == "on")
                count = services.attendance_mark(actor=request.user, meeting=meeting, marks=marks)
                messages.success(request, f"Attendance saved for {count} people.")
            elif action == "open":
                services.meeting_open(actor=request.user, meeting=meeting)
                messages.success(request, "The meeting has started.")
            elif action == "close":
                services.meeting_close(actor=request.user, meeting=meeting)
                messages.success(request, "The meeting has finished. Thank you for facilitating.")
            elif action == "round_start":
                services.round_start(actor=request.user, meeting=meeting, shuffle=request.POST.get("shuffle") != "off")
                messages.success(request, "The round has started.")
            elif action in ("round_next", "round_pass"):
                services.round_next(actor=request.user, meeting=meeting, passed=action == "round_pass")
            elif action == "round_shuffle":
                services.round_shuffle(actor=request.user, meeting=meeting)
                messages.success(request, "The order of those still to speak is shuffled.")
            elif action == "note":
                form = NoteForm(request.POST, prefix="note")
                extra["note_form"] = form
                if not form.is_valid():
                    status = 400
                else:
                    services.facilitator_note_add(actor=request.user, meeting=meeting, text=form.cleaned_data["text"])
                    messages.success(request, "Your note is saved. Only the group's facilitators can read it.")
            elif action == "incident":
                form = IncidentForm(request.POST, prefix="incident")
                extra["incident_form"] = form
                if not form.is_valid():
                    status = 400
                else:
                    services.incident_note_add(actor=request.user, meeting=meeting, **form.cleaned_data)
                    messages.success(request, "The incident note is saved.")
            else:
                raise Http404("No such action.")
        except GroupError as error:
            messages.error(request, str(error))
            status = 403 if error.code == "forbidden" else 400
        if status == 200:
            return redirect(
                f"{reverse('groups:facilitate', args=[meeting.public_id])}#{request.POST.get('anchor', 'main')}"
            )
        meeting.refresh_from_db()
    context = _facilitate_context(request, meeting, viewer, **extra)
    if request.method == "GET":
        services.notes_viewed(
            actor=request.user, meeting=meeting, notes=len(context["notes"]), incidents=len(context["incidents"])
        )
    return render(request, "groups/facilitate.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def rota(request: HttpRequest, slug: str) -> HttpResponse:
    group, viewer = get_group_for(request.user, slug, facilitate=True)
    facilitators = selectors.facilitators_of(group)
    handover_form = HandoverForm(
        request.POST if request.POST.get("action") == "handover" else None, facilitators=facilitators, prefix="handover"
    )
    status = 200
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "assign":
            meeting, _ = get_meeting_for(request.user, request.POST.get("meeting", ""), facilitate=True)
            if meeting.group_id != group.pk:
                raise Http404("No such meeting.")
            chosen = request.POST.get("facilitator", "")
            person = next((p for p in facilitators if str(p.public_id) == chosen), None)
            if chosen and person is None:
                messages.error(request, "Please choose one of the group's facilitators.")
            else:
                try:
                    services.rota_assign(actor=request.user, meeting=meeting, facilitator=person)
                except GroupError as error:
                    messages.error(request, str(error))
                else:
                    messages.success(request, "The rota is saved.")
            return redirect("groups:rota", slug=group.slug)
        if action == "handover":
            status = 400
            if handover_form.is_valid():
                recipient = next(
                    (p for p in facilitators if str(p.public_id) == handover_form.cleaned_data["recipient"]), None
                )
                try:
                    services.handover_note_add(
                        actor=request.user, group=group, text=handover_form.cleaned_data["text"], recipient=recipient
                    )
                except GroupError as error:
                    status = add_to_form(handover_form, error)
                else:
                    messages.success(request, "Your handover note is saved.")
                    return redirect("groups:rota", slug=group.slug)
        else:
            raise Http404("No such action.")
    meetings = selectors.rota(group)
    rows = [(m, selectors.rota_slot_of(m)) for m in meetings]
    return render(
        request,
        "groups/rota.html",
        {
            "group": group,
            "viewer": viewer,
            "rows": rows,
            "facilitators": facilitators,
            "gaps": sum(1 for _, slot in rows if slot is None or slot.facilitator_id is None),
            "handover_form": handover_form,
            "notes": selectors.handover_notes(group),
        },
        status=status,
    )


# --- Follow-ups ----------------------------------------------------------------------------------------------


@login_required
@require_GET
def follow_ups(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "groups/follow_ups.html",
        {"prompts": selectors.follow_ups_for(request.user), "chats": selectors.first_visit_chats_for(request.user)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def follow_up(request: HttpRequest, public_id: str) -> HttpResponse:
    try:
        prompt = (
            FollowUpPrompt.objects.select_related("group", "meeting", "newcomer").filter(public_id=public_id).first()
        )
    except (ValueError, TypeError):
        prompt = None
    if prompt is None or prompt.prompted_id != request.user.pk:
        raise Http404("No such follow-up.")
    form = FollowUpForm(request.POST if request.POST.get("action") == "send" else None)
    status = 200
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "skip":
            services.follow_up_skip(actor=request.user, prompt=prompt)
            messages.success(request, "Marked as not needed.")
            return redirect("groups:follow_ups")
        status = 400
        if action == "send" and form.is_valid():
            try:
                services.follow_up_send(actor=request.user, prompt=prompt, message=form.cleaned_data["message"])
            except GroupError as error:
                status = add_to_form(form, error)
            else:
                messages.success(request, f"Your message is on its way to {prompt.newcomer.display_name}.")
                return redirect("groups:follow_ups")
    return render(request, "groups/follow_up.html", {"prompt": prompt, "form": form}, status=status)


@login_required
@require_POST
def chat_update(request: HttpRequest, public_id: str) -> HttpResponse:
    try:
        chat = FirstVisitChat.objects.select_related("group").filter(public_id=public_id).first()
    except (ValueError, TypeError):
        chat = None
    if chat is None or chat.helper_id != request.user.pk:
        raise Http404("No such request.")
    try:
        services.first_visit_chat_update(actor=request.user, chat=chat, status=request.POST.get("status", ""))
    except GroupError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "Saved.")
    return redirect("groups:follow_ups")


# --- Calendars -----------------------------------------------------------------------------------------------


def _ics(body: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = "private, max-age=900"
    return response


@require_GET
def group_calendar(request: HttpRequest, slug: str) -> HttpResponse:
    group, _ = get_group_for(request.user, slug)
    return _ics(feeds.group_feed(group), f"{group.slug}.ics")


@require_GET
def person_calendar(request: HttpRequest, token: str) -> HttpResponse:
    person = services.person_for_calendar_token(token)
    if person is None:
        raise Http404("No such calendar.")
    response = _ics(feeds.person_feed(person), "my-groups.ics")
    response["X-Robots-Tag"] = "noindex"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def calendar_settings(request: HttpRequest) -> HttpResponse:
    new_url = None
    if request.method == "POST":
        if request.POST.get("action") == "revoke":
            services.calendar_token_revoke(actor=request.user)
            messages.success(request, "Your private calendar link has been switched off.")
            return redirect("groups:calendar_settings")
        token = services.calendar_token_issue(actor=request.user)
        new_url = request.build_absolute_uri(reverse("groups:person_calendar", args=[token]))
    has_token = CalendarToken.objects.filter(person=request.user).exists()
    return render(request, "groups/calendar.html", {"new_url": new_url, "has_token": has_token})


# --- Meetings this week near me ------------------------------------------------------------------------------


def _near_rows(found: list[Any]) -> list[dict[str, Any]]:
    """Rows for the "near me" list, formatted once here: this page lists many meetings and is served a lot."""
    base = reverse("groups:mine")
    labels = dict(MeetingDelivery.choices)
    rows = []
    for meeting, distance in found:
        local = timezone.localtime(meeting.starts_at)
        rows.append(
            {
                "name": meeting.group.name,
                "url": f"{base}{meeting.group.slug}/",
                "iso": local.isoformat(),
                "when": f"{local:%A} {local.day} {local:%B}, {local:%-I:%M} {local:%p}".replace(" AM", " am").replace(
                    " PM", " pm"
                ),
                "moved": meeting.status == MeetingStatus.MOVED,
                "delivery": labels.get(meeting.delivery, ""),
                "place": meeting.place,
                "distance": round(distance),
            }
        )
    return rows


@require_GET
def near(request: HttpRequest) -> HttpResponse:
    form = NearForm(request.GET or None)
    results: list[Any] = []
    place = None
    online: list[Any] = []
    searched = False
    if form.is_valid() and form.cleaned_data.get("place"):
        searched = True
        place = find_place(form.cleaned_data["place"])
        if place is None:
            form.add_error("place", "We don't know that place yet. Try a nearby town or the first part of a postcode.")
        else:
            now = timezone.now()
            results = _near_rows(
                selectors.meetings_near(
                    latitude=place.latitude,
                    longitude=place.longitude,
                    radius_km=form.cleaned_data.get("radius") or 10,
                    start=now,
                    end=now + timedelta(days=7),
                )
            )
            online = _near_rows(
                (m, 0) for m in selectors.online_meetings(start=now, end=now + timedelta(days=7), limit=10)
            )
    return render(
        request,
        "groups/near.html",
        {
            "form": form,
            "results": results,
            "place": place,
            "searched": searched,
            "online": online,
            "limit": selectors.NEAR_LIMIT,
        },
        status=400 if form.errors else 200,
    )
