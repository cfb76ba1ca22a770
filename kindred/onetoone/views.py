"""One-to-one pages. Thin: access helpers fetch, services write, selectors read."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kindred.accounts.models import Profile
from kindred.commons.blocks import BlockError, block_create, block_remove, has_blocked
from kindred.core.ratelimit import RateLimited
from kindred.organisations.access import get_organisation_for
from kindred.organisations.models import Role

from . import selectors, services
from .access import (
    can_manage_scheme,
    get_connection_for,
    get_conversation_for,
    get_match_for,
    get_person_for,
    get_request_for,
    get_scheme_for,
    get_scheme_supporter_for,
    get_supporter_profile_for,
)
from .forms import (
    ConnectForm,
    EndMatchForm,
    GeneralSupporterProfileForm,
    MatchRequestForm,
    MessageForm,
    ProposeForm,
    RespondForm,
    SchemeForm,
    SchemeSettingsForm,
    SupporterProfileForm,
    SupporterStatusForm,
)
from .models import ConnectionStatus, MatchingMode, MatchRequestStatus, MatchStatus, SupporterProfile
from .services import IDENTITY_DIMENSIONS, OneToOneError

RATE_LIMITED = "You've done that a lot recently. Please wait a little while and try again."


def _fail(request: HttpRequest, exc: Exception) -> None:
    messages.error(request, RATE_LIMITED if isinstance(exc, RateLimited) else str(exc))


# --- overview ------------------------------------------------------------------------------------------------------


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    context = {
        "connections": selectors.connections_of(user),  # type: ignore[arg-type]
        "conversations": selectors.conversations_of(user),  # type: ignore[arg-type]
        "requests": selectors.requests_of(user),  # type: ignore[arg-type]
        "matches": selectors.matches_of(user),  # type: ignore[arg-type]
        "supporter_profiles": selectors.supporter_profiles_of(user),  # type: ignore[arg-type]
        "coordinated": selectors.schemes_coordinated_by(user),  # type: ignore[arg-type]
        "schemes": selectors.published_schemes()[:50],
    }
    return render(request, "onetoone/home.html", context)


# --- connections ---------------------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def connect(request: HttpRequest, public_id: str) -> HttpResponse:
    person = get_person_for(request.user, public_id)  # type: ignore[arg-type]
    if person.pk == request.user.pk:
        raise Http404("No such person.")
    form = ConnectForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            connection = services.connection_request(
                actor=request.user,  # type: ignore[arg-type]
                recipient=person,
                note=form.cleaned_data["note"],
                where_met=form.cleaned_data["where_met"],
                role=form.cleaned_data["role"],
            )
        except (OneToOneError, RateLimited) as exc:
            form.add_error(None, RATE_LIMITED if isinstance(exc, RateLimited) else str(exc))
        else:
            messages.success(request, f"Your request has been sent to {person.display_name}.")
            return redirect("onetoone:connection", public_id=connection.public_id)
    general = selectors.general_profile_of(person)
    return render(
        request,
        "onetoone/connect.html",
        {
            "form": form,
            "person": person,
            "layers": selectors.visible_layers(general, request.user) if general else [],  # type: ignore[arg-type]
            "open_to_new": services.open_to_new_connections(person),
        },
    )


@login_required
@require_GET
def connection_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    connection = get_connection_for(request.user, public_id)  # type: ignore[arg-type]
    other = connection.other(request.user)
    conversation = (
        getattr(connection, "conversation", None) if connection.status != ConnectionStatus.REQUESTED else None
    )
    return render(
        request,
        "onetoone/connection.html",
        {
            "connection": connection,
            "other": other,
            "status_label": selectors.connection_status_for(connection, request.user),  # type: ignore[arg-type]
            "is_recipient": connection.recipient_id == request.user.pk,
            "respond_form": RespondForm(),
            "conversation": conversation,
            "blocked": has_blocked(request.user.pk, other.pk),
        },
    )


@login_required
@require_POST
def connection_action(request: HttpRequest, public_id: str, action: str) -> HttpResponse:
    connection = get_connection_for(request.user, public_id)  # type: ignore[arg-type]
    actor = request.user
    try:
        if action in ("accept", "decline"):
            form = RespondForm(request.POST)
            role = form.data.get("role") or "both"
            services.connection_respond(actor=actor, connection=connection, accept=action == "accept", role=role)  # type: ignore[arg-type]
            messages.success(
                request, "You're connected." if action == "accept" else "Done. They won't be sent a message about it."
            )
        elif action == "withdraw":
            services.connection_withdraw(actor=actor, connection=connection)  # type: ignore[arg-type]
            messages.success(request, "Your request has been withdrawn.")
        elif action == "pause":
            services.connection_pause(actor=actor, connection=connection)  # type: ignore[arg-type]
            messages.success(request, "Paused. Either of you can pick it up again.")
        elif action == "resume":
            services.connection_resume(actor=actor, connection=connection)  # type: ignore[arg-type]
            messages.success(request, "Picked up again.")
        elif action == "end":
            services.connection_end(actor=actor, connection=connection)  # type: ignore[arg-type]
            messages.success(request, "The connection has ended. Your messages stay here for you to read.")
        else:
            raise Http404("No such action.")
    except OneToOneError as exc:
        if exc.code == "forbidden":
            raise PermissionDenied(str(exc)) from exc
        _fail(request, exc)
    return redirect("onetoone:connection", public_id=connection.public_id)


@login_required
@require_http_methods(["GET", "POST"])
def block(request: HttpRequest, public_id: str) -> HttpResponse:
    person = get_person_for(request.user, public_id)  # type: ignore[arg-type]
    if request.method == "POST":
        try:
            if request.POST.get("undo"):
                block_remove(actor=request.user, other=person)  # type: ignore[arg-type]
                messages.success(request, f"You've unblocked {person.display_name}.")
            else:
                block_create(actor=request.user, other=person)  # type: ignore[arg-type]
                messages.success(
                    request,
                    f"You've blocked {person.display_name} everywhere in Kindred. They can't contact you, "
                    "and they aren't told.",
                )
        except (OneToOneError, BlockError) as exc:
            _fail(request, exc)
        return redirect("onetoone:home")
    blocked = has_blocked(request.user.pk, person.pk)
    return render(request, "onetoone/block.html", {"person": person, "blocked": blocked})


# --- conversations -------------------------------------------------------------------------------------------------


def _conversation_context(request: HttpRequest, conversation: Any) -> dict[str, Any]:
    user = request.user
    allowed, why = services.conversation_can_send(conversation, user)  # type: ignore[arg-type]
    return {
        "conversation": conversation,
        "other": selectors.conversation_other(conversation, user),  # type: ignore[arg-type]
        "messages_list": list(selectors.conversation_messages(conversation, user)),  # type: ignore[arg-type]
        "other_read_at": selectors.message_read_by_other(conversation, user),  # type: ignore[arg-type]
        "can_send": allowed,
        "closed_reason": why,
    }


@login_required
@require_http_methods(["GET", "POST"])
def conversation(request: HttpRequest, public_id: str) -> HttpResponse:
    convo = get_conversation_for(request.user, public_id)  # type: ignore[arg-type]
    form = MessageForm(request.POST or None)
    screening = None
    if request.method == "POST" and form.is_valid():
        try:
            _message, screening = services.message_send(
                actor=request.user,  # type: ignore[arg-type]
                conversation=convo,
                body=form.cleaned_data["body"],
            )
        except (OneToOneError, RateLimited) as exc:
            form.add_error("body", RATE_LIMITED if isinstance(exc, RateLimited) else str(exc))
        else:
            if screening is None or getattr(screening, "level", "none") == "none":
                return redirect("onetoone:conversation", public_id=convo.public_id)
            form = MessageForm()
    services.conversation_mark_read(actor=request.user, conversation=convo)  # type: ignore[arg-type]
    context = _conversation_context(request, convo)
    context.update({"form": form, "screening": screening})
    return render(request, "onetoone/conversation.html", context)


@login_required
@require_GET
def conversation_messages(request: HttpRequest, public_id: str) -> HttpResponse:
    """The message list alone, for the page's quick refresh (htmx polling)."""
    convo = get_conversation_for(request.user, public_id)  # type: ignore[arg-type]
    services.conversation_mark_read(actor=request.user, conversation=convo)  # type: ignore[arg-type]
    return render(request, "onetoone/conversation_messages.html", _conversation_context(request, convo))


