"""Account-security emails: verify your address, confirm a new one, your address changed, reset your password.

The one thing Kindred sends without the reach gate (`kindred.commons.reach`): each answers a request the person
has just made (or warns them about one), so it must never wait for quiet hours or be held back by a step back or
a contact preference. Everything else goes through the gate.
"""

from __future__ import annotations

from kindred.core.email import email_after_commit

from .models import User


def verify_address(*, user: User, link: str) -> None:
    email_after_commit(to=user.email, template="accounts/email/verify", context={"user": user, "link": link})


def confirm_new_address(*, user: User, new_email: str, link: str) -> None:
    email_after_commit(to=new_email, template="accounts/email/change_email", context={"user": user, "link": link})


def address_changed(*, user: User, old_email: str) -> None:
    """Tell the old address, so someone who didn't ask for the change finds out."""
    email_after_commit(to=old_email, template="accounts/email/email_changed_notice", context={"user": user})


def password_reset(*, user: User, link: str) -> None:
    email_after_commit(to=user.email, template="accounts/email/password_reset", context={"user": user, "link": link})
