"""The signed-in person's own account over the API: names, profile, consents, people, personal tokens.

Thin: every write goes through accounts.services, every read of someone else through the selectors.
"""

from __future__ import annotations

import zoneinfo
from datetime import datetime, time
from functools import cache
from typing import Any
from uuid import UUID

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError
from pydantic import field_validator

from kindred.core import ratelimit
from kindred.core.api import InputSchema, responses

from . import my_data, services
from .api_auth import SessionCookieAuth
from .export_views import CONFIRM_MINUTES, check_rate, json_download, recently_confirmed
from .http import current_user
from .models import PROFILE_FIELDS, AgeBand, ApiToken, ConsentKind, Profile, User, Visibility

router = Router(tags=["account"])


# --- Me ----------------------------------------------------------------------------------------------


class MeOut(Schema):
    public_id: UUID
    email: str
    display_name: str
    real_name: str
    email_verified: bool


class MeIn(InputSchema):
    display_name: str | None = Field(None, max_length=50, description="The name others see. It can be a pseudonym.")
    real_name: str | None = Field(None, max_length=150, description="Optional. Only you and staff can see it.")

    @field_validator("display_name")
    @classmethod
    def _display_name_not_blank(cls, value: str | None) -> str | None:
        # Only runs when a display name is sent: leaving it out keeps the current one.
        if value is None or not value.strip():
            raise ValueError("Please choose a display name. It can be a pseudonym")
        return value


@router.get("/me", response=responses({200: MeOut}), summary="Your account")
def me(request: HttpRequest) -> User:
    return current_user(request)


@router.patch("/me", response=responses({200: MeOut}), summary="Change your display name or real name")
def me_update(request: HttpRequest, payload: MeIn) -> User:
    user = current_user(request)
    changes = payload.model_dump(exclude_unset=True)
    return services.account_update_names(
        actor=user,
        display_name=changes.get("display_name", user.display_name),
        real_name=changes.get("real_name", user.real_name) or "",
    )


# --- Profile -----------------------------------------------------------------------------------------


class ProfileOut(Schema):
    experience: str
    experience_visibility: Visibility
    gender: str
    gender_visibility: Visibility
    ethnicity: str
    ethnicity_visibility: Visibility
    sexuality: str
    sexuality_visibility: Visibility
    age_band: AgeBand
    age_band_visibility: Visibility
    faith: str
    faith_visibility: Visibility
    interests: str
    interests_visibility: Visibility
    languages: str
    languages_visibility: Visibility
    values: str
    values_visibility: Visibility
    email_notifications: bool
    quiet_hours_start: time | None
    quiet_hours_end: time | None
    timezone: str


# Fields cleared with "" (null is refused); quiet hours alone are cleared with null.
_TEXT_PROFILE_FIELDS = (
    *PROFILE_FIELDS,
    *(f"{f}_visibility" for f in PROFILE_FIELDS),
    "email_notifications",
    "timezone",
)


@cache
def _timezones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


class ProfileIn(InputSchema):
    """Send only what you want to change. Each field has its own visibility; all start as only_me."""

    experience: str | None = Field(None, max_length=4000)
    experience_visibility: Visibility | None = None
    gender: str | None = Field(None, max_length=80)
    gender_visibility: Visibility | None = None
    ethnicity: str | None = Field(None, max_length=80)
    ethnicity_visibility: Visibility | None = None
    sexuality: str | None = Field(None, max_length=80)
    sexuality_visibility: Visibility | None = None
    age_band: AgeBand | None = None
    age_band_visibility: Visibility | None = None
    faith: str | None = Field(None, max_length=80)
    faith_visibility: Visibility | None = None
    interests: str | None = Field(None, max_length=500)
    interests_visibility: Visibility | None = None
    languages: str | None = Field(None, max_length=300)
    languages_visibility: Visibility | None = None
    values: str | None = Field(None, max_length=500)
    values_visibility: Visibility | None = None
    email_notifications: bool | None = None
    quiet_hours_start: time | None = None
    quiet_hours_end: time | None = None
    timezone: str | None = Field(None, max_length=64, examples=["Europe/London"])

    @field_validator(*_TEXT_PROFILE_FIELDS, mode="before")
    @classmethod
    def _no_nulls_where_text_is_expected(cls, value: Any) -> Any:
        if value is None:
            raise ValueError('This can\'t be null. To clear a text field, send "" instead')
        return value

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, value: str | None) -> str | None:
        if value is not None and value not in _timezones():
            raise ValueError("Please give a time zone name such as Europe/London")
        return value


def _profile_of(user: User) -> Profile:
    # Reading never creates anything: someone without a profile row sees the private defaults.
    return Profile.objects.filter(user=user).first() or Profile(user=user)


@router.get("/me/profile", response=responses({200: ProfileOut}), summary="Your profile and who can see each part")
def profile(request: HttpRequest) -> Profile:
    return _profile_of(current_user(request))


