"""Referrals: a person's own request to join (or talk first), a professional's referral, and the coordinator inbox.

Services write (keyword-only, atomic, audited, email after commit); selectors read. Views stay thin.
Audit rows never hold personal details: only kinds, statuses and public ids.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, QuerySet
from django.urls import reverse
from django.utils import timezone

from kindred.accounts.models import User
from kindred.commons import reach
from kindred.commons.models import EngagementRole
from kindred.commons.spine import engagement_record
from kindred.core.errors import AppError
from kindred.core.services import audit_record
from kindred.organisations.access import require_coordinator
from kindred.organisations.models import Invitation, Organisation, Role
from kindred.organisations.selectors import coordinated_organisations
from kindred.organisations.services import OrganisationError, invitation_create

from .messages import REFERRAL_NEW
from .models import Offer, OfferStatus, Referral, ReferralKind, ReferralNote, ReferralStatus

OPEN_STATUSES = (ReferralStatus.NEW, ReferralStatus.CONTACTED)

# Where a referral may go next. Closed is the end; a closed professional referral's details can then be deleted.
NEXT_STATUSES: dict[str, tuple[ReferralStatus, ...]] = {
    ReferralStatus.NEW: (ReferralStatus.CONTACTED, ReferralStatus.JOINED, ReferralStatus.CLOSED),
    ReferralStatus.CONTACTED: (ReferralStatus.JOINED, ReferralStatus.CLOSED),
    ReferralStatus.JOINED: (ReferralStatus.CLOSED,),
    ReferralStatus.CLOSED: (),
}

SELF_KINDS = (ReferralKind.JOIN, ReferralKind.TALK_FIRST)

# The fields that identify people in a professional referral: blanked when the organisation no longer needs them.
PERSONAL_FIELDS = (
    "person_name",
    "person_email",
    "person_phone",
    "referrer_name",
    "referrer_role",
    "referrer_organisation",
    "referrer_email",
    "referrer_phone",
    "message",
    "preferred_contact",
    "closed_reason",
)

CLOSED_REASON_MAX = Referral._meta.get_field("closed_reason").max_length
NOTE_MAX = ReferralNote._meta.get_field("text").max_length


class ReferralError(AppError):
    """A kind, human-readable reason a referral action could not be done.

    `code` lets a page tell kinds of failure apart; `referral` points at an existing request where that helps.
    """

    def __init__(self, message: str, *, code: str = "invalid", referral: Referral | None = None) -> None:
        super().__init__(message, code=code)
        self.referral = referral


# --- helpers ------------------------------------------------------------------------------------


def _require_published(offer: Offer) -> None:
    if offer.status != OfferStatus.PUBLISHED:
        raise ReferralError(
            "This isn't taking requests through Kindred at the moment. Please try another offer.",
            code="not_published",
        )


def _validate(referral: Referral) -> None:
    try:
        referral.full_clean(exclude=["offer", "organisation", "person"])
    except ValidationError as exc:
        raise ReferralError(" ".join(exc.messages), code="invalid_input") from exc


def coordinators(organisation: Organisation) -> list[User]:
    """The organisation's coordinators: who a request or a listing goes to (through `reach.send_to_team`, which
    passes over those who have stepped back unless all have, and never reaches anyone recorded as having died)."""
    return list(
        User.objects.filter(
            memberships__organisation=organisation, memberships__role=Role.COORDINATOR, is_active=True
        ).distinct()
    )


def _notify_organisation(referral: Referral) -> None:
    """Tell the offer's contact (or the coordinators) a request has come in. No personal details in the email."""
    offer = referral.offer
    link = settings.SITE_URL + reverse("directory:referral", kwargs={"public_id": referral.public_id})
    inbox = settings.SITE_URL + reverse("directory:inbox")
    words = reach.Email(
        template="directory/email/referral_new",
        context={
            "referral": referral,
            "offer": offer,
            "organisation": referral.organisation,
            "link": link,
            "inbox": inbox,
        },
    )
    if offer.contact_email:
        reach.send_to_address(address=offer.contact_email, kind=REFERRAL_NEW, email=words)
    else:
        reach.send_to_team(
            people=coordinators(referral.organisation),
            kind=REFERRAL_NEW,
            title=f"A new request for {offer.title}",
            url=reverse("directory:referral", kwargs={"public_id": referral.public_id}),
            email=words,
        )


# --- writes -------------------------------------------------------------------------------------