# --- schemes -------------------------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def scheme_create(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = get_organisation_for(request.user, slug, require_role=Role.COORDINATOR)  # type: ignore[arg-type]
    form = SchemeForm(
        request.POST or None, initial={"matching_mode": MatchingMode.COORDINATOR, "channels": ["messages"]}
    )
    if request.method == "POST" and form.is_valid():
        try:
            scheme = services.scheme_create(actor=request.user, organisation=organisation, **form.cleaned_data)  # type: ignore[arg-type]
        except OneToOneError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "The scheme is set up and listed in Find support.")
            return redirect("onetoone:scheme_manage", public_id=scheme.public_id)
    return render(request, "onetoone/scheme_form.html", {"form": form, "organisation": organisation})


@login_required
@require_http_methods(["GET", "POST"])
def scheme_settings(request: HttpRequest, public_id: str) -> HttpResponse:
    scheme = get_scheme_for(request.user, public_id, manage=True)  # type: ignore[arg-type]
    initial = {
        "matching_mode": scheme.matching_mode,
        "channels": scheme.channels,
        "default_capacity": scheme.default_capacity,
        "session_limit": scheme.session_limit,
        "eligibility": scheme.eligibility,
        "caseload_cap": scheme.caseload_cap,
        "supervisor_reads_notes": scheme.supervisor_reads_notes,
        "accepting_requests": scheme.accepting_requests,
    }
    form = SchemeSettingsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.scheme_update(actor=request.user, scheme=scheme, **form.cleaned_data)  # type: ignore[arg-type]
        except OneToOneError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Saved.")
            return redirect("onetoone:scheme_manage", public_id=scheme.public_id)
    return render(request, "onetoone/scheme_settings.html", {"form": form, "scheme": scheme})


