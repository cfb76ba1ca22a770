"""The one way to write Engagements (every capability records participation through these functions), and the
writes for the person's own journey record: moments, status, reflections and dismissed suggestions — which only
the person ever writes or reads."""

from __future__ import annotations

from datetime import date, datetime

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, models, transaction
from django.utils import timezone

from kindred.accounts.models import User
from kindred.organisations.models import Organisation

from .models import (
    EndReason,
    Engagement,
    EngagementRole,
    Form,
    JourneyStatus,
    Moment,
    Reflection,
    StatusChange,
    SuggestionDismissal,
)


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
    subject_type, subject_id = _subject_key(subject)
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


# ====================================================================================================
# The person's own record

MOMENT_MAX = 140
REFLECTION_MAX = 3000
EARLIEST = date(1900, 1, 1)


class JourneyError(ValueError):
    """Input we can't accept, in words meant for the person. Nothing has been changed when it is raised."""

    def __init__(self, message: str, *, field: str = "") -> None:
        super().__init__(message)
        self.field = field


def _clean_moment(happened_on: date | None, text: str) -> tuple[date, str]:
    text = " ".join((text or "").split())
    if happened_on is None:
        raise JourneyError("Please give the date it happened — roughly is fine.", field="happened_on")
    if happened_on > timezone.localdate():
        raise JourneyError(
            "That date is in the future. Moments are things that have already happened.", field="happened_on"
        )
    if happened_on < EARLIEST:
        raise JourneyError("Please check the year: that date is a very long time ago.", field="happened_on")
    if not text:
        raise JourneyError("Please write a few words about what happened.", field="text")
    if len(text) > MOMENT_MAX:
        raise JourneyError(f"Please keep it to {MOMENT_MAX} characters or fewer — a few words is plenty.", field="text")
    return happened_on, text


def _clean_reflection(text: str) -> str:
    text = (text or "").strip()
    if not text:
        raise JourneyError("Please write something first — even a few words.", field="text")
    if len(text) > REFLECTION_MAX:
        raise JourneyError(f"Please keep a reflection to {REFLECTION_MAX} characters or fewer.", field="text")
    return text


def _own(actor: User, thing: Moment | Reflection) -> None:
    if thing.person_id != actor.pk:
        raise JourneyError("That isn't yours to change.")


# --- Moments -------------------------------------------------------------------------------------------------------


@transaction.atomic
def moment_create(*, actor: User, happened_on: date | None, text: str) -> Moment:
    happened_on, text = _clean_moment(happened_on, text)
    return Moment.objects.create(person=actor, happened_on=happened_on, text=text)


@transaction.atomic
def moment_update(*, actor: User, moment: Moment, happened_on: date | None, text: str) -> Moment:
    _own(actor, moment)
    moment.happened_on, moment.text = _clean_moment(happened_on, text)
    moment.save(update_fields=["happened_on", "text", "updated_at"])
    return moment


@transaction.atomic
def moment_delete(*, actor: User, moment: Moment) -> None:
    _own(actor, moment)
    moment.delete()


# --- Status --------------------------------------------------------------------------------------------------------


@transaction.atomic
def status_set(*, actor: User, status: str, housebound: bool | None = None, at: datetime | None = None) -> StatusChange:
    """Set the current status (and, if given, the housebound flag). Writes a history row only when something changed."""
    if status not in (*JourneyStatus.values, ""):
        choices = ", ".join(label for _, label in JourneyStatus.choices)
        raise JourneyError(f"Please choose one of: {choices}.", field="status")
    current = StatusChange.objects.select_for_update().filter(person=actor).order_by("-changed_at", "-id").first()
    if housebound is None:
        housebound = current.housebound if current is not None else False
    if current is not None and current.status == status and current.housebound == housebound:
        return current
    return StatusChange.objects.create(
        person=actor, status=status, housebound=housebound, changed_at=at or timezone.now()
    )


# --- Reflections ---------------------------------------------------------------------------------------------------


@transaction.atomic
def reflection_create(*, actor: User, text: str) -> Reflection:
    return Reflection.objects.create(person=actor, text=_clean_reflection(text))


@transaction.atomic
def reflection_update(*, actor: User, reflection: Reflection, text: str) -> Reflection:
    _own(actor, reflection)
    reflection.text = _clean_reflection(text)
    reflection.save(update_fields=["text", "updated_at"])
    return reflection


@transaction.atomic
def reflection_delete(*, actor: User, reflection: Reflection) -> None:
    _own(actor, reflection)
    reflection.delete()


# --- Suggestions ---------------------------------------------------------------------------------------------------


def suggestion_dismiss(*, actor: User, key: str) -> SuggestionDismissal:
    """Never show this suggestion again. Idempotent."""
    key = (key or "").strip()
    if not key or len(key) > 120 or ":" not in key:
        raise JourneyError("We couldn't tell which suggestion that was. Please try again from the page.", field="key")
    dismissal, _ = SuggestionDismissal.objects.get_or_create(person=actor, key=key)
    return dismissal
