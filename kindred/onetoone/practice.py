"""Sessions, private notes, ending well and peer support worker practice: access helpers, selectors, services.

Who may see what:
- A relationship (a Match) and its sessions: the two people in it, the coordinators of the scheme's organisation
  (dates, durations and channels only — never notes), and the supporter's supervisor in that organisation.
  Anyone else gets 404, including coordinators of other organisations.
- A private session note: its author; and the author's supervisor only where the scheme's setting (chosen by the
  organisation's coordinators, off by default) says supervisors may read notes. Every read — by anyone — is audited.
- Disclosure and boundary-dilemma logs, well-being check-ins, caseload and contact hours: the worker and their
  supervisor. Supervision records: the supervisor who wrote them and the supervisee.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, Q, QuerySet, Sum
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from kindred.accounts.models import User
from kindred.care.models import SupporterCheckIn
from kindred.commons import reach
from kindred.core.errors import AppError
from kindred.core.services import audit_record
from kindred.organisations.models import Organisation, Role
from kindred.organisations.selectors import roles_in

from .messages import SESSION, SUPERVISION
from .models import (
    LIVE_MATCH_STATUSES,
    MAX_SESSION_MINUTES,
    BoundaryDilemma,
    Channel,
    DisclosureLayer,
    DisclosureLog,
    Ending,
    Helpfulness,
    Match,
    MatchStatus,
    Session,
    SessionNote,
    SessionStatus,
    SuggestedForm,
    SupervisionAssignment,
    SupervisionRecord,
)

# How far ahead a session can be planned, and how far back one can be logged.
MAX_DAYS_AHEAD = 366
MAX_DAYS_BEHIND = 2 * 366
SUPPORTING_ROLES = (Role.PSW, Role.PEER, Role.FACILITATOR)


class PracticeError(AppError):
    """A kind, plain message for the person; nothing has been changed."""


# --- Who is who ---------------------------------------------------------------------------------------------------


def organisation_of(match: Match) -> Organisation:
    return match.scheme.organisation


def is_coordinator_of(user: User, organisation: Organisation) -> bool:
    return user.is_authenticated and (user.is_superuser or Role.COORDINATOR in roles_in(user, organisation))


def supervises(user: User, supervisee: User | int, organisation: Organisation) -> bool:
    """An open supervision assignment, held by someone who is still a supervisor in the organisation."""
    if not user.is_authenticated:
        return False
    supervisee_id = supervisee if isinstance(supervisee, int) else supervisee.pk
    if supervisee_id == user.pk or Role.SUPERVISOR not in roles_in(user, organisation):
        return False
    return SupervisionAssignment.objects.filter(
        organisation=organisation, supervisor=user, supervisee_id=supervisee_id, ended_at__isnull=True
    ).exists()


def supervisors_may_read_notes(match: Match) -> bool:
    """The one place the note-reading policy lives: the scheme's own setting, chosen by the organisation's
    coordinators (off by default). Every read is audited."""
    return bool(match.scheme.supervisor_reads_notes)


def in_relationship(user: User, match: Match) -> bool:
    return user.is_authenticated and user.pk in (match.seeker_id, match.supporter_id)


# --- Access helpers: 404 to outsiders, 403 to those who may see but not act ------------------------------------------


def _match_queryset() -> QuerySet[Match]:
    return Match.objects.select_related("scheme", "scheme__organisation", "scheme__offer", "seeker", "supporter")


def get_match_for(user: User, public_id: Any, *, act: bool = False) -> Match:
    """A relationship for its two people, the organisation's coordinators and the supporter's supervisor.

    `act=True` (logging sessions, ending) is only for the two people, and only once both have accepted.
    """
    match = _match_queryset().filter(public_id=public_id).first() if user.is_authenticated else None
    if match is None:
        raise Http404("No such relationship.")
    organisation = organisation_of(match)
    party = in_relationship(user, match)
    if party and match.status not in (MatchStatus.ACTIVE, MatchStatus.ENDED):
        raise Http404("No such relationship.")  # nothing to log until both have said yes
    if not (party or is_coordinator_of(user, organisation) or supervises(user, match.supporter_id, organisation)):
        raise Http404("No such relationship.")
    if act and not party:
        raise PermissionDenied("Only the two people in this relationship can do that.")
    return match


def get_session_for(user: User, public_id: Any, *, act: bool = False) -> Session:
    session = Session.objects.select_related("match").filter(public_id=public_id).first()
    if session is None or not user.is_authenticated:
        raise Http404("No such session.")
    match = get_match_for(user, session.match.public_id, act=act)
    session.match = match
    return session


def get_note_for(user: User, public_id: Any) -> SessionNote:
    """A note for its author, or for their supervisor where policy allows. Outsiders (everyone else): 404."""
    note = (
        SessionNote.objects.select_related(
            "session", "session__match", "session__match__scheme", "session__match__scheme__organisation", "author"
        )
        .filter(public_id=public_id)
        .first()
    )
    if note is None or not can_read_note(user, note):
        raise Http404("No such note.")
    return note


def can_read_note(user: User, note: SessionNote) -> bool:
    if not user.is_authenticated:
        return False
    if note.author_id == user.pk:
        return True
    match = note.session.match
    return supervisors_may_read_notes(match) and supervises(user, note.author_id, organisation_of(match))


def get_supervisee_for(user: User, organisation_slug: str, public_id: Any) -> tuple[Organisation, User]:
    organisation = Organisation.objects.filter(slug=organisation_slug).first()
    person = User.objects.filter(public_id=public_id).first() if organisation else None
    if organisation is None or person is None or not supervises(user, person, organisation):
        raise Http404("No such person.")
    return organisation, person


def get_practice_organisation_for(user: User, slug: str) -> Organisation:
    """An organisation whose practice settings a coordinator manages: 404 to outsiders, 403 to other roles."""
    organisation = Organisation.objects.filter(slug=slug).first()
    if organisation is None or not user.is_authenticated:
        raise Http404("No such organisation.")
    roles = roles_in(user, organisation)
    if not roles and not user.is_superuser:
        raise Http404("No such organisation.")
    if not is_coordinator_of(user, organisation):
        raise PermissionDenied("Only the organisation's coordinators can change these settings.")
    return organisation


# --- Selectors ----------------------------------------------------------------------------------------------------


def sessions_of(match: Match) -> QuerySet[Session]:
    return Session.objects.filter(match=match).order_by("-starts_at", "-id")


def contact_minutes(sessions: QuerySet[Session]) -> int:
    """Total minutes of sessions that happened."""
    return sessions.filter(status=SessionStatus.HELD).aggregate(total=Sum("duration_minutes"))["total"] or 0


def hours_and_minutes(minutes: int) -> str:
    hours, rest = divmod(int(minutes), 60)
    rest_text = "1 minute" if rest == 1 else f"{rest} minutes"
    if not hours:
        return rest_text
    hours_text = "1 hour" if hours == 1 else f"{hours} hours"
    return f"{hours_text} {rest_text}" if rest else hours_text


def caseload_of(worker: User, organisation: Organisation | None = None) -> QuerySet[Match]:
    """The relationships a supporter holds a place for (proposed to active)."""
    matches = _match_queryset().filter(supporter=worker, status__in=LIVE_MATCH_STATUSES)
    if organisation is not None:
        matches = matches.filter(scheme__organisation=organisation)
    return matches.order_by("-activated_at", "-created_at")


def organisation_contact_minutes(organisation: Organisation) -> int:
    """Contact time across every one-to-one relationship in the organisation (for light reporting)."""
    return contact_minutes(Session.objects.filter(match__scheme__organisation=organisation))


def sessions_led_by(worker: User, organisation: Organisation) -> QuerySet[Session]:
    return Session.objects.filter(match__supporter=worker, match__scheme__organisation=organisation).select_related(
        "match", "match__seeker", "match__scheme", "match__scheme__offer"
    )


def notes_readable_by(user: User, session: Session) -> list[SessionNote]:
    """The notes on a session `user` may read. Reading them is recorded, one audit row per note."""
    notes = [n for n in session.notes.select_related("author") if can_read_note(user, _with_session(n, session))]
    _audit_note_reads(user, notes)
    return notes


def _with_session(note: SessionNote, session: Session) -> SessionNote:
    note.session = session
    return note


def note_read(*, reader: User, note: SessionNote) -> SessionNote:
    """Read one note (already fetched with get_note_for); records the read."""
    _audit_note_reads(reader, [note])
    return note


def _audit_note_reads(reader: User, notes: Iterable[SessionNote]) -> None:
    for note in notes:
        audit_record(
            actor=reader,
            action="onetoone.note_read",
            subject=note,
            organisation=organisation_of(note.session.match),
            detail={
                "as": "author" if note.author_id == reader.pk else "supervisor",
                "session": str(note.session.public_id),
            },
        )


def supervisees_of(user: User) -> QuerySet[SupervisionAssignment]:
    """Open assignments, in organisations where `user` is still a supervisor."""
    if not user.is_authenticated:
        return SupervisionAssignment.objects.none()
    return (
        SupervisionAssignment.objects.filter(
            supervisor=user,
            supervisee__isnull=False,
            ended_at__isnull=True,
            organisation__memberships__user=user,
            organisation__memberships__role=Role.SUPERVISOR,
        )
        .select_related("organisation", "supervisee")
        .distinct()
        .order_by("organisation__name", "supervisee__display_name")
    )


def supervisors_of(worker: User, organisation: Organisation) -> list[User]:
    return [
        a.supervisor
        for a in SupervisionAssignment.objects.filter(
            organisation=organisation, supervisee=worker, ended_at__isnull=True
        ).select_related("supervisor")
        if Role.SUPERVISOR in roles_in(a.supervisor, organisation)
    ]


@dataclass
class SuperviseeOverview:
    organisation: Organisation
    person: User
    caseload: list[Match]
    cap: int | None
    sessions: list[Session]
    contact_minutes: int
    disclosures: list[DisclosureLog]
    dilemmas: list[BoundaryDilemma]
    checkins: list[SupporterCheckIn]
    records: list[SupervisionRecord]
    notes_readable: bool
    note_counts: dict[int, int] = field(default_factory=dict)

    @property
    def contact_hours(self) -> str:
        return hours_and_minutes(self.contact_minutes)


def supervisee_overview(*, supervisor: User, organisation: Organisation, person: User) -> SuperviseeOverview:
    """Everything a supervisor sees about one supervisee. Note contents are not included; viewing is audited."""
    sessions = sessions_led_by(person, organisation).annotate(
        author_notes=Count("notes", filter=Q(notes__author=person))
    )
    overview = SuperviseeOverview(
        organisation=organisation,
        person=person,
        caseload=list(caseload_of(person, organisation)),
        cap=caseload_cap_for(person, organisation),
        sessions=list(sessions.order_by("-starts_at")[:50]),
        contact_minutes=contact_minutes(sessions_led_by(person, organisation)),
        disclosures=list(
            DisclosureLog.objects.filter(worker=person, session__match__scheme__organisation=organisation)
            .select_related("session")
            .order_by("-created_at")[:50]
        ),
        dilemmas=list(BoundaryDilemma.objects.filter(worker=person, organisation=organisation)[:50]),
        checkins=list(
            SupporterCheckIn.objects.filter(worker=person, shared_with_supervisor=True).filter(
                Q(organisation__isnull=True) | Q(organisation=organisation)
            )[:50]
        ),
        records=list(SupervisionRecord.objects.filter(organisation=organisation, supervisee=person)[:50]),
        notes_readable=False,
    )
    for session in overview.sessions:
        session.notes_readable = supervisors_may_read_notes(session.match)  # type: ignore[attr-defined]
    overview.notes_readable = any(s.notes_readable for s in overview.sessions)  # type: ignore[attr-defined]
    audit_record(actor=supervisor, action="onetoone.supervision_viewed", subject=person, organisation=organisation)
    return overview


def sessions_needing_checkin(worker: User) -> QuerySet[Session]:
    return Session.objects.filter(match__supporter=worker, status=SessionStatus.HELD).order_by("-starts_at")


# --- Caseload caps ----------------------------------------------------------------------------------------------


def caseload_cap_for(worker: User, organisation: Organisation) -> int | None:
    """The lowest cap any scheme of the organisation sets for workers; None if no scheme sets one."""
    from .models import Scheme

    caps = Scheme.objects.filter(organisation=organisation, caseload_cap__isnull=False).values_list(
        "caseload_cap", flat=True
    )
    return min(caps) if caps else None


# --- Sessions -----------------------------------------------------------------------------------------------------


def _validate_session(
    *, match: Match, starts_at: datetime, duration_minutes: int, channel: str, status: str, now: datetime
) -> None:
    if status not in SessionStatus.values:
        raise PracticeError("Please choose whether the session is planned or has happened.", field="status")
    if channel not in Channel.values:
        raise PracticeError("Please choose how you met: in person, phone, video or messages.", field="channel")
    if duration_minutes is None or duration_minutes < 1:
        raise PracticeError("Please give the length of the session in minutes — at least 1.", field="duration_minutes")
    if duration_minutes > MAX_SESSION_MINUTES:
        raise PracticeError(
            f"That's longer than {MAX_SESSION_MINUTES // 60} hours. Please check the number of minutes.",
            field="duration_minutes",
        )
    if starts_at > now + timedelta(days=MAX_DAYS_AHEAD):
        raise PracticeError(
            "That date is more than a year away. Please check the year — sessions can be planned up to a year ahead.",
            field="starts_at",
        )
    if starts_at < now - timedelta(days=MAX_DAYS_BEHIND):
        raise PracticeError("That date is more than two years ago. Please check the year.", field="starts_at")
    if status in (SessionStatus.HELD, SessionStatus.MISSED) and starts_at > now:
        raise PracticeError(
            "That session is still in the future. You can plan it now and mark it as happened afterwards.",
            field="starts_at",
        )
    if match.activated_at and starts_at < match.activated_at - timedelta(days=1):
        raise PracticeError(
            "That date is before you were matched. Please check the date.",
            field="starts_at",
        )


def session_log(
    *,
    actor: User,
    match: Match,
    starts_at: datetime,
    duration_minutes: int,
    channel: str,
    status: str = SessionStatus.HELD,
) -> Session:
    """Plan or log a session in an active relationship (either person may)."""
    now = timezone.now()
    if not in_relationship(actor, match):
        raise PermissionDenied("Only the two people in this relationship can log sessions.")
    if match.status != MatchStatus.ACTIVE:
        raise PracticeError("This relationship has ended, so new sessions can't be added.")
    _validate_session(
        match=match, starts_at=starts_at, duration_minutes=duration_minutes, channel=channel, status=status, now=now
    )
    limit = match.scheme.session_limit
    if limit is not None:
        counted = sessions_of(match).filter(status__in=[SessionStatus.SCHEDULED, SessionStatus.HELD]).count()
        if counted >= limit and status in (SessionStatus.SCHEDULED, SessionStatus.HELD):
            raise PracticeError(
                f"This scheme offers up to {limit} sessions, and they have all been planned or used. "
                "Your coordinator can talk with you about what could come next."
            )
    with transaction.atomic():
        session = Session.objects.create(
            match=match,
            starts_at=starts_at,
            duration_minutes=duration_minutes,
            channel=channel,
            status=status,
            logged_by=actor,
        )
        audit_record(
            actor=actor,
            action="onetoone.session_logged",
            subject=session,
            organisation=organisation_of(match),
            detail={"status": status, "minutes": duration_minutes},
        )
        other = match.seeker if actor.pk == match.supporter_id else match.supporter
        when = timezone.localtime(starts_at).strftime("%A %-d %B at %H:%M")
        reach.send(
            to=other,
            kind=SESSION,
            sender=actor,
            title=f"{actor.display_name} added a session: {when}",
            url=reverse("onetoone:session_detail", args=[session.public_id]),
        )
    return session


def session_update(*, actor: User, session: Session, status: str) -> Session:
    """Mark a planned session as happened, cancelled or didn't happen."""
    if not in_relationship(actor, session.match):
        raise PermissionDenied("Only the two people in this relationship can change a session.")
    _validate_session(
        match=session.match,
        starts_at=session.starts_at,
        duration_minutes=session.duration_minutes,
        channel=session.channel,
        status=status,
        now=timezone.now(),
    )
    with transaction.atomic():
        session.status = status
        session.save(update_fields=["status", "updated_at"])
        audit_record(
            actor=actor,
            action="onetoone.session_updated",
            subject=session,
            organisation=organisation_of(session.match),
            detail={"status": status},
        )
    return session


