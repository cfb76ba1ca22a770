"""Fetch organisation things only through these: outsiders get 404, insiders without the role get 403."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from kindred.accounts.models import User
from kindred.core.errors import AppError, NotAllowed

from .models import CrisisResource, Invitation, Membership, Organisation, Role
from .selectors import roles_in


def get_organisation_for(user: User, slug: str, *, require_role: Role | None = None) -> Organisation:
    organisation = get_object_or_404(Organisation, slug=slug)
    roles = roles_in(user, organisation)
    if not roles and not user.is_superuser:
        raise Http404("No such organisation.")
    if require_role is not None and require_role not in roles and not user.is_superuser:
        raise PermissionDenied("You need to be a coordinator of this organisation to do that.")
    return organisation


def get_person_in_organisation_for(user: User, organisation: Organisation, public_id: str) -> User:
    """A person of `organisation`, for a coordinator of it. Never reveals people of other organisations."""
    get_organisation_for(user, organisation.slug, require_role=Role.COORDINATOR)
    person = User.objects.filter(public_id=public_id, memberships__organisation=organisation).distinct().first()
    if person is None:
        raise Http404("No such person in this organisation.")
    return person


def get_membership_for(user: User, organisation: Organisation, membership_id: int) -> Membership:
    get_organisation_for(user, organisation.slug, require_role=Role.COORDINATOR)
    membership = Membership.objects.filter(pk=membership_id, organisation=organisation).first()
    if membership is None:
        raise Http404("No such membership.")
    return membership


def get_invitation_for(user: User, organisation: Organisation, public_id: str) -> Invitation:
    get_organisation_for(user, organisation.slug, require_role=Role.COORDINATOR)
    invitation = Invitation.objects.filter(public_id=public_id, organisation=organisation).first()
    if invitation is None:
        raise Http404("No such invitation.")
    return invitation


def get_crisis_resource_for(user: User, organisation: Organisation, resource_id: int) -> CrisisResource:
    get_organisation_for(user, organisation.slug, require_role=Role.COORDINATOR)
    resource = CrisisResource.objects.filter(pk=resource_id, organisation=organisation).first()
    if resource is None:
        raise Http404("No such crisis contact.")
    return resource


def require_coordinator(
    actor: User,
    organisation: Organisation,
    *,
    error: type[AppError] = NotAllowed,
    message: str = "Only a coordinator of this organisation can do that.",
) -> None:
    """For services: refuse anyone but the organisation's coordinators (and site admins), with the domain's error."""
    if not (actor.is_superuser or Role.COORDINATOR in roles_in(actor, organisation)):
        raise error(message, code="forbidden")