@router.patch("/me/profile", response=responses({200: ProfileOut}, 400), summary="Change parts of your profile")
def profile_update(request: HttpRequest, payload: ProfileIn) -> Profile:
    changes = payload.model_dump(exclude_unset=True)
    for field, value in changes.items():
        if hasattr(value, "value"):  # enums back to their stored strings
            changes[field] = value.value
    return services.profile_update(actor=current_user(request), changes=changes)


# --- Consents ----------------------------------------------------------------------------------------


class ConsentOut(Schema):
    kind: str
    label: str
    granted: bool | None = Field(..., description="null if you have never been asked.")
    version: str | None
    recorded_at: datetime | None


class ConsentIn(InputSchema):
    kind: str = Field(ConsentKind.RESEARCH_CONTACT.value, examples=["research_contact"])
    granted: bool


def _consent_out(kind: str, record: Any) -> dict[str, Any]:
    return {
        "kind": kind,
        "label": ConsentKind(kind).label,
        "granted": record.granted if record else None,
        "version": record.version if record else None,
        "recorded_at": record.recorded_at if record else None,
    }


@router.get("/me/consents", response=responses({200: list[ConsentOut]}), summary="What you have agreed to")
def consents(request: HttpRequest) -> list[dict[str, Any]]:
    return [_consent_out(kind, record) for kind, record in services.current_consents(current_user(request)).items()]


@router.post(
    "/me/consents", response=responses({200: ConsentOut}, 400), summary="Agree to, or stop, contact about research"
)
def consent_update(request: HttpRequest, payload: ConsentIn) -> dict[str, Any]:
    if payload.kind != ConsentKind.RESEARCH_CONTACT:
        raise HttpError(
            400,
            "Only contact about research can be changed here. Agreeing to the terms and privacy notice is part of "
            "having an account; if you'd like to stop, you can delete your account in your account settings.",
        )
    record = services.consent_set(actor=current_user(request), kind=payload.kind, granted=payload.granted)
    return _consent_out(record.kind, record)


# --- People ------------------------------------------------------------------------------------------


# --- Personal API tokens -----------------------------------------------------------------------------


class TokenOut(Schema):
    public_id: UUID
    name: str
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None
    active: bool


class TokenCreatedOut(TokenOut):
    token: str = Field(..., description="The token itself. Shown only this once: Kindred keeps only a fingerprint.")


class TokenIn(InputSchema):
    name: str = Field(..., max_length=80, examples=["My script"])


def _token_out(token: ApiToken) -> dict[str, Any]:
    return {
        "public_id": token.public_id,
        "name": token.name,
        "created_at": token.created_at,
        "last_used_at": token.last_used_at,
        "revoked_at": token.revoked_at,
        "active": token.revoked_at is None,
    }


@router.get("/me/tokens", response=responses({200: list[TokenOut]}), summary="Your personal API tokens")
def tokens(request: HttpRequest) -> list[dict[str, Any]]:
    return [_token_out(t) for t in ApiToken.objects.filter(user=current_user(request))]


@router.post(
    "/me/tokens",
    auth=[SessionCookieAuth()],  # a leaked token must not be able to mint more tokens
    response=responses({201: TokenCreatedOut}, 400, 403, 429),
    summary="Create a personal API token (signed-in browser session only)",
)
def token_create(request: HttpRequest, payload: TokenIn) -> Status[dict[str, Any]]:
    user = current_user(request)
    ratelimit.check("api_token", str(user.public_id))
    token, raw = services.api_token_create(actor=user, name=payload.name)
    return Status(201, {**_token_out(token), "token": raw})


@router.delete(
    "/me/tokens/{public_id}", response=responses({204: None}, 404), summary="Revoke a token: it stops working at once"
)
def token_revoke(request: HttpRequest, public_id: UUID) -> Status[None]:
    user = current_user(request)
    token = get_object_or_404(ApiToken, user=user, public_id=public_id)
    services.api_token_revoke(actor=user, token=token)
    return Status(204, None)


# --- My data -----------------------------------------------------------------------------------------


@router.get(
    "/me/export",
    response=responses({200: dict[str, Any]}, 403, 429),
    summary="Everything Kindred holds about you (a JSON file)",
    description=(
        "The same data as Account settings → Your data, as an attachment named kindred-my-data-<date>.json. "
        "With a personal API token it is sent at once. From a browser session, confirm your password on the "
        "Your data page first (it then works for 10 minutes), so a device left signed in isn't enough to take "
        "everything. Rate limited, and recorded in your account's audit trail."
    ),
)
def my_data_export(request: HttpRequest) -> Any:
    user = current_user(request)
    if getattr(request, "api_token", None) is None and not recently_confirmed(request):
        raise HttpError(
            403,
            "Please confirm your password on the Your data page in your account settings first; then this works "
            f"from your browser for {CONFIRM_MINUTES} minutes. Scripts can use a personal API token instead.",
        )
    check_rate(user)
    data = my_data.collect(user)
    my_data.record_export(actor=user, fmt="json", via="api")
    return json_download(data)
