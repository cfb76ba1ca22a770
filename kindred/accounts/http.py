"""The request types views and API operations are written against.

A page behind `login_required` takes an `AuthenticatedRequest`, whose `user` is always a `User`; a page anyone may
open takes a plain `HttpRequest` (its `user` may be anonymous). API operations read the signed-in person with
`current_user`, which the router's authentication guarantees.
"""

from __future__ import annotations

from django.http import HttpRequest

from .models import User


class AuthenticatedRequest(HttpRequest):
    user: User


def current_user(request: HttpRequest) -> User:
    """The person an authenticated API request is from (the router's auth has already refused anyone else)."""
    user = getattr(request, "auth", None)
    if not isinstance(user, User):  # an operation reachable without auth asked for a person: a bug, not a 401
        raise TypeError("current_user() needs an authenticated request.")
    return user
