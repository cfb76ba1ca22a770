"""Signed, expiring links for email verification and email change. Nothing to store, nothing to leak."""

from __future__ import annotations

from django.core import signing

from .models import User

VERIFY_SALT = "kindred.accounts.verify-email"
CHANGE_SALT = "kindred.accounts.change-email"
LINK_MAX_AGE = 60 * 60 * 24 * 3  # three days


class BadLink(Exception):
    """The link is forged, out of date or already used."""


def verification_token(user: User) -> str:
    return signing.dumps({"u": str(user.public_id), "e": user.email}, salt=VERIFY_SALT)


def email_change_token(user: User, new_email: str) -> str:
    return signing.dumps({"u": str(user.public_id), "old": user.email, "new": new_email}, salt=CHANGE_SALT)


def read_token(token: str, *, salt: str) -> dict[str, str]:
    try:
        data = signing.loads(token, salt=salt, max_age=LINK_MAX_AGE)
    except signing.SignatureExpired as exc:
        raise BadLink("This link has expired.") from exc
    except signing.BadSignature as exc:
        raise BadLink("This link isn't valid.") from exc
    if not isinstance(data, dict):
        raise BadLink("This link isn't valid.")
    return data
