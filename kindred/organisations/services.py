from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from kindred.accounts.models import User, normalise_email
from kindred.commons import reach
from kindred.core.errors import AppError
from kindred.core.hashing import keyed_digest, new_token
from kindred.core.services import audit_record

from .access import require_coordinator
from .messages import INVITATION
from .models import STAFF_ROLES, CrisisResource, Invitation, Membership, Organisation, Role


class OrganisationError(AppError):
    """A kind, human-readable reason an organisation action could not be done.

    `code` lets a page tell kinds of failure apart (e.g. an expired invitation from a forged one).
    """


def _role(role: Role | str) -> Role:
    try:
        return Role(role)
    except ValueError:
        raise OrganisationError("Please choose one of the roles in the list.", code="unknown_role") from None


def _sync_admin_access(user: User) -> None:
    """Coordinators may use the (tenant-scoped) admin; others lose it with their last coordinator role."""
    should_be_staff = user.is_superuser or Membership.objects.filter(user=user, role=Role.COORDINATOR).exists()
    if user.is_staff != should_be_staff:
        user.is_staff = should_be_staff
        user.save(update_fields=["is_staff"])


def membership_grant(*, actor: User | None, organisation: Organisation, user: User, role: Role | str) -> Membership:
    """Give `user` a role. `actor` None means the system (demo data, invitation acceptance)."""
    role = _role(role)
    if actor is not None:
        require_coordinator(actor, organisation, error=OrganisationError)
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
        if role == Role.COORDINATOR:
            _sync_admin_access(user)
    return membership


def membership_revoke(*, actor: User, membership: Membership) -> None:
    organisation = membership.organisation
    require_coordinator(actor, organisation, error=OrganisationError)
    # Not durable: the Django admin calls this inside its own transaction.
    with transaction.atomic():
        if membership.role == Role.COORDINATOR:
            # Lock the coordinators' rows so two coordinators removing each other at once can't both succeed.
            coordinators = Membership.objects.select_for_update().filter(
                organisation=organisation, role=Role.COORDINATOR
            )
            if not [pk for pk in coordinators.values_list("pk", flat=True) if pk != membership.pk]:
                raise OrganisationError(
                    "An organisation needs at least one coordinator, so this role can't be removed yet. "
                    "Please make someone else a coordinator first.",
                    code="last_coordinator",
                )
        audit_record(
            actor=actor,
            action="membership.revoked",
            subject=membership.user,
            organisation=organisation,
            detail={"role": membership.role},
        )
        user, role = membership.user, membership.role
        membership.delete()
        if role == Role.COORDINATOR:
            _sync_admin_access(user)


def invitation_create(
    *, actor: User, organisation: Organisation, email: str, role: Role | str
) -> tuple[Invitation, str]:
    """Create an invitation and email its link. Returns the invitation and the raw token (shown nowhere else)."""
    require_coordinator(actor, organisation, error=OrganisationError)
    role = _role(role)
    token = new_token()
    with transaction.atomic():
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
        reach.send_to_address(
            address=invitation.email,
            kind=INVITATION,
            email=reach.Email(
                template="organisations/email/invitation",
                context={"invitation": invitation, "link": link, "organisation": organisation},
            ),
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
        raise OrganisationError("This invitation link isn't valid. Please check you copied all of it.", code="invalid")
    if invitation.accepted_at is not None:
        raise OrganisationError(
            "This invitation has already been used. If that wasn't you, please tell the organisation.",
            code="used",
        )
    if invitation.revoked_at is not None:
        raise OrganisationError("This invitation was withdrawn by the organisation.", code="withdrawn")
    if invitation.expires_at <= timezone.now():
        raise OrganisationError(
            "This invitation has expired. Please ask the organisation for a new one.", code="expired"
        )
    return invitation


def invitation_accept(*, actor: User, token: str) -> Membership:
    """Use the invitation (once) to give the signed-in person its role."""
    with transaction.atomic(durable=True):
        invitation = invitation_from_token(token)
        # A role that acts for the organisation must land on the address it was sent to, so a
        # forwarded or leaked link can't hand someone else staff access.
        if invitation.role in STAFF_ROLES and normalise_email(actor.email) != invitation.email:
            raise OrganisationError(
                f"This invitation is for {invitation.email}. Please log in with that address to accept it, "
                "or ask the organisation to invite the address you use.",
                code="wrong_person",
            )
        # Lock and re-check so two tabs can't both use it.
        claimed = Invitation.objects.filter(pk=invitation.pk, accepted_at__isnull=True).update(
            accepted_at=timezone.now(), accepted_by=actor
        )
        if not claimed:
            raise OrganisationError("This invitation has already been used.", code="used")
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
    require_coordinator(actor, invitation.organisation, error=OrganisationError)
    with transaction.atomic():
        if invitation.accepted_at is None and invitation.revoked_at is None:
            invitation.revoked_at = timezone.now()
            invitation.save(update_fields=["revoked_at"])
            audit_record(
                actor=actor, action="invitation.revoked", subject=invitation, organisation=invitation.organisation
            )


def _validate(instance: Any, exclude: list[str] | None = None) -> None:
    try:
        instance.full_clean(exclude=exclude)
    except ValidationError as exc:
        raise OrganisationError(" ".join(exc.messages), code="invalid_input") from exc


def organisation_create(*, actor: User, name: str, slug: str, **details: Any) -> Organisation:
    """Only the people who run the site (superusers) create organisations."""
    if not actor.is_superuser:
        raise OrganisationError("Only the people who run this site can add an organisation.", code="forbidden")
    unknown = set(details) - set(ORGANISATION_DETAIL_FIELDS)
    if unknown:
        raise OrganisationError("Some of those details can't be set here.")
    organisation = Organisation(name=name, slug=slug, **details)
    with transaction.atomic():
        _validate(organisation)
        organisation.save()
        audit_record(actor=actor, action="organisation.created", subject=organisation, organisation=organisation)
    return organisation


def organisation_delete(*, actor: User, organisation: Organisation) -> None:
    """Only superusers; everything the organisation holds goes with it. The audit row keeps its name."""
    if not actor.is_superuser:
        raise OrganisationError("Only the people who run this site can remove an organisation.", code="forbidden")
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="organisation.deleted",
            detail={"organisation": organisation.slug, "name": organisation.name},
        )
        coordinators = list(
            User.objects.filter(memberships__organisation=organisation, memberships__role=Role.COORDINATOR)
        )
        organisation.delete()
        for user in coordinators:
            _sync_admin_access(user)


