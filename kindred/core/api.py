"""What every API router shares: the one error shape, strict request bodies and the responses helper.

Errors are documented once: every error response is an `ErrorOut` (validation errors add `errors`), and the
mapping from exceptions to these bodies is in `kindred.api`.
"""

from __future__ import annotations

from typing import Any

from ninja import Field, Schema
from pydantic import ConfigDict


class ErrorOut(Schema):
    detail: str = Field(..., description="A plain-English explanation you can show to the person.")
    code: str = Field(
        "invalid",
        description=(
            "A stable code for programs: invalid, empty, too_long, forbidden, not_allowed, wrong_person, not_found, "
            "conflict, duplicate, bad_transition, closed, gone, unauthorised, invalid_input, rate_limited, busy."
        ),
    )
    field: str | None = Field(None, description="The field the error is about, when there is one.")


class FieldErrorOut(Schema):
    field: str
    message: str


class ValidationErrorOut(ErrorOut):
    errors: list[FieldErrorOut]


_ERROR_SCHEMAS: dict[int, type[Schema]] = {
    400: ErrorOut,
    401: ErrorOut,
    403: ErrorOut,
    404: ErrorOut,
    409: ErrorOut,
    410: ErrorOut,
    422: ValidationErrorOut,
    429: ErrorOut,
}


def responses(ok: dict[int, Any], *codes: int) -> dict[int, Any]:
    """The success schema(s) plus the error codes an endpoint can give; 401 and 422 always apply."""
    return {**ok, **{code: _ERROR_SCHEMAS[code] for code in sorted({401, 422, *codes})}}


class InputSchema(Schema):
    """Request bodies: unknown fields are refused, so a typo can't silently do nothing."""

    model_config = ConfigDict(extra="forbid")