def note_add(*, actor: User, session: Session, body: str) -> SessionNote:
    """A private note by one of the two people. Encrypted at rest."""
    if not in_relationship(actor, session.match):
        raise PermissionDenied("Only the two people in this relationship can write notes on a session.")
    body = (body or "").strip()
    if not body:
        raise PracticeError("Please write something in the note first.", field="body")
    note = SessionNote(session=session, author=actor, body=body)
    note.full_clean(exclude=["session", "author"])
    with transaction.atomic():
        note.save()
        audit_record(
            actor=actor, action="onetoone.note_written", subject=note, organisation=organisation_of(session.match)
        )
    return note


# --- PSW practice -------------------------------------------------------------------------------------------------


def disclosure_log(
    *, actor: User, session: Session, layer: str, what_i_shared: str, why: str = "", helpful: str = ""
) -> DisclosureLog:
    if actor.pk != session.match.supporter_id:
        raise PermissionDenied("Only the supporter in this relationship keeps a disclosure log for it.")
    if layer not in DisclosureLayer.values:
        raise PracticeError("Please choose which part of your experience you shared.", field="layer")
    if helpful not in Helpfulness.values:
        raise PracticeError("Please choose whether it seemed to help, or leave it as 'not sure'.", field="helpful")
    if not (what_i_shared or "").strip():
        raise PracticeError("Please say briefly what you shared.", field="what_i_shared")
    entry = DisclosureLog(
        session=session,
        worker=actor,
        layer=layer,
        what_i_shared=what_i_shared.strip(),
        why=(why or "").strip(),
        helpful=helpful,
    )
    entry.full_clean(exclude=["session", "worker"])
    with transaction.atomic():
        entry.save()
        audit_record(
            actor=actor, action="onetoone.disclosure_logged", subject=entry, organisation=organisation_of(session.match)
        )
    return entry