# Details a coordinator may change; the name and slug (which is in every link) only an operator may.
ORGANISATION_DETAIL_FIELDS = ("region", "description", "safeguarding_policy")
ORGANISATION_OPERATOR_FIELDS = ("name", "slug")


def organisation_update(*, actor: User, organisation: Organisation, changes: dict[str, Any]) -> Organisation:
    """Change an organisation's published details. Audited with the names of the fields changed."""
    require_coordinator(actor, organisation, error=OrganisationError)
    allowed = ORGANISATION_DETAIL_FIELDS + (ORGANISATION_OPERATOR_FIELDS if actor.is_superuser else ())
    unknown = set(changes) - set(allowed)
    if unknown:
        raise OrganisationError("Some of those details can only be changed by the people who run this site.")
    changed = [field for field, value in changes.items() if getattr(organisation, field) != value]
    if not changed:
        return organisation
    with transaction.atomic():
        for field in changed:
            setattr(organisation, field, changes[field])
        _validate(organisation)
        organisation.save(update_fields=changed)
        audit_record(
            actor=actor,
            action="organisation.updated",
            subject=organisation,
            organisation=organisation,
            detail={"fields": sorted(changed)},
        )
    return organisation


CRISIS_RESOURCE_FIELDS = ("name", "description", "phone", "text_number", "url", "hours", "position")


def crisis_resource_save(
    *, actor: User, organisation: Organisation, values: dict[str, Any], resource: CrisisResource | None = None
) -> CrisisResource:
    """Add a crisis resource to `organisation`, or change one of its own."""
    require_coordinator(actor, organisation, error=OrganisationError)
    if resource is not None and resource.organisation_id != organisation.pk:
        raise OrganisationError("That contact belongs to a different organisation.")
    unknown = set(values) - set(CRISIS_RESOURCE_FIELDS)
    if unknown:
        raise OrganisationError("Some of those details can't be set here.")
    created = resource is None
    if resource is None:
        resource = CrisisResource(organisation=organisation)
    for field, value in values.items():
        setattr(resource, field, value)
    with transaction.atomic():
        _validate(resource)
        resource.save()
        audit_record(
            actor=actor,
            action="crisis_resource.created" if created else "crisis_resource.updated",
            subject=resource,
            organisation=organisation,
            detail={"name": resource.name, "fields": sorted(values)},
        )
    return resource


def crisis_resource_delete(*, actor: User, resource: CrisisResource) -> None:
    organisation = resource.organisation
    require_coordinator(actor, organisation, error=OrganisationError)
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="crisis_resource.deleted",
            subject=resource,
            organisation=organisation,
            detail={"name": resource.name},
        )
        resource.delete()


def person_names_update(
    *, actor: User, organisation: Organisation, person: User, display_name: str, real_name: str
) -> User:
    """A coordinator corrects the names of a person in their organisation (e.g. an identifying pseudonym)."""
    require_coordinator(actor, organisation, error=OrganisationError)
    if not (actor.is_superuser or Membership.objects.filter(user=person, organisation=organisation).exists()):
        raise OrganisationError("That person isn't part of this organisation.")
    changed = {
        field: value.strip()
        for field, value in (("display_name", display_name), ("real_name", real_name))
        if getattr(person, field) != value.strip()
    }
    if not changed:
        return person
    with transaction.atomic():
        for field, value in changed.items():
            setattr(person, field, value)
        _validate(person, exclude=["password", "email"])
        person.save(update_fields=list(changed))
        audit_record(
            actor=actor,
            action="person.names_updated",
            subject=person,
            organisation=organisation,
            detail={"fields": sorted(changed)},
        )
    return person
