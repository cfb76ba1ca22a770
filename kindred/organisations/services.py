from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from kindred.accounts.models import User, normalise_email
from kindred.core.email import email_after_commit
from kindred.core.hashing import keyed_digest, new_token
from kindred.core.services import audit_record

from .models import Invitation, Membership, Organisation, Role
from .selectors import is_coordinator


class OrganisationError(Exception):
    """A kind, human-readable reason an organisation action could not be done."""


def _require_coordinator(actor: User, organisation: Organisation) -> None:
    if not (actor.is_superuser or is_coordinator(actor, organisation)):
        raise OrganisationError("Only a coordinator of this organisation can do that.")


def membership_grant(*, actor: User | None, organisation: Organisation, user: User, role: Role | str) -> Membership:
    """Give `user` a role. `actor` None means the system (demo data, invitation acceptance)."""
    role = Role(role)
    if actor is not None:
        _require_coordinator(actor, organisation)
    with transaction.atomic():
        membership, created = Membership.objects.get_or_create(user=user, organisation=organisation, role=role)
        if created:
            audit_record(
                actor=actor,
                action="membership.granted",
                subject=user,
                organisation=organisation,
                detail={"role": role},
            )
    return membership


def membership_revoke(*, actor: User, membership: Membership) -> None:
    organisation = membership.organisation
    _require_coordinator(actor, organisation)
    with transaction.atomic(durable=True):
        if membership.role == Role.COORDINATOR:
            others = Membership.objects.filter(organisation=organisation, role=Role.COORDINATOR).exclude(
                pk=membership.pk
            )
            if not others.exists():
                raise OrganisationError("An organisation needs at least one coordinator. Add another one first.")
        audit_record(
            actor=actor,
            action="membership.revoked",
            subject=membership.user,
            organisation=organisation,
            detail={"role": membership.role},
        )
        membership.delete()


def invitation_create(
    *, actor: User, organisation: Organisation, email: str, role: Role | str
) -> tuple[Invitation, str]:
    """Create an invitation and email its link. Returns the invitation and the raw token (shown nowhere else)."""
    _require_coordinator(actor, organisation)
    role = Role(role)
    token = new_token()
    with transaction.atomic(durable=True):
        invitation = Invitation.objects.create(
            organisation=organisation,
            email=normalise_email(email),
            role=role,
            token_digest=keyed_digest(token, purpose="invitation"),
            invited_by=actor,
            expires_at=timezone.now() + timedelta(days=settings.INVITATION_VALID_DAYS),
        )
        audit_record(
            actor=actor,
            action="invitation.created",
            subject=invitation,
            organisation=organisation,
            detail={"role": role},
        )
        link = f"{settings.SITE_URL}/invitations/{token}/"
        email_after_commit(
            to=invitation.email,
            template="organisations/email/invitation",
            context={"invitation": invitation, "link": link, "organisation": organisation},
        )
    return invitation, token


def invitation_from_token(token: str) -> Invitation:
    """The pending invitation for `token`, or OrganisationError saying kindly why not."""
    invitation = (
        Invitation.objects.select_related("organisation")
        .filter(token_digest=keyed_digest(token, purpose="invitation"))
        .first()
    )
    if invitation is None:
        raise OrganisationError("This invitation link isn't valid. Please check you copied all of it.")
    if invitation.accepted_at is not None:
        raise OrganisationError(
            "This invitation has already been used. If that wasn't you, please tell the organisation."
        )
    if invitation.revoked_at is not None:
        raise OrganisationError("This invitation was withdrawn by the organisation.")
    if invitation.expires_at <= timezone.now():
        raise OrganisationError("This invitation has expired. Please ask the organisation for a new one.")
    return invitation


def invitation_accept(*, actor: User, token: str) -> Membership:
    """Use the invitation (once) to give the signed-in person its role."""
    with transaction.atomic(durable=True):
        invitation = invitation_from_token(token)
        # Lock and re-check so two tabs can't both use it.
        claimed = Invitation.objects.filter(pk=invitation.pk, accepted_at__isnull=True).update(
            accepted_at=timezone.now(), accepted_by=actor
        )
        if not claimed:
            raise OrganisationError("This invitation has already been used.")
        try:
            membership = membership_grant(
                actor=None, organisation=invitation.organisation, user=actor, role=invitation.role
            )
        except IntegrityError as exc:  # pragma: no cover - get_or_create handles the usual case
            raise OrganisationError("You already have this role.") from exc
        audit_record(
            actor=actor,
            action="invitation.accepted",
            subject=invitation,
            organisation=invitation.organisation,
            detail={"role": invitation.role},
        )
    return membership


def invitation_revoke(*, actor: User, invitation: Invitation) -> None:
    _require_coordinator(actor, invitation.organisation)
    with transaction.atomic(durable=True):
        if invitation.accepted_at is None and invitation.revoked_at is None:
            invitation.revoked_at = timezone.now()
            invitation.save(update_fields=["revoked_at"])
            audit_record(
                actor=actor, action="invitation.revoked", subject=invitation, organisation=invitation.organisation
            )