def referral_create_self(
    *, actor: User, offer: Offer, kind: ReferralKind | str, message: str = "", preferred_contact: str = ""
) -> Referral:
    """A signed-in person asks to join an offer, or to talk to someone first. One open request per offer."""
    if not actor.is_authenticated:
        raise ReferralError("Please log in to send a request.", code="forbidden")
    if kind not in SELF_KINDS:
        raise ReferralError("Please choose whether you'd like to join or talk to someone first.")
    _require_published(offer)
    with transaction.atomic(durable=True):
        # Lock the offer so two quick clicks can't open two requests.
        Offer.objects.select_for_update().filter(pk=offer.pk).first()
        existing = Referral.objects.filter(person=actor, offer=offer, status__in=OPEN_STATUSES).first()
        if existing is not None:
            raise ReferralError(
                f"You've already asked about {offer.title}, and {offer.organisation.name} has your request. "
                "There's no need to send another — you can see how it's going here.",
                code="duplicate",
                referral=existing,
            )
        referral = Referral(
            offer=offer,
            organisation=offer.organisation,
            kind=kind,
            person=actor,
            message=message.strip(),
            preferred_contact=preferred_contact.strip(),
        )
        _validate(referral)
        referral.save()
        audit_record(
            actor=actor,
            action="referral.created",
            subject=referral,
            organisation=offer.organisation,
            detail={"kind": str(kind), "offer": offer.slug},
        )
        _notify_organisation(referral)
    return referral


def referral_create_professional(
    *,
    offer: Offer,
    referrer_name: str,
    referrer_role: str,
    referrer_organisation: str,
    referrer_email: str,
    referrer_phone: str,
    person_name: str,
    person_email: str,
    person_phone: str,
    message: str,
    person_agreed: bool,
) -> Referral:
    """A professional (no account needed) refers someone who has agreed to it."""
    if not person_agreed:
        raise ReferralError(
            "We can only take a referral when the person has agreed to it. Please check with them first.",
            code="no_agreement",
        )
    if not (person_email.strip() or person_phone.strip()):
        raise ReferralError(
            "Please give an email address or a phone number for the person, so the organisation can reach them.",
            code="no_contact",
        )
    _require_published(offer)
    with transaction.atomic(durable=True):
        referral = Referral(
            offer=offer,
            organisation=offer.organisation,
            kind=ReferralKind.PROFESSIONAL,
            referrer_name=referrer_name.strip(),
            referrer_role=referrer_role.strip(),
            referrer_organisation=referrer_organisation.strip(),
            referrer_email=referrer_email.strip(),
            referrer_phone=referrer_phone.strip(),
            person_name=person_name.strip(),
            person_email=person_email.strip(),
            person_phone=person_phone.strip(),
            message=message.strip(),
            person_agreed=True,
        )
        _validate(referral)
        referral.save()
        audit_record(
            actor=None,
            action="referral.created",
            subject=referral,
            organisation=offer.organisation,
            detail={"kind": ReferralKind.PROFESSIONAL.value, "offer": offer.slug},
        )
        _notify_organisation(referral)
    return referral


def _locked(referral: Referral) -> Referral:
    return (
        Referral.objects.select_for_update(of=("self",))
        .select_related("offer", "organisation", "person")
        .get(pk=referral.pk)
    )


def referral_set_status(
    *, actor: User, referral: Referral, status: ReferralStatus | str, reason: str = "", note: str = ""
) -> Referral:
    """Move a referral on (new → contacted → joined, or closed with a reason). Joining records an Engagement."""
    require_coordinator(actor, referral.organisation, error=ReferralError)
    try:
        status = ReferralStatus(status)
    except ValueError:
        raise ReferralError("Please choose one of the statuses in the list.") from None
    reason, note = reason.strip(), note.strip()
    if status == ReferralStatus.CLOSED and not reason:
        raise ReferralError("Please say why this request is being closed. The person will see it.", code="no_reason")
    if len(reason) > CLOSED_REASON_MAX:
        raise ReferralError(f"Please keep the reason under {CLOSED_REASON_MAX} characters.")
    if len(note) > NOTE_MAX:
        raise ReferralError(f"Please keep the note under {NOTE_MAX} characters.")
    with transaction.atomic(durable=True):
        referral = _locked(referral)
        previous = ReferralStatus(referral.status)
        if status not in NEXT_STATUSES[previous]:
            raise ReferralError(
                f"This request is already {previous.label.lower()}, so it can't be marked {status.label.lower()}.",
                code="bad_transition",
            )
        referral.status = status
        referral.closed_reason = reason if status == ReferralStatus.CLOSED else referral.closed_reason
        referral.save(update_fields=["status", "closed_reason", "updated_at"])
        ReferralNote.objects.create(referral=referral, author=actor, text=note or reason, status_change=status.value)
        audit_record(
            actor=actor,
            action="referral.status_changed",
            subject=referral,
            organisation=referral.organisation,
            detail={"from": previous.value, "to": status.value},
        )
        if status == ReferralStatus.JOINED and referral.person is not None:
            offer = referral.offer
            engagement_record(
                person=referral.person,
                subject=offer,
                form=offer.form,
                role=EngagementRole.RECEIVING,
                organisation=offer.organisation,
            )
    return referral