def dilemma_log(
    *,
    actor: User,
    organisation: Organisation,
    occurred_on: date,
    what_happened: str,
    what_i_did: str = "",
    bring_to_supervision: bool = True,
    match: Match | None = None,
) -> BoundaryDilemma:
    if not roles_in(actor, organisation) & {r.value for r in SUPPORTING_ROLES}:
        raise PermissionDenied("The boundary-dilemma log is for people who give support in this organisation.")
    if match is not None and (match.supporter_id != actor.pk or organisation_of(match) != organisation):
        raise Http404("No such relationship.")
    if occurred_on > timezone.localdate():
        raise PracticeError("That date is in the future. Please give the day it happened.", field="occurred_on")
    if occurred_on < timezone.localdate() - timedelta(days=MAX_DAYS_BEHIND):
        raise PracticeError("That date is more than two years ago. Please check the year.", field="occurred_on")
    if not (what_happened or "").strip():
        raise PracticeError("Please say briefly what happened.", field="what_happened")
    entry = BoundaryDilemma(
        organisation=organisation,
        worker=actor,
        match=match,
        occurred_on=occurred_on,
        what_happened=what_happened.strip(),
        what_i_did=(what_i_did or "").strip(),
        bring_to_supervision=bring_to_supervision,
    )
    entry.full_clean(exclude=["organisation", "worker", "match"])
    with transaction.atomic():
        entry.save()
        audit_record(actor=actor, action="onetoone.dilemma_logged", subject=entry, organisation=organisation)
    return entry


