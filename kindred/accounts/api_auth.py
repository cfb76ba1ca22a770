"""How the API knows who is asking: a personal bearer token, or the browser session (with CSRF)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone
from ninja.errors import HttpError
from ninja.security import HttpBearer, SessionAuth
from ninja.utils import check_csrf

from kindred.core.hashing import keyed_digest

from .models import ApiToken

# Tokens we issue are 43 characters; anything much longer is not ours and isn't worth hashing.
MAX_TOKEN_CHARS = 200

CSRF_FAILED = (
    "This request came from your browser session without its security token. "
    "Please reload the page and try again, or use a personal API token."
)


class BearerTokenAuth(HttpBearer):
    """Personal API tokens. Looked up by keyed digest, so the database never holds a usable token."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        token = token.strip()
        if not token or len(token) > MAX_TOKEN_CHARS:
            return None
        row = (
            ApiToken.objects.select_related("user")
            .filter(digest=keyed_digest(token, purpose="api-token"), revoked_at__isnull=True, user__is_active=True)
            .first()
        )
        if row is None:
            return None
        ApiToken.objects.filter(pk=row.pk).update(last_used_at=timezone.now())
        request.user = row.user
        request.api_token = row  # type: ignore[attr-defined]
        return row.user


class SessionCookieAuth(SessionAuth):
    """The signed-in browser session. CSRF is checked only when a session cookie is actually sent.

    Ninja's SessionAuth checks CSRF before looking at the cookie, so a script with a mistyped bearer
    token would be told "CSRF failed" (403). Without a session cookie there is no ambient credential
    to protect, and the honest answer is 401.
    """

    def _get_key(self, request: HttpRequest) -> str | None:
        key = request.COOKIES.get(settings.SESSION_COOKIE_NAME)
        if not key:
            return None
        if self.csrf and not getattr(request, "_ninja_csrf_exempt", False) and check_csrf(request):
            raise HttpError(403, CSRF_FAILED)
        return key

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        if key and request.user.is_authenticated:
            return request.user
        return None
