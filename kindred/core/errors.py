"""The one error contract: every refusal Kindred gives a person is an `AppError` (or a subclass of it).

An `AppError` carries a stable `code` that clients can rely on, a kind, plain message that can be shown to the
person as it is, and optionally the `field` it is about. Raising one means nothing was changed: services raise it
before writing, or inside the transaction that it rolls back.

The code decides the HTTP status, here and nowhere else (`HTTP_STATUS`). The API turns an `AppError` into
`{"detail": message, "code": code, "field": field}` (see `kindred.api`); pages either show the message on the
form that was sent (`add_to_form`) or, when a view lets it escape, render the kind error page with the same
status (`kindred.core.middleware.AppErrorMiddleware`).
"""

from __future__ import annotations

from typing import Any, ClassVar, Protocol

# Every code an AppError may carry, and the HTTP status it answers with. Add a code here before raising it
# (kindred/core/tests/test_errors.py checks that every code raised in Kindred is listed).
HTTP_STATUS: dict[str, int] = {
    # 400: the request can't be done as asked; the message says what to change
    "invalid": 400,
    "empty": 400,
    "too_long": 400,
    "bad_cursor": 400,
    "bad_client_id": 400,
    "no_reason": 400,
    "no_email": 400,
    "no_contact": 400,
    "no_agreement": 400,
    "cap": 400,  # going past a caseload cap needs a recorded reason
    "capacity": 400,  # a supporter with no place left: choose someone else
    "capacity_below_load": 400,
    "unknown_role": 400,
    # 401: not signed in (API: no valid token or session)
    "unauthorised": 401,
    "not_signed_in": 401,
    # 403: the person may see this but not do that
    "forbidden": 403,
    "not_allowed": 403,
    "wrong_person": 403,
    "restricted": 403,
    "read_only": 403,
    "closed": 403,  # a closed group, room, connection or referral: still there to read, not to act on
    # 404: unknown, or not shared with this person (never says which)
    "not_found": 404,
    "not_published": 404,
    # 409: the thing has moved on (already done, taken meanwhile, full, or in another state)
    "conflict": 409,
    "duplicate": 409,
    "bad_transition": 409,
    "open": 409,
    "invited": 409,
    "not_pending": 409,
    "not_held": 409,
    "last_coordinator": 409,
    # 410: a link or invitation that has expired, been used or been withdrawn
    "gone": 410,
    "expired": 410,
    "used": 410,
    "withdrawn": 410,
    # 422: the request body or query didn't validate; `errors` lists each field
    "invalid_input": 422,
    # 429: too much, too fast
    "rate_limited": 429,
    "room_busy": 429,
    # 503: something Kindred relies on is down for a moment
    "unavailable": 503,
}


class AppError(Exception):
    """A kind, plain reason something could not be done. Nothing was changed.

    Subclasses name the domain (`GroupError`, `CareError`, …) and may set a `default_code`; the code decides the
    HTTP status through `HTTP_STATUS`.
    """

    default_code: ClassVar[str] = "invalid"
    default_message: ClassVar[str] = "That couldn't be done. Nothing has been changed."

    def __init__(self, message: str | None = None, *, code: str | None = None, field: str | None = None) -> None:
        self.message = message or self.default_message
        self.code = code or self.default_code
        self.field = field
        super().__init__(self.message)

    @property
    def status(self) -> int:
        return HTTP_STATUS.get(self.code, 400)

    def as_dict(self) -> dict[str, Any]:
        body: dict[str, Any] = {"detail": self.message, "code": self.code}
        if self.field:
            body["field"] = self.field
        return body


class NotFound(AppError):
    """The same answer whether a thing doesn't exist or isn't shared with the person."""

    default_code = "not_found"
    default_message = "We couldn't find that. It may not exist, or it may not be shared with you."


class NotAllowed(AppError):
    default_code = "forbidden"
    default_message = "You don't have permission to do that."


class _FormLike(Protocol):
    fields: dict[str, Any]

    def add_error(self, field: str | None, error: Any) -> None: ...


def add_to_form(form: _FormLike, error: AppError) -> int:
    """Show `error` on the form that was sent (on its field when the form has one) and return the page's status."""
    field = error.field if error.field and error.field in form.fields else None
    form.add_error(field, error.message)
    return error.status