@login_required
@require_GET
def scheme_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    scheme = get_scheme_for(request.user, public_id)  # type: ignore[arg-type]
    open_request = scheme.requests.filter(seeker=request.user, status=MatchRequestStatus.OPEN).first()
    my_profile = SupporterProfile.objects.filter(user=request.user, scheme=scheme).first()
    return render(
        request,
        "onetoone/scheme.html",
        {
            "scheme": scheme,
            "open_request": open_request,
            "my_profile": my_profile,
            "can_support": services.can_support_in(request.user, scheme),  # type: ignore[arg-type]
            "can_manage": can_manage_scheme(request.user, scheme),  # type: ignore[arg-type]
        },
    )


@login_required
@require_GET
def scheme_manage(request: HttpRequest, public_id: str) -> HttpResponse:
    scheme = get_scheme_for(request.user, public_id, manage=True)  # type: ignore[arg-type]
    return render(request, "onetoone/scheme_manage.html", {"overview": selectors.scheme_overview(scheme)})


@login_required
@require_POST
def scheme_run_matching(request: HttpRequest, public_id: str) -> HttpResponse:
    scheme = get_scheme_for(request.user, public_id, manage=True)  # type: ignore[arg-type]
    try:
        created = services.matching_run(actor=request.user, scheme=scheme)  # type: ignore[arg-type]
    except OneToOneError as exc:
        _fail(request, exc)
    else:
        if created:
            messages.success(request, f"{len(created)} proposed match(es) are ready for you to check below.")
        else:
            messages.info(request, "No new matches could be proposed right now.")
        why = selectors.scheme_overview(scheme).waiting_explanation()
        if why:
            messages.info(request, why)
    return redirect("onetoone:scheme_manage", public_id=scheme.public_id)


