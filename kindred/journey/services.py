"""The one way to write Engagements. Every capability records participation through these functions."""

from __future__ import annotations

from datetime import datetime

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, models, transaction
from django.utils import timezone

from kindred.accounts.models import User
from kindred.organisations.models import Organisation

from .models import EndReason, Engagement, EngagementRole, Form


def _subject_key(subject: models.Model) -> tuple[ContentType, str]:
    return ContentType.objects.get_for_model(subject), str(subject.pk)


def engagement_record(
    *,
    person: User,
    subject: models.Model,
    form: Form | str,
    role: EngagementRole | str,
    organisation: Organisation | None = None,
    at: datetime | None = None,
) -> Engagement:
    """Start an engagement, or mark the open one active. Idempotent: repeated calls never duplicate."""
    form, role = Form(form), EngagementRole(role)
    at = at or timezone.now()
    subject_type, subject_id = _subject_key(subject)
    open_rows = Engagement.objects.filter(
        person=person, subject_type=subject_type, subject_id=subject_id, form=form, role=role, ended_at__isnull=True
    )
    existing = open_rows.first()
    if existing is not None:
        if at > existing.last_active_at:
            open_rows.filter(pk=existing.pk).update(last_active_at=at)
            existing.last_active_at = at
        return existing
    try:
        with transaction.atomic():
            return Engagement.objects.create(
                person=person,
                organisation=organisation,
                form=form,
                role=role,
                subject_type=subject_type,
                subject_id=subject_id,
                subject_label=str(subject)[:200],
                started_at=at,
                last_active_at=at,
            )
    except IntegrityError:
        # Another request opened it at the same moment; the constraint kept one row. Use it.
        return open_rows.get()


def engagement_touch(*, person: User, subject: models.Model, form: Form | str, role: EngagementRole | str) -> bool:
    """Mark the open engagement active now. Returns False if there is no open engagement."""
    subject_type, subject_id = _subject_key(subject)
    now = timezone.now()
    updated = Engagement.objects.filter(
        person=person,
        subject_type=subject_type,
        subject_id=subject_id,
        form=Form(form),
        role=EngagementRole(role),
        ended_at__isnull=True,
        last_active_at__lt=now,
    ).update(last_active_at=now)
    return bool(updated)


def engagement_end(
    *,
    person: User,
    subject: models.Model,
    reason: EndReason | str,
    form: Form | str | None = None,
    role: EngagementRole | str | None = None,
    at: datetime | None = None,
) -> int:
    """End the person's open engagements with a subject (all roles unless one is named). Returns how many."""
    at = at or timezone.now()
    subject_type, subject_id = _subject_key(subject)
    rows = Engagement.objects.filter(
        person=person, subject_type=subject_type, subject_id=subject_id, ended_at__isnull=True
    )
    if form is not None:
        rows = rows.filter(form=Form(form))
    if role is not None:
        rows = rows.filter(role=EngagementRole(role))
    count = 0
    for engagement in rows:
        engagement.ended_at = max(at, engagement.started_at)
        engagement.end_reason = EndReason(reason)
        engagement.save(update_fields=["ended_at", "end_reason"])
        count += 1
    return count


def engagements_end_for_subject(*, subject: models.Model, reason: EndReason | str) -> int:
    """End everyone's open engagements with a subject, e.g. when a group closes."""
    subject_type, subject_id = _subject_key(subject)
    now = timezone.now()
    return Engagement.objects.filter(subject_type=subject_type, subject_id=subject_id, ended_at__isnull=True).update(
        ended_at=now, end_reason=EndReason(reason)
    )
