"""The one way to write the spine, and its plain reads.

Every form records participation through these functions (groups when someone joins, facilitates or leaves;
one-to-one for connections and matches; online for reading, posting and replying; the directory when a referral
leads to joining). Journey, well-being, care and reports read the spine through the selectors here; nobody
writes `Engagement` rows any other way.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, models, transaction
from django.db.models import QuerySet
from django.utils import timezone

from kindred.accounts.models import User

from .models.spine import EndReason, Engagement, EngagementRole, Form

if TYPE_CHECKING:
    from kindred.organisations.models import Organisation


def subject_key(subject: models.Model) -> tuple[ContentType, str]:
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
    subject_type, subject_id = subject_key(subject)
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
    subject_type, subject_id = subject_key(subject)
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
    subject_type, subject_id = subject_key(subject)
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
    subject_type, subject_id = subject_key(subject)
    now = timezone.now()
    return Engagement.objects.filter(subject_type=subject_type, subject_id=subject_id, ended_at__isnull=True).update(
        ended_at=now, end_reason=EndReason(reason)
    )


def engagements_end_for_person(person: User, *, reason: EndReason | str = EndReason.ACCOUNT_DELETED) -> int:
    """End all of one person's open engagements (their account is being deleted)."""
    return Engagement.objects.filter(person=person, ended_at__isnull=True).update(
        ended_at=timezone.now(), end_reason=EndReason(reason)
    )


def engagement_record_span(
    *,
    person: User,
    subject: models.Model,
    form: Form | str,
    role: EngagementRole | str,
    started_at: datetime,
    ended_at: datetime | None = None,
    end_reason: EndReason | str = "",
    last_active_at: datetime | None = None,
    organisation: Organisation | None = None,
) -> Engagement:
    """Record a stretch of participation that happened in the past (demo worlds, imports, benchmarks).

    Idempotent on (person, subject, form, role, started_at). An open span (no `ended_at`) is only created when the
    person has no open engagement with the subject in that role, so the one-open-row rule always holds.
    """
    form, role = Form(form), EngagementRole(role)
    if ended_at is not None and ended_at < started_at:
        raise ValueError("An engagement can't end before it starts.")
    subject_type, subject_id = subject_key(subject)
    same = Engagement.objects.filter(
        person=person, subject_type=subject_type, subject_id=subject_id, form=form, role=role
    )
    existing = same.filter(started_at=started_at).first()
    if existing is not None:
        return existing
    if ended_at is None:
        open_row = same.filter(ended_at__isnull=True).first()
        if open_row is not None:
            return open_row
    return Engagement.objects.create(
        person=person,
        organisation=organisation,
        form=form,
        role=role,
        subject_type=subject_type,
        subject_id=subject_id,
        subject_label=str(subject)[:200],
        started_at=started_at,
        last_active_at=max(last_active_at or ended_at or started_at, started_at),
        ended_at=ended_at,
        end_reason=EndReason(end_reason) if end_reason else "",
    )


# --- Reads ---------------------------------------------------------------------------------------------------------


def engagements_of(person: User) -> QuerySet[Engagement]:
    return Engagement.objects.filter(person=person).select_related("organisation").order_by("started_at", "id")


@dataclass(frozen=True)
class Period:
    """A stretch of time in which the person used a form, in any role. `ongoing` when it has not ended."""

    form: str
    start: datetime
    end: datetime
    ongoing: bool


def merge_periods(rows: Iterable[tuple[str, datetime, datetime | None]], *, now: datetime) -> dict[str, list[Period]]:
    """Per form, merge (form, start, end) spans: overlapping or touching ones join, gaps stay gaps."""
    spans: dict[str, list[tuple[datetime, datetime, bool]]] = {form: [] for form in Form.values}
    for form, start, end in rows:
        spans[form].append((start, end or now, end is None))
    merged: dict[str, list[Period]] = {}
    for form, items in spans.items():
        out: list[Period] = []
        for start, end, ongoing in sorted(items, key=lambda item: item[0]):
            if out and start <= out[-1].end:
                last = out[-1]
                out[-1] = Period(form, last.start, max(last.end, end), last.ongoing or ongoing)
            else:
                out.append(Period(form, start, end, ongoing))
        merged[form] = out
    return merged


def form_periods(person: User, *, now: datetime | None = None) -> dict[str, list[Period]]:
    """Per form, the merged periods of use: overlapping or touching engagements join, gaps stay gaps.

    One query. The journey timeline and the well-being chart both shade these behind what they draw.
    """
    now = now or timezone.now()
    rows = Engagement.objects.filter(person=person).order_by("started_at").values_list("form", "started_at", "ended_at")
    return merge_periods(rows, now=now)
