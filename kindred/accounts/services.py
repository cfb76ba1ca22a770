from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from kindred.core.errors import AppError
from kindred.core.hashing import keyed_digest, new_token
from kindred.core.services import audit_record

from . import personal_data, security_emails, tokens
from .models import PROFILE_FIELDS, ApiToken, ConsentKind, ConsentRecord, Profile, User, normalise_email


class AccountError(AppError):
    """A kind, human-readable reason an account action could not be done."""


def user_signup(
    *,
    email: str,
    password: str,
    display_name: str,
    real_name: str = "",
    accepted_terms: bool,
    accepted_privacy: bool,
    research_contact: bool = False,
) -> User:
    """Create an account with its (empty, private) profile and consent records; send a verification email."""
    if not (accepted_terms and accepted_privacy):
        raise AccountError("Please agree to the terms of use and the privacy notice to create an account.")
    with transaction.atomic(durable=True):
        if User.objects.filter(email=normalise_email(email)).exists():
            raise AccountError(
                "An account with this email address already exists. You can log in or reset your password."
            )
        user = User.objects.create_user(email, password, display_name=display_name.strip(), real_name=real_name.strip())
        Profile.objects.create(user=user)
        for kind, granted in (
            (ConsentKind.TERMS, True),
            (ConsentKind.PRIVACY, True),
            (ConsentKind.RESEARCH_CONTACT, research_contact),
        ):
            _consent_row(user, kind, granted)
        audit_record(actor=user, action="account.signup", subject=user)
        send_verification_email(user=user)
    return user


def _consent_row(user: User, kind: str, granted: bool) -> ConsentRecord:
    return ConsentRecord.objects.create(
        user=user, kind=kind, granted=granted, version=settings.CONSENT_VERSIONS[kind], recorded_at=timezone.now()
    )


def send_verification_email(*, user: User) -> None:
    link = f"{settings.SITE_URL}/account/verify/{tokens.verification_token(user)}/"
    security_emails.verify_address(user=user, link=link)


def email_verify(*, token: str) -> User:
    data = tokens.read_token(token, salt=tokens.VERIFY_SALT)
    with transaction.atomic(durable=True):
        user = User.objects.select_for_update().filter(public_id=data.get("u"), email=data.get("e")).first()
        if user is None:
            raise tokens.BadLink("This link isn't valid any more. You can ask for a new one.")
        if user.email_verified_at is None:
            user.email_verified_at = timezone.now()
            user.save(update_fields=["email_verified_at"])
            audit_record(actor=user, action="account.email_verified", subject=user)
    return user


def email_change_request(*, actor: User, new_email: str) -> None:
    """Send a confirmation link to the new address; nothing changes until it is followed."""
    new_email = normalise_email(new_email)
    if new_email == actor.email:
        raise AccountError("That is already your email address.")
    if User.objects.filter(email=new_email).exists():
        raise AccountError("Another account already uses that email address.")
    link = f"{settings.SITE_URL}/account/email/confirm/{tokens.email_change_token(actor, new_email)}/"
    with transaction.atomic(durable=True):
        audit_record(actor=actor, action="account.email_change_requested", subject=actor)
        security_emails.confirm_new_address(user=actor, new_email=new_email, link=link)


def email_change_confirm(*, token: str) -> User:
    data = tokens.read_token(token, salt=tokens.CHANGE_SALT)
    with transaction.atomic(durable=True):
        user = User.objects.select_for_update().filter(public_id=data.get("u"), email=data.get("old")).first()
        if user is None:
            raise tokens.BadLink("This link isn't valid any more. Please ask for the change again.")
        if User.objects.filter(email=data["new"]).exclude(pk=user.pk).exists():
            raise AccountError("Another account already uses that email address.")
        old = user.email
        user.email = data["new"]
        user.email_verified_at = timezone.now()
        user.save(update_fields=["email", "email_verified_at"])
        audit_record(actor=user, action="account.email_changed", subject=user)
        security_emails.address_changed(user=user, old_email=old)
    return user


