"""My data: the organisations a person belongs to, their roles, and the invitations they accepted."""

from __future__ import annotations

from typing import Any

from kindred.accounts.models import User
from kindred.accounts.my_data import display_name, iso
from kindred.accounts.personal_data import register

from .models import Invitation, Membership


def export_person(user: User) -> dict[str, Any]:
    return {
        "memberships_and_roles": [
            {"organisation": m.organisation.name, "role": m.get_role_display(), "since": iso(m.created_at)}
            for m in Membership.objects.filter(user=user).select_related("organisation").order_by("created_at", "id")
        ],
        # Invitations the person accepted (their own email address; who invited them by display name only).
        "invitations_accepted": [
            {
                "organisation": i.organisation.name,
                "role": i.get_role_display(),
                "invited_by": display_name(i.invited_by),
                "invited_at": iso(i.created_at),
                "accepted_at": iso(i.accepted_at),
            }
            for i in Invitation.objects.filter(accepted_by=user)
            .select_related("organisation", "invited_by")
            .order_by("created_at", "id")
        ],
    }


register(
    key="organisations",
    order=20,
    label="Organisations and roles",
    about=("The organisations you belong to and your roles in each, and invitations you accepted."),
    export=export_person,
)