# --- requests ------------------------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def request_create(request: HttpRequest, public_id: str) -> HttpResponse:
    scheme = get_scheme_for(request.user, public_id)  # type: ignore[arg-type]
    form = MatchRequestForm(request.POST or None, scheme=scheme)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            match_request = services.match_request_create(
                actor=request.user,  # type: ignore[arg-type]
                scheme=scheme,
                about=data["about"],
                experience_tags=data["experience_tags"],
                interest_tags=data["interest_tags"],
                value_tags=data["value_tags"],
                preferences=form.preferences(),
                languages=data["languages"],
                channels=data["channels"],
                availability=data["availability"],
                postcode=data["postcode"],
                max_distance_km=data["max_distance_km"],
            )
        except (OneToOneError, RateLimited) as exc:
            form.add_error(None, RATE_LIMITED if isinstance(exc, RateLimited) else str(exc))
        else:
            messages.success(request, "Thank you. Your request has been sent.")
            return redirect("onetoone:request", public_id=match_request.public_id)
    return render(request, "onetoone/request_form.html", {"form": form, "scheme": scheme})


@login_required
@require_GET
def request_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "onetoone/request_list.html",
        {"requests": selectors.requests_of(request.user), "matches": selectors.matches_of(request.user)},  # type: ignore[arg-type]
    )


@login_required
@require_GET
def request_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    match_request = get_request_for(request.user, public_id)  # type: ignore[arg-type]
    from .matching.adapter import suggestions_for

    manager = can_manage_scheme(request.user, match_request.scheme)  # type: ignore[arg-type]
    is_seeker = match_request.seeker_id == request.user.pk
    live = match_request.matches.exclude(status__in=[MatchStatus.DECLINED, MatchStatus.WITHDRAWN, MatchStatus.ENDED])
    suggestions = []
    open_without_match = match_request.status == MatchRequestStatus.OPEN and not live.exists()
    if open_without_match and (manager or (is_seeker and match_request.scheme.matching_mode == MatchingMode.CHOOSES)):
        suggestions = [
            {
                "profile": s.profile,
                "explanation": s.explanation,
                "layers": selectors.visible_layers(s.profile, request.user),  # type: ignore[arg-type]
            }
            for s in suggestions_for(match_request)
        ]
    return render(
        request,
        "onetoone/request_detail.html",
        {
            "match_request": match_request,
            "is_seeker": is_seeker,
            "manager": manager,
            "suggestions": suggestions,
            "live_matches": live if (manager or is_seeker) else [],
            "propose_form": ProposeForm(),
            "preferences": [
                (dim, match_request.preferences[dim]) for dim in IDENTITY_DIMENSIONS if dim in match_request.preferences
            ],
        },
    )


@login_required
@require_POST
def request_action(request: HttpRequest, public_id: str, action: str) -> HttpResponse:
    match_request = get_request_for(request.user, public_id)  # type: ignore[arg-type]
    try:
        if action == "withdraw":
            services.match_request_withdraw(actor=request.user, request=match_request)  # type: ignore[arg-type]
            messages.success(request, "Your request has been withdrawn. You're welcome to ask again any time.")
        elif action == "choose":
            profile = _scheme_supporter(match_request, request.POST.get("supporter", ""))
            match = services.match_choose(actor=request.user, request=match_request, profile=profile)  # type: ignore[arg-type]
            messages.success(request, "We've asked them. We'll let you know when they reply.")
            return redirect("onetoone:match", public_id=match.public_id)
        elif action == "propose":
            get_request_for(request.user, public_id, manage=True)  # type: ignore[arg-type]
            profile = get_scheme_supporter_for(request.user, match_request.scheme, request.POST.get("supporter", ""))  # type: ignore[arg-type]
            form = ProposeForm(request.POST)
            form.is_valid()
            services.match_propose(
                actor=request.user,  # type: ignore[arg-type]
                request=match_request,
                profile=profile,
                cap_override_reason=form.cleaned_data.get("cap_override_reason", ""),
            )
            messages.success(request, "Proposed. Check it on the scheme page, then send it to both people.")
            return redirect("onetoone:scheme_manage", public_id=match_request.scheme.public_id)
        else:
            raise Http404("No such action.")
    except OneToOneError as exc:
        if exc.code == "forbidden":
            raise PermissionDenied(str(exc)) from exc
        _fail(request, exc)
    return redirect("onetoone:request", public_id=match_request.public_id)


