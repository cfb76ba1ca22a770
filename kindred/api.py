"""The JSON API under /api/: OpenAPI schema at /api/openapi.json, interactive docs at /api/docs.

Authentication: the browser session (with CSRF) or `Authorization: Bearer <token>` with a personal token.
Each app adds its routers here; they call the same services, selectors and access helpers as the pages.
Every error is `{"detail": "<a kind, plain message>", "code": "<stable code>"}` (`kindred.core.api.ErrorOut`);
validation errors add `errors` with the specifics. This module is the one mapping from exceptions to those bodies:
domain errors are `kindred.core.errors.AppError`s, whose code decides the status.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI, Swagger
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from kindred.accounts.api_auth import BearerTokenAuth, SessionCookieAuth
from kindred.core.errors import HTTP_STATUS, AppError
from kindred.core.ratelimit import RateLimited

api = NinjaAPI(
    title="Kindred API",
    version="1",
    description=(
        "Peer support in every form. Every endpoint needs a signed-in person: send a personal API token as "
        "`Authorization: Bearer <token>` (create one under Account → API tokens), or use your browser session. "
        'Errors come back as `{"detail": "...", "code": "..."}`, where `code` is stable (see the error schema).'
    ),
    auth=[BearerTokenAuth(), SessionCookieAuth()],
    # Served from ninja's bundled static files (ninja is in INSTALLED_APPS). `validatorUrl: None` stops
    # Swagger UI fetching a badge from validator.swagger.io: the docs page talks to no one but us.
    docs=Swagger(settings={"validatorUrl": None, "persistAuthorization": False}),
)

NOT_FOUND = "We couldn't find that. It may not exist, or it may not be shared with you."
FORBIDDEN = "You don't have permission to do that."
UNAUTHORISED = "Please sign in, or send a personal API token as 'Authorization: Bearer <token>'."
BAD_BODY = 'We couldn\'t read that request. Please send JSON, for example {"name": "My script"}.'


_CODE_FOR_STATUS = {status: code for code, status in reversed(HTTP_STATUS.items())}


def _error(request: HttpRequest, status: int, detail: str, **extra: Any) -> HttpResponse:
    body = {"detail": detail, "code": _CODE_FOR_STATUS.get(status, "invalid"), **extra}
    return api.create_response(request, body, status=status)


@api.exception_handler(AppError)
def _app_error(request: HttpRequest, exc: AppError) -> HttpResponse:
    return api.create_response(request, exc.as_dict(), status=exc.status)


@api.exception_handler(AuthenticationError)
def _unauthorised(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    response = _error(request, 401, UNAUTHORISED)
    response["WWW-Authenticate"] = 'Bearer realm="kindred"'
    return response


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    if exc.status_code == 400 and str(exc).startswith("Cannot parse request body"):
        return _error(request, 400, BAD_BODY)
    return _error(request, exc.status_code, str(exc))


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    # One fixed message: never say whether a private thing exists.
    return _error(request, 404, NOT_FOUND)


@api.exception_handler(PermissionDenied)
def _forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return _error(request, 403, str(exc) or FORBIDDEN)


def _field_name(loc: list[Any] | tuple[Any, ...]) -> str:
    # ninja reports e.g. ("body", "payload", "display_name"): people care about the last part.
    parts = [str(p) for p in loc if p not in ("body", "payload", "query", "path")]
    return ".".join(parts) or "the request"


def _friendly(error: dict[str, Any]) -> str:
    """Pydantic's wording, made plainer for the few cases people meet most."""
    kind, ctx = error.get("type", ""), error.get("ctx") or {}
    message = str(error.get("msg", "")).removeprefix("Value error, ").rstrip(".")
    if kind == "extra_forbidden":
        return "this isn't something that can be set here"
    if kind == "missing":
        return "this is needed"
    if kind == "string_too_long":
        return f"please keep it to {ctx.get('max_length')} characters or fewer"
    if kind == "enum":
        return f"please choose one of {ctx.get('expected')}"
    if kind == "value_error":
        return message  # our own validators speak in whole sentences
    return message[:1].lower() + message[1:]


@api.exception_handler(NinjaValidationError)
def _invalid_input(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    errors = [{"field": _field_name(e.get("loc", ())), "message": _friendly(e)} for e in exc.errors]
    first = errors[0] if errors else {"field": "the request", "message": "it wasn't valid"}
    if first["message"][:1].isupper():  # our own messages are whole sentences already
        detail = f"{first['message']} ({first['field']}). Nothing has been changed."
    else:
        detail = f"Please check {first['field']}: {first['message']}. Nothing has been changed."
    return _error(request, 422, detail, errors=errors)


@api.exception_handler(DjangoValidationError)
def _invalid_model(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
    if hasattr(exc, "error_dict"):
        errors = [{"field": field, "message": str(m)} for field, msgs in exc.message_dict.items() for m in msgs]
    else:
        errors = [{"field": "the request", "message": str(m)} for m in exc.messages]
    first = errors[0]
    detail = f"Please check {first['field']}: {first['message'].rstrip('.')}. Nothing has been changed."
    return _error(request, 422, detail, errors=errors)


@api.exception_handler(RateLimited)
def _rate_limited(request: HttpRequest, exc: RateLimited) -> HttpResponse:
    minutes = max(1, round(exc.retry_after_seconds / 60))
    response = _error(
        request, 429, f"That has been tried a lot recently. Please wait about {minutes} minutes and try again."
    )
    response["Retry-After"] = str(exc.retry_after_seconds)
    return response


from kindred.accounts.api import router as accounts_router  # noqa: E402
from kindred.care.api import router as care_router  # noqa: E402
from kindred.commons.api import router as commons_router  # noqa: E402
from kindred.community.api import router as community_router  # noqa: E402
from kindred.directory.api import router as directory_router  # noqa: E402
from kindred.groups.api import router as groups_router  # noqa: E402
from kindred.journey.api import router as journey_router  # noqa: E402
from kindred.onetoone.api import router as onetoone_router  # noqa: E402
from kindred.organisations.api import router as organisations_router  # noqa: E402
from kindred.organisations.api_people import router as people_router  # noqa: E402
from kindred.wellbeing.api import router as wellbeing_router  # noqa: E402

api.add_router("/", accounts_router)
api.add_router("/", commons_router)
api.add_router("/", people_router)
api.add_router("/organisations", organisations_router)
api.add_router("/directory", directory_router)
api.add_router("/groups", groups_router)
api.add_router("/one-to-one", onetoone_router)
api.add_router("/online", community_router)
api.add_router("/journey", journey_router)
api.add_router("/well-being", wellbeing_router)
api.add_router("/care", care_router)