def supervision_record_add(
    *,
    actor: User,
    organisation: Organisation,
    supervisee: User,
    held_on: date,
    notes: str = "",
    agreed_actions: str = "",
) -> SupervisionRecord:
    if not supervises(actor, supervisee, organisation):
        raise Http404("No such person.")
    if held_on > timezone.localdate():
        raise PracticeError(
            "Supervision records are for sessions that have happened. Please check the date.", field="held_on"
        )
    if held_on < timezone.localdate() - timedelta(days=MAX_DAYS_BEHIND):
        raise PracticeError("That date is more than two years ago. Please check the year.", field="held_on")
    record = SupervisionRecord(
        organisation=organisation,
        supervisor=actor,
        supervisee=supervisee,
        held_on=held_on,
        notes=(notes or "").strip(),
        agreed_actions=(agreed_actions or "").strip(),
    )
    record.full_clean(exclude=["organisation", "supervisor", "supervisee"])
    with transaction.atomic():
        record.save()
        audit_record(actor=actor, action="onetoone.supervision_recorded", subject=record, organisation=organisation)
        reach.send(
            to=supervisee,
            kind=SUPERVISION,
            sender=actor,
            title=f"{actor.display_name} recorded your supervision on {held_on:%-d %B}",
            url=reverse("onetoone:practice_home"),
        )
    return record


