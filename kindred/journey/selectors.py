from __future__ import annotations

from django.db.models import QuerySet

from kindred.accounts.models import User

from .models import Engagement


def engagements_of(person: User) -> QuerySet[Engagement]:
    return Engagement.objects.filter(person=person).select_related("organisation").order_by("started_at", "id")
