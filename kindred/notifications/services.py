"""The inbox's own writes and reads. Notices are written only by the reach gate (`kindred.commons.reach`)."""

from __future__ import annotations

from django.utils import timezone

from kindred.accounts.models import User

from .models import Notification


def notifications_mark_read(*, user: User, public_ids: list[str] | None = None) -> int:
    rows = Notification.objects.filter(user=user, read_at__isnull=True)
    if public_ids is not None:
        rows = rows.filter(public_id__in=public_ids)
    return rows.update(read_at=timezone.now())


def unread_count(user: User) -> int:
    if not user.is_authenticated:
        return 0
    return Notification.objects.filter(user=user, read_at__isnull=True).count()