def profile_update(*, actor: User, changes: dict[str, Any]) -> Profile:
    """Apply validated changes to the actor's own profile (fields, visibilities, contact preferences)."""
    allowed = (
        set(PROFILE_FIELDS)
        | {f"{f}_visibility" for f in PROFILE_FIELDS}
        | {
            "email_notifications",
            "quiet_hours_start",
            "quiet_hours_end",
            "timezone",
        }
    )
    unknown = set(changes) - allowed
    if unknown:
        raise AccountError(f"Unknown profile fields: {', '.join(sorted(unknown))}")
    with transaction.atomic(durable=True):
        profile, _ = Profile.objects.select_for_update().get_or_create(user=actor)
        for field, value in changes.items():
            setattr(profile, field, value)
        profile.full_clean()
        profile.save()
    return profile


def account_update_names(*, actor: User, display_name: str, real_name: str) -> User:
    with transaction.atomic(durable=True):
        actor.display_name = display_name.strip()
        actor.real_name = real_name.strip()
        actor.full_clean(exclude=["password", "email"])
        actor.save(update_fields=["display_name", "real_name"])
    return actor


def consent_set(*, actor: User, kind: ConsentKind | str, granted: bool) -> ConsentRecord:
    kind = ConsentKind(kind)
    with transaction.atomic(durable=True):
        record = _consent_row(actor, kind, granted)
        audit_record(actor=actor, action="consent.recorded", subject=actor, detail={"kind": kind, "granted": granted})
    return record


def current_consents(user: User) -> dict[str, ConsentRecord | None]:
    latest: dict[str, ConsentRecord | None] = {kind: None for kind in ConsentKind.values}
    for record in user.consents.order_by("recorded_at", "id"):
        latest[record.kind] = record
    return latest


def password_changed(*, actor: User) -> None:
    with transaction.atomic(durable=True):
        audit_record(actor=actor, action="account.password_changed", subject=actor)


def account_delete(*, actor: User, remove_writing: bool = False) -> None:
    """Erase the account and everything that is only theirs, in one transaction: all or nothing.

    Every app's registered eraser runs first (`kindred.accounts.personal_data`): the person's engagements end as
    "account deleted", and what they wrote to others is kept, shown as by a former member — unless they chose
    `remove_writing`: then the words of their posts and chat messages are replaced by "removed by its author" (a
    thread nobody else replied to goes), and everyone else's replies stay where they were.

    The audit row keeps no personal data: just that an account was deleted, and its opaque id.
    """
    with transaction.atomic(durable=True):
        personal_data.erase_person(actor, remove_writing=remove_writing)
        public_id = str(actor.public_id)
        audit_record(actor=None, action="account.deleted", detail={"account": public_id})
        actor.delete()


# --- Personal API tokens ---------------------------------------------------------------------------

MAX_ACTIVE_API_TOKENS = 20


def api_token_create(*, actor: User, name: str) -> tuple[ApiToken, str]:
    """Issue a personal API token. Returns the row and the raw token, which is never stored or shown again."""
    name = " ".join(name.split())
    if not name:
        raise AccountError("Please give the token a name, so you can recognise it later (e.g. “My script”).")
    max_chars = ApiToken._meta.get_field("name").max_length
    if len(name) > max_chars:
        raise AccountError(f"Token names can be up to {max_chars} characters.")
    raw = new_token()
    with transaction.atomic(durable=True):
        # Lock the person's row so two requests at once can't both slip under the limit.
        User.objects.select_for_update().filter(pk=actor.pk).first()
        if ApiToken.objects.filter(user=actor, revoked_at__isnull=True).count() >= MAX_ACTIVE_API_TOKENS:
            raise AccountError(
                f"You already have {MAX_ACTIVE_API_TOKENS} tokens in use. Please revoke one you no longer need first."
            )
        token = ApiToken.objects.create(user=actor, name=name, digest=keyed_digest(raw, purpose="api-token"))
        audit_record(actor=actor, action="api_token.created", subject=token, detail={"name": name})
    return token, raw


def api_token_revoke(*, actor: User, token: ApiToken) -> ApiToken:
    """Stop a token working at once. Revoking twice is harmless and recorded once."""
    if token.user_id != actor.pk:
        raise AccountError("You can only revoke your own tokens.")
    with transaction.atomic(durable=True):
        revoked = ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())
        if revoked:
            audit_record(actor=actor, action="api_token.revoked", subject=token, detail={"name": token.name})
    token.refresh_from_db(fields=["revoked_at"])
    return token
