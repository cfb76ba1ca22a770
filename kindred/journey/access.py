"""A person's journey record is theirs alone: anyone else — coordinators, staff, superusers — gets a 404."""

from __future__ import annotations

import uuid
from typing import Any

from django.http import Http404

from kindred.accounts.models import User

from .models import Moment, Reflection


def _own(model: Any, user: User, public_id: Any) -> Any:
    if not user.is_authenticated:
        raise Http404("No such thing.")
    try:
        key = uuid.UUID(str(public_id))
    except ValueError as exc:
        raise Http404("No such thing.") from exc
    found = model.objects.filter(public_id=key, person=user).first()
    if found is None:
        raise Http404("No such thing.")
    return found


def get_moment_for(user: User, public_id: Any) -> Moment:
    return _own(Moment, user, public_id)  # type: ignore[no-any-return]


def get_reflection_for(user: User, public_id: Any) -> Reflection:
    return _own(Reflection, user, public_id)  # type: ignore[no-any-return]
