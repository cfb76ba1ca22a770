"""Organisations over the API. Outsiders get 404 (we never confirm a private organisation exists);
insiders without the right role get 403. Same access helpers, selectors and services as the pages."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from django.http import HttpRequest
from ninja import Field, Router, Schema, Status
from pydantic import field_validator

from kindred.accounts.http import current_user
from kindred.core import ratelimit
from kindred.core.api import InputSchema, responses

from . import selectors, services
from .access import get_organisation_for
from .models import Organisation, Role

router = Router(tags=["organisations"])


class OrganisationOut(Schema):
    slug: str
    name: str
    region: str
    description: str
    my_roles: list[Role] = Field(..., description="Your roles in this organisation.")


class OrganisationDetailOut(OrganisationOut):
    safeguarding_policy: str = Field(..., description="What the organisation does if it is worried about someone.")


class PersonInOrganisationOut(Schema):
    public_id: UUID
    display_name: str
    real_name: str
    roles: list[Role]


class InvitationIn(InputSchema):
    email: str = Field(..., max_length=254, examples=["someone@example.org"])
    role: Role = Role.MEMBER

    @field_validator("email")
    @classmethod
    def _valid_email(cls, value: str) -> str:
        value = value.strip()
        try:
            validate_email(value)
        except DjangoValidationError:
            raise ValueError("Please enter an email address like name@example.org") from None
        return value


class InvitationOut(Schema):
    public_id: UUID
    email: str
    role: Role
    status: str
    expires_at: datetime


def _organisation_out(organisation: Organisation, roles: list[str], *, detail: bool = False) -> dict[str, Any]:
    out = {
        "slug": organisation.slug,
        "name": organisation.name,
        "region": organisation.region,
        "description": organisation.description,
        "my_roles": sorted(roles),
    }
    if detail:
        out["safeguarding_policy"] = organisation.safeguarding_policy
    return out


@router.get("", response=responses({200: list[OrganisationOut]}), summary="Organisations you belong to")
def organisations(request: HttpRequest) -> list[dict[str, Any]]:
    grouped = selectors.memberships_by_organisation(current_user(request))
    return [
        _organisation_out(organisation, [m.role for m in memberships])
        for organisation, memberships in sorted(grouped.items(), key=lambda item: item[0].name)
    ]


@router.get("/{slug}", response=responses({200: OrganisationDetailOut}, 404), summary="One of your organisations")
def organisation(request: HttpRequest, slug: str) -> dict[str, Any]:
    user = current_user(request)
    organisation = get_organisation_for(user, slug)
    return _organisation_out(organisation, list(selectors.roles_in(user, organisation)), detail=True)


@router.get(
    "/{slug}/people",
    response=responses({200: list[PersonInOrganisationOut]}, 403, 404),
    summary="The people of an organisation (coordinators only)",
)
def people(request: HttpRequest, slug: str) -> list[dict[str, Any]]:
    organisation = get_organisation_for(current_user(request), slug, require_role=Role.COORDINATOR)
    return [
        {
            "public_id": person.public_id,
            "display_name": person.display_name,
            "real_name": person.real_name,
            "roles": sorted({m.role for m in person.roles_here}),
        }
        for person in selectors.people_with_roles(organisation)
    ]


@router.post(
    "/{slug}/invitations",
    response=responses({201: InvitationOut}, 400, 403, 404, 429),
    summary="Invite someone by email (coordinators only). The link goes only to them, never into the response.",
)
def invitation_create(request: HttpRequest, slug: str, payload: InvitationIn) -> Status[dict[str, Any]]:
    user = current_user(request)
    organisation = get_organisation_for(user, slug, require_role=Role.COORDINATOR)
    ratelimit.check("invite", str(user.public_id))
    invitation, _token = services.invitation_create(
        actor=user, organisation=organisation, email=payload.email, role=payload.role
    )
    return Status(
        201,
        {
            "public_id": invitation.public_id,
            "email": invitation.email,
            "role": invitation.role,
            "status": invitation.status,
            "expires_at": invitation.expires_at,
        },
    )