def supervision_assign(
    *, actor: User, organisation: Organisation, supervisor: User, supervisee: User
) -> SupervisionAssignment:
    if not is_coordinator_of(actor, organisation):
        raise PermissionDenied("Only the organisation's coordinators can arrange supervision.")
    if supervisor.pk == supervisee.pk:
        raise PracticeError("Someone can't supervise themselves. Please choose a different supervisor.")
    if Role.SUPERVISOR not in roles_in(supervisor, organisation):
        raise PracticeError(f"{supervisor.display_name} isn't a supervisor in this organisation yet.")
    if not roles_in(supervisee, organisation):
        raise PracticeError("That person isn't part of this organisation.")
    existing = SupervisionAssignment.objects.filter(
        organisation=organisation, supervisor=supervisor, supervisee=supervisee, ended_at__isnull=True
    ).first()
    if existing is not None:
        return existing
    with transaction.atomic():
        assignment = SupervisionAssignment.objects.create(
            organisation=organisation, supervisor=supervisor, supervisee=supervisee, assigned_by=actor
        )
        audit_record(
            actor=actor,
            action="onetoone.supervision_assigned",
            subject=supervisee,
            organisation=organisation,
            detail={"supervisor": str(supervisor.public_id)},
        )
    return assignment


def supervision_end(*, actor: User, assignment: SupervisionAssignment) -> None:
    if not is_coordinator_of(actor, assignment.organisation):
        raise PermissionDenied("Only the organisation's coordinators can arrange supervision.")
    with transaction.atomic():
        assignment.ended_at = timezone.now()
        assignment.save(update_fields=["ended_at"])
        audit_record(
            actor=actor,
            action="onetoone.supervision_ended",
            subject=assignment.supervisee,
            organisation=assignment.organisation,
            detail={"supervisor": str(assignment.supervisor.public_id)},
        )


