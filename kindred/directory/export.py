"""My data: a person's own requests to join (self-referrals), referrals linked to their account, and listings."""

from __future__ import annotations

from typing import Any

from kindred.accounts.models import User
from kindred.accounts.my_data import iso
from kindred.accounts.personal_data import register

from .models import Offer, Referral, ReferralKind


def _referral(r: Referral) -> dict[str, Any]:
    row: dict[str, Any] = {
        "offer": r.offer.title,
        "organisation": r.organisation.name,
        "kind": r.get_kind_display(),
        "your_message": r.message,
        "preferred_contact": r.preferred_contact,
        "status": r.get_status_display(),
        "closed_reason": r.closed_reason,
        "sent_at": iso(r.created_at),
        "last_changed": iso(r.updated_at),
    }
    if r.kind == ReferralKind.PROFESSIONAL:
        # The details given about the person are theirs; the referrer's own contact details are not.
        row.update(
            {
                "your_name_as_given": r.person_name,
                "your_email_as_given": r.person_email,
                "your_phone_as_given": r.person_phone,
                "referred_by_role": r.referrer_role,
                "referred_by_organisation": r.referrer_organisation,
                "you_agreed": r.person_agreed,
            }
        )
    return row


def export_person(user: User) -> dict[str, Any]:
    # Only referrals linked to this account. A professional's referral made before the person had an account is
    # matched by nothing but an email address someone else typed, so it stays with the organisation (see the
    # "not included" notes): guessing could hand one person's referral to another.
    referrals = Referral.objects.filter(person=user).select_related("offer", "organisation").order_by("created_at")
    return {
        "requests_and_referrals": [_referral(r) for r in referrals],
        "listings_you_added": [
            {
                "title": o.title,
                "organisation": o.organisation.name,
                "status": o.get_status_display(),
                "added": iso(o.created_at),
            }
            for o in Offer.objects.filter(listed_by=user).select_related("organisation").order_by("created_at")
        ],
        "listings_you_help_manage": [
            {"title": o.title, "organisation": o.organisation.name}
            for o in Offer.objects.filter(managers=user).select_related("organisation").order_by("title")
        ],
    }


register(
    key="directory",
    order=70,
    label="Requests to join and referrals",
    about=("Your requests to join or talk to someone first, referrals made for you, and listings you added."),
    export=export_person,
)