def referral_add_note(*, actor: User, referral: Referral, text: str) -> ReferralNote:
    require_coordinator(actor, referral.organisation, error=ReferralError)
    text = text.strip()
    if not text:
        raise ReferralError("Please write the note before saving it.", code="empty")
    if len(text) > NOTE_MAX:
        raise ReferralError(f"Please keep the note under {NOTE_MAX} characters.")
    with transaction.atomic(durable=True):
        note = ReferralNote.objects.create(referral=referral, author=actor, text=text)
        audit_record(
            actor=actor,
            action="referral.note_added",
            subject=referral,
            organisation=referral.organisation,
            detail={"note": note.pk},
        )
    return note


def referral_accept_and_invite(*, actor: User, referral: Referral) -> Invitation:
    """Accept a professional referral and invite the person to create a Kindred account as a member."""
    require_coordinator(actor, referral.organisation, error=ReferralError)
    if referral.kind != ReferralKind.PROFESSIONAL:
        raise ReferralError("Only a professional referral can be accepted with an invitation.")
    if referral.status == ReferralStatus.CLOSED:
        raise ReferralError("This referral is closed, so we can't send an invitation from it.", code="closed")
    if not referral.person_email:
        raise ReferralError(
            "We don't have an email address for this person, so we can't send an invitation. "
            "Please contact them another way.",
            code="no_email",
        )
    already = Invitation.objects.filter(
        organisation=referral.organisation,
        email__iexact=referral.person_email,
        accepted_at__isnull=True,
        revoked_at__isnull=True,
        expires_at__gt=timezone.now(),
    ).exists()
    if already:
        raise ReferralError("This person already has an invitation waiting from your organisation.", code="invited")
    with transaction.atomic(durable=True):
        referral = _locked(referral)
        try:
            invitation, _token = invitation_create(
                actor=actor, organisation=referral.organisation, email=referral.person_email, role=Role.MEMBER
            )
        except OrganisationError as exc:
            raise ReferralError(str(exc), code=exc.code) from exc
        previous = referral.status
        if referral.status == ReferralStatus.NEW:
            referral.status = ReferralStatus.CONTACTED
            referral.save(update_fields=["status", "updated_at"])
        ReferralNote.objects.create(
            referral=referral,
            author=actor,
            text="Accepted, and invited to create a Kindred account.",
            status_change=referral.status if referral.status != previous else "",
        )
        audit_record(
            actor=actor,
            action="referral.accepted",
            subject=referral,
            organisation=referral.organisation,
            detail={"invitation": str(invitation.public_id), "from": previous, "to": referral.status},
        )
    return invitation


def referral_delete_data(*, actor: User, referral: Referral) -> Referral:
    """Blank the personal details of a closed professional referral, and its notes. The bare record stays for counts."""
    require_coordinator(actor, referral.organisation, error=ReferralError)
    if referral.kind != ReferralKind.PROFESSIONAL:
        raise ReferralError("Only a professional referral's details can be deleted here.")
    if referral.status != ReferralStatus.CLOSED:
        raise ReferralError("Please close the referral (with a reason) before deleting its details.", code="open")
    with transaction.atomic(durable=True):
        referral = _locked(referral)
        filled = [field for field in PERSONAL_FIELDS if getattr(referral, field)]
        for field in PERSONAL_FIELDS:
            setattr(referral, field, "")
        referral.save(update_fields=[*PERSONAL_FIELDS, "updated_at"])
        notes_deleted, _ = referral.notes.all().delete()
        audit_record(
            actor=actor,
            action="referral.data_deleted",
            subject=referral,
            organisation=referral.organisation,
            detail={"fields": filled, "notes_deleted": notes_deleted},
        )
    return referral


# --- reads --------------------------------------------------------------------------------------


def referral_data_deleted(referral: Referral) -> bool:
    return referral.kind == ReferralKind.PROFESSIONAL and not any(
        getattr(referral, field) for field in ("person_name", "person_email", "person_phone")
    )


def referrals_of_person(user: User) -> QuerySet[Referral]:
    return Referral.objects.filter(person=user).select_related("offer", "organisation").order_by("-created_at")


def inbox_for(user: User, *, status: str = "") -> QuerySet[Referral]:
    """Referrals for offers of the organisations `user` coordinates, newest first, optionally of one status."""
    referrals = Referral.objects.filter(organisation__in=coordinated_organisations(user))
    if status in ReferralStatus.values:
        referrals = referrals.filter(status=status)
    return referrals.select_related("offer", "organisation", "person").order_by("-created_at")


def referral_notes(referral: Referral) -> QuerySet[ReferralNote]:
    return referral.notes.select_related("author").order_by("created_at", "pk")


def next_statuses(referral: Referral) -> tuple[ReferralStatus, ...]:
    return NEXT_STATUSES[ReferralStatus(referral.status)]


def status_counts(user: User) -> dict[str, int]:
    rows = (
        Referral.objects.filter(organisation__in=coordinated_organisations(user))
        .values("status")
        .annotate(n=Count("pk"))
    )
    counts = {row["status"]: row["n"] for row in rows}
    return {status: counts.get(status, 0) for status in ReferralStatus.values}