# --- Ending well --------------------------------------------------------------------------------------------------

SUGGESTION_LINKS = {
    SuggestedForm.GROUP: ("directory:search", "?kind=group"),
    SuggestedForm.ONLINE: ("directory:search", "?kind=online_space"),
    SuggestedForm.ONE_TO_ONE: ("directory:search", "?kind=scheme"),
    SuggestedForm.INFORMAL: ("onetoone:home", ""),
    SuggestedForm.PRACTICAL: ("directory:search", ""),
}


def suggestion_links(values: Iterable[str]) -> list[tuple[str, str]]:
    labels = dict(SuggestedForm.choices)
    out = []
    for value in values:
        if value in SUGGESTION_LINKS:
            name, query = SUGGESTION_LINKS[SuggestedForm(value)]
            out.append((str(labels[value]), reverse(name) + query))
    return out


_OFFER_KINDS = {
    SuggestedForm.GROUP: ["group"],
    SuggestedForm.ONLINE: ["online_space"],
    SuggestedForm.ONE_TO_ONE: ["scheme", "psw_service"],
}


def suggested_offers(match: Match, forms: Iterable[str], *, limit: int = 4) -> list[Any]:
    """A few listed offers of the suggested forms: the same organisation's first, then others in its region."""
    from kindred.directory.models import Offer, OfferStatus

    kinds = [kind for form in forms for kind in _OFFER_KINDS.get(form, [])]  # type: ignore[call-overload]
    if not kinds:
        return []
    organisation = organisation_of(match)
    listed = Offer.objects.filter(status=OfferStatus.PUBLISHED, kind__in=kinds).exclude(pk=match.scheme.offer_id)
    own = list(listed.filter(organisation=organisation).order_by("title")[:limit])
    if len(own) < limit and organisation.region:
        others = listed.filter(region=organisation.region).exclude(organisation=organisation).order_by("title")
        own += list(others[: limit - len(own)])
    return own


def match_end_well(
    *, actor: User, match: Match, reflection: str = "", suggested_forms: Iterable[str] = (), reason: str = "completed"
) -> Ending:
    """End a relationship well: it closes (through the core service), with a reflection and ideas of what next."""
    if not in_relationship(actor, match):
        raise PermissionDenied("Only the two people in this relationship can end it.")
    if match.status != MatchStatus.ACTIVE:
        raise PracticeError("This relationship has already ended.")
    forms = [f for f in dict.fromkeys(suggested_forms) if f]
    unknown = [f for f in forms if f not in SuggestedForm.values]
    if unknown:
        raise PracticeError("Please choose suggestions from the list.", field="suggested_forms")
    ending = Ending(match=match, ended_by=actor, reflection=(reflection or "").strip(), suggested_forms=forms)
    ending.full_clean(exclude=["match", "ended_by"])
    # The core service closes the match in its own (durable) transaction: engagements end, the other person is told.
    _end_match(actor=actor, match=match, reason=reason)
    with transaction.atomic():
        ending.match = match
        ending.save()
        audit_record(actor=actor, action="onetoone.ended_well", subject=ending, organisation=organisation_of(match))
    return ending


def _end_match(*, actor: User, match: Match, reason: str) -> None:
    from .services import OneToOneError, match_end

    try:
        match_end(actor=actor, match=match, reason=reason)
    except OneToOneError as error:
        raise PracticeError(str(error)) from error
    match.refresh_from_db()