def _scheme_supporter(match_request: Any, public_id: str) -> SupporterProfile:
    from .access import _uuid

    profile = SupporterProfile.objects.filter(public_id=_uuid(public_id), scheme=match_request.scheme).first()
    if profile is None:
        raise Http404("No such supporter.")
    return profile


# --- matches -------------------------------------------------------------------------------------------------------


@login_required
@require_GET
def match_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    match = get_match_for(request.user, public_id)  # type: ignore[arg-type]
    user = request.user
    side = "seeker" if match.seeker_id == user.pk else "supporter" if match.supporter_id == user.pk else "coordinator"
    waiting_for_me = (
        side == "seeker" and match.status in (MatchStatus.APPROVED, MatchStatus.ACCEPTED_BY_SUPPORTER)
    ) or (side == "supporter" and match.status in (MatchStatus.APPROVED, MatchStatus.ACCEPTED_BY_SEEKER))
    layers = selectors.visible_layers(match.supporter_profile, user) if match.supporter_profile else []  # type: ignore[arg-type]
    conversation = getattr(match, "conversation", None) if side != "coordinator" else None
    finished = match.status in (MatchStatus.ENDED, MatchStatus.DECLINED, MatchStatus.WITHDRAWN)
    still_looking = (
        side == "seeker"
        and finished
        and match.scheme.requests.filter(seeker=user, status=MatchRequestStatus.OPEN).exists()
    )
    can_ask_again = side == "seeker" and finished and not still_looking
    return render(
        request,
        "onetoone/match.html",
        {
            "match": match,
            "side": side,
            "waiting_for_me": waiting_for_me,
            "layers": layers,
            "conversation": conversation,
            "end_form": EndMatchForm(),
            "can_ask_again": can_ask_again,
            "still_looking": still_looking,
            "manager": can_manage_scheme(user, match.scheme),  # type: ignore[arg-type]
        },
    )


@login_required
@require_POST
def match_action(request: HttpRequest, public_id: str, action: str) -> HttpResponse:
    match = get_match_for(request.user, public_id, manage=action in ("approve", "withdraw"))  # type: ignore[arg-type]
    actor = request.user
    try:
        if action == "approve":
            try:
                services.match_approve(
                    actor=actor,  # type: ignore[arg-type]
                    match=match,
                    cap_override_reason=request.POST.get("cap_override_reason", ""),
                )
            except OneToOneError as exc:
                _fail(request, exc)  # the coordinator stays on the scheme page, with the reason in plain words
            else:
                messages.success(request, "Sent to both people. Contact opens when both say yes.")
            return redirect("onetoone:scheme_manage", public_id=match.scheme.public_id)
        if action == "withdraw":
            services.match_withdraw(actor=actor, match=match)  # type: ignore[arg-type]
            messages.success(request, "Set aside. This pair won't be proposed again.")
            return redirect("onetoone:scheme_manage", public_id=match.scheme.public_id)
        if action in ("accept", "decline"):
            services.match_respond(actor=actor, match=match, accept=action == "accept")  # type: ignore[arg-type]
            messages.success(
                request,
                "Thank you." if action == "accept" else "Thank you for letting us know. No one will be told why.",
            )
        elif action == "end":
            form = EndMatchForm(request.POST)
            reason = form.data.get("reason") or "completed"
            services.match_end(actor=actor, match=match, reason=reason)  # type: ignore[arg-type]
            messages.success(request, "The match has ended. Thank you for the time you gave it.")
        elif action == "again":
            new_request = services.match_request_again(actor=actor, match=match)  # type: ignore[arg-type]
            messages.success(request, "We've asked for a new match for you, with the same wishes as before.")
            return redirect("onetoone:request", public_id=new_request.public_id)
        else:
            raise Http404("No such action.")
    except (OneToOneError, RateLimited) as exc:
        if isinstance(exc, OneToOneError) and exc.code == "forbidden":
            raise PermissionDenied(str(exc)) from exc
        _fail(request, exc)
    return redirect("onetoone:match", public_id=match.public_id)


# --- supporters ----------------------------------------------------------------------------------------------------


