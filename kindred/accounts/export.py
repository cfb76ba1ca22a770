"""My data: the account, profile, contact preferences, consents, API tokens and the person's own audit trail."""

from __future__ import annotations

from typing import Any

from kindred.core.models import AuditEvent

from .models import PROFILE_FIELDS, ApiToken, ConsentRecord, Profile, User, Visibility
from .my_data import iso
from .personal_data import register


def _profile(user: User) -> dict[str, Any]:
    profile = Profile.objects.filter(user=user).first() or Profile(user=user)
    about: dict[str, Any] = {}
    for field in PROFILE_FIELDS:
        about[field] = getattr(profile, field)
        about[f"{field}_visible_to"] = str(Visibility(profile.visibility_of(field)).label)
    return about


def _contact(user: User) -> dict[str, Any]:
    profile = Profile.objects.filter(user=user).first() or Profile(user=user)
    return {
        "email_notifications": profile.email_notifications,
        "quiet_hours_start": profile.quiet_hours_start.isoformat("minutes") if profile.quiet_hours_start else None,
        "quiet_hours_end": profile.quiet_hours_end.isoformat("minutes") if profile.quiet_hours_end else None,
        "timezone": profile.timezone,
        "profile_last_changed": iso(profile.updated_at) if profile.pk else None,
    }


def export_person(user: User) -> dict[str, Any]:
    return {
        "account": {
            "public_id": str(user.public_id),
            "email": user.email,
            "email_confirmed_at": iso(user.email_verified_at),
            "display_name": user.display_name,
            "real_name": user.real_name,
            "joined": iso(user.date_joined),
            "last_login": iso(user.last_login),
        },
        "profile": _profile(user),
        "contact_preferences": _contact(user),
        # Every decision, oldest first: the latest of each kind is the current one.
        "consents": [
            {
                "about": c.get_kind_display(),
                "kind": c.kind,
                "version": c.version,
                "agreed": c.granted,
                "recorded_at": iso(c.recorded_at),
            }
            for c in ConsentRecord.objects.filter(user=user).order_by("recorded_at", "id")
        ],
        # Names and dates only: the token itself is never stored, and its fingerprint is of no use to anyone.
        "api_tokens": [
            {
                "name": t.name,
                "created_at": iso(t.created_at),
                "last_used_at": iso(t.last_used_at),
                "revoked_at": iso(t.revoked_at),
            }
            for t in ApiToken.objects.filter(user=user).order_by("created_at", "id")
        ],
        # What the person did that Kindred keeps a record of. The details of each row can name other people or
        # the organisation's records, so only the action, its kind of subject, the organisation and when.
        "your_recorded_actions": [
            {
                "action": e.action,
                "about": e.subject_type,
                "organisation": e.organisation.name if e.organisation_id else None,
                "at": iso(e.created_at),
            }
            for e in AuditEvent.objects.filter(actor=user).select_related("organisation").order_by("created_at", "id")
        ],
    }


register(
    key="account",
    order=10,
    label="Your account and profile",
    about=(
        "Your names, email address, profile and who can see each part, contact preferences and quiet hours, "
        "what you have agreed to (with versions and times), personal API tokens (names and dates only) and "
        "the things you have done that Kindred keeps a record of."
    ),
    export=export_person,
)