def _profile_initial(profile: SupporterProfile | None, default_capacity: int, user: Any) -> dict[str, Any]:
    person = Profile.objects.filter(user=user).first()
    quiet = {
        "quiet_hours_start": person.quiet_hours_start if person else None,
        "quiet_hours_end": person.quiet_hours_end if person else None,
    }
    if profile is None:
        return {"capacity": default_capacity, "languages": "English", **quiet}
    initial: dict[str, Any] = {
        name: getattr(profile, name)
        for name in (
            "experience_distress",
            "experience_distress_visibility",
            "experience_services",
            "experience_services_visibility",
            "wider_life",
            "wider_life_visibility",
            "interests_values",
            "interests_values_visibility",
            "experience_tags",
            "interest_tags",
            "value_tags",
            "languages",
            "channels",
            "availability",
            "postcode",
            "capacity",
        )
    }
    initial.update(quiet)
    for dim in IDENTITY_DIMENSIONS:
        initial[f"identity_{dim}"] = profile.identity.get(dim, "")
    return initial


@login_required
@require_http_methods(["GET", "POST"])
def supporter_profile(request: HttpRequest, public_id: str) -> HttpResponse:
    """A supporter's profile for a scheme: what they share, in layers, and how much they can give."""
    scheme = get_scheme_for(request.user, public_id)  # type: ignore[arg-type]
    if not services.can_support_in(request.user, scheme):  # type: ignore[arg-type]
        raise PermissionDenied("To support people in this scheme, please ask its coordinator.")
    profile = SupporterProfile.objects.filter(user=request.user, scheme=scheme).first()
    form = SupporterProfileForm(
        request.POST or None, initial=_profile_initial(profile, scheme.default_capacity, request.user)
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        for dim in IDENTITY_DIMENSIONS:
            data.pop(f"identity_{dim}", None)
        try:
            services.supporter_profile_save(actor=request.user, scheme=scheme, identity=form.identity(), **data)  # type: ignore[arg-type]
        except OneToOneError as exc:
            form.add_error("capacity" if exc.code == "capacity_below_load" else None, str(exc))
        else:
            messages.success(request, "Your supporter profile is saved.")
            return redirect("onetoone:supporter_profile", public_id=scheme.public_id)
    status_form = SupporterStatusForm(initial={"status": profile.status}) if profile else None
    return render(
        request,
        "onetoone/supporter_profile.html",
        {"form": form, "scheme": scheme, "profile": profile, "status_form": status_form},
    )


@login_required
@require_http_methods(["GET", "POST"])
def general_supporter_profile(request: HttpRequest) -> HttpResponse:
    """A person's general supporter profile, not bound to a scheme: for informal connections."""
    profile = selectors.general_profile_of(request.user)  # type: ignore[arg-type]
    form = GeneralSupporterProfileForm(request.POST or None, initial=_profile_initial(profile, 2, request.user))
    if request.method == "POST" and form.is_valid():
        try:
            services.supporter_profile_save(actor=request.user, scheme=None, **form.cleaned_data)  # type: ignore[arg-type]
        except OneToOneError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Your profile for informal connections is saved.")
            return redirect("onetoone:general_profile")
    status_form = SupporterStatusForm(initial={"status": profile.status}) if profile else None
    return render(
        request,
        "onetoone/general_profile.html",
        {"form": form, "profile": profile, "status_form": status_form},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def supporter_status(request: HttpRequest, public_id: str) -> HttpResponse:
    profile = get_supporter_profile_for(request.user, public_id)  # type: ignore[arg-type]
    form = SupporterStatusForm(request.POST)
    if form.is_valid():
        try:
            services.supporter_set_status(
                actor=request.user,  # type: ignore[arg-type]
                profile=profile,
                status=form.cleaned_data["status"],
                end_current=form.cleaned_data["end_current"],
            )
        except OneToOneError as exc:
            _fail(request, exc)
        else:
            messages.success(request, "Your status is updated.")
    else:
        messages.error(request, "Please choose available, full for now, or stepping back.")
    if profile.scheme_id:
        return redirect("onetoone:supporter_profile", public_id=profile.scheme.public_id)  # type: ignore[union-attr]
    return redirect("onetoone:general_profile")
