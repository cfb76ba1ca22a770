"""Writes for well-being: check-ins, goals, reminders, sharing and an organisation's settings.

Keyword-only, one transaction each, audit rows for what is sensitive (sharing, safeguarding, settings).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from typing import Any

from dateutil.relativedelta import relativedelta
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from kindred.accounts.models import Profile, User
from kindred.commons import reach
from kindred.core.errors import AppError
from kindred.core.services import audit_record
from kindred.organisations.models import Organisation, Role
from kindred.organisations.selectors import roles_in

from . import selectors
from .measures import MEASURES, ORGANISATION_MEASURES, InvalidAnswers, score
from .messages import REMINDER, SAFEGUARDING, SHARED
from .models import (
    CheckIn,
    Goal,
    GoalNote,
    GoalStatus,
    ReminderFrequency,
    ReminderSettings,
    SelfHarmResponse,
    Share,
    WellbeingSettings,
)

SAFEGUARDING_TITLE = "A check-in needs a safeguarding follow-up"


class WellbeingError(AppError):
    """A kind, plain message; `code` says which HTTP status fits (invalid 422, forbidden 403, not_found 404)."""

    def __init__(self, message: str, code: str = "invalid_input") -> None:
        super().__init__(message, code=code)


# --- Check-ins -----------------------------------------------------------------------------------------------


def checkin_submit(
    *, actor: User, measure: str, answers: Mapping[str, Any] | Sequence[Any], at: datetime | None = None
) -> CheckIn:
    """Score and store one check-in. Invalid answers store nothing. A PHQ-9 self-harm answer above zero follows
    the safeguarding policy of each organisation that made PHQ-9 available to the person."""
    if measure not in MEASURES:
        raise WellbeingError("We don't know that check-in. Please choose one from the list.")
    enabling: list[WellbeingSettings] = []
    if measure in ORGANISATION_MEASURES:
        enabling = selectors.organisations_enabling(actor, measure)
        if not enabling:
            raise WellbeingError("That check-in isn't available to you.", code="not_found")
    try:
        result = score(measure, answers)
    except InvalidAnswers as error:
        raise WellbeingError(str(error)) from error
    with transaction.atomic():
        checkin = CheckIn.objects.create(
            person=actor,
            measure=measure,
            answers=result.answers,
            scores=result.scores,
            total=result.total,
            self_harm=result.self_harm,
            organisation=enabling[0].organisation if enabling else None,
            taken_at=at or timezone.now(),
        )
        if result.self_harm:
            _follow_safeguarding_policy(checkin, enabling)
    return checkin


def _follow_safeguarding_policy(checkin: CheckIn, enabling: list[WellbeingSettings]) -> None:
    """Tell each organisation's chosen leads that a follow-up is needed — never the answers — and audit it."""
    person = checkin.person
    for settings in enabling:
        organisation = settings.organisation
        notified = 0
        if settings.self_harm_response == SelfHarmResponse.NOTIFY_LEADS:
            for lead in settings.safeguarding_leads.all():
                # A lead who has since left the organisation or lost the role is not told.
                if not lead.is_active or not (roles_in(lead, organisation) & set(selectors.LEAD_ROLES)):
                    continue
                reach.send(
                    to=lead,
                    kind=SAFEGUARDING,
                    title=SAFEGUARDING_TITLE,
                    body=(
                        f"{person.display_name} ({organisation.name}) completed a check-in that needs a "
                        "safeguarding follow-up. Please follow your organisation's safeguarding policy."
                    ),
                    email=True,
                )
                notified += 1
        audit_record(
            actor=person,
            action="wellbeing.safeguarding_followup",
            subject=checkin,
            organisation=organisation,
            detail={"person": str(person.public_id), "response": settings.self_harm_response, "notified": notified},
        )


# --- Organisation settings -----------------------------------------------------------------------------------


def settings_update(
    *,
    actor: User,
    organisation: Organisation,
    phq9_enabled: bool,
    gad7_enabled: bool,
    self_harm_response: str,
    safeguarding_leads: Iterable[User] = (),
) -> WellbeingSettings:
    if Role.COORDINATOR not in roles_in(actor, organisation) and not actor.is_superuser:
        raise WellbeingError("Only a coordinator of this organisation can change this.", code="forbidden")
    if self_harm_response not in SelfHarmResponse.values:
        raise WellbeingError("Please choose what happens when someone's answer suggests they may harm themselves.")
    leads = list(safeguarding_leads)
    allowed = set(selectors.lead_candidates(organisation).values_list("pk", flat=True))
    if any(lead.pk not in allowed for lead in leads):
        raise WellbeingError("Safeguarding leads must be coordinators or supervisors of this organisation.")
    if self_harm_response == SelfHarmResponse.NOTIFY_LEADS and not leads:
        raise WellbeingError("Please choose at least one safeguarding lead to tell, or choose signposting only.")
    with transaction.atomic():
        settings, _ = WellbeingSettings.objects.get_or_create(organisation=organisation)
        before = {
            "phq9_enabled": settings.phq9_enabled,
            "gad7_enabled": settings.gad7_enabled,
            "self_harm_response": settings.self_harm_response,
        }
        settings.phq9_enabled = phq9_enabled
        settings.gad7_enabled = gad7_enabled
        settings.self_harm_response = self_harm_response
        settings.updated_by = actor
        settings.save()
        settings.safeguarding_leads.set(leads)
        audit_record(
            actor=actor,
            action="wellbeing.settings_update",
            subject=organisation,
            organisation=organisation,
            detail={
                "before": before,
                "phq9_enabled": phq9_enabled,
                "gad7_enabled": gad7_enabled,
                "self_harm_response": self_harm_response,
                "leads": [str(lead.public_id) for lead in leads],
            },
        )
    return settings


# --- Goals ---------------------------------------------------------------------------------------------------


def _clean_title(title: str) -> str:
    title = (title or "").strip()
    if not title:
        raise WellbeingError("Please give your goal a short title.")
    if len(title) > 200:
        raise WellbeingError("Please keep the title to 200 characters or fewer.")
    return title


def _clean_text(text: str, what: str) -> str:
    text = (text or "").strip()
    if len(text) > 2000:
        raise WellbeingError(f"Please keep {what} to 2000 characters or fewer.")
    return text


def goal_create(*, actor: User, title: str, why: str = "", target_date: date | None = None) -> Goal:
    goal = Goal(person=actor, title=_clean_title(title), why=_clean_text(why, "why it matters"))
    goal.target_date = target_date
    with transaction.atomic():
        goal.save()
    return goal


def goal_update(
    *, actor: User, goal: Goal, title: str | None = None, why: str | None = None, target_date: Any = ...
) -> Goal:
    if goal.person_id != actor.pk:
        raise WellbeingError("We couldn't find that goal.", code="not_found")
    if title is not None:
        goal.title = _clean_title(title)
    if why is not None:
        goal.why = _clean_text(why, "why it matters")
    if target_date is not ...:
        goal.target_date = target_date
    with transaction.atomic():
        goal.save()
    return goal


def goal_set_status(*, actor: User, goal: Goal, status: str) -> Goal:
    if goal.person_id != actor.pk:
        raise WellbeingError("We couldn't find that goal.", code="not_found")
    if status not in GoalStatus.values:
        raise WellbeingError("Please choose: working on it, achieved, or let go.")
    goal.status = status
    goal.closed_at = None if status == GoalStatus.ACTIVE else timezone.now()
    with transaction.atomic():
        goal.save(update_fields=["status", "closed_at"])
    return goal


def goal_delete(*, actor: User, goal: Goal) -> None:
    if goal.person_id != actor.pk:
        raise WellbeingError("We couldn't find that goal.", code="not_found")
    with transaction.atomic():
        goal.delete()


def goal_note_add(*, actor: User, goal: Goal, body: str = "", progress: Any = None) -> GoalNote:
    if goal.person_id != actor.pk:
        raise WellbeingError("We couldn't find that goal.", code="not_found")
    body = _clean_text(body, "the note")
    if progress in ("", None):
        progress = None
    else:
        text = str(progress).strip()
        # ASCII digits only: str.isdigit() also accepts characters such as "³" that int() refuses.
        if isinstance(progress, bool) or not (text.isascii() and text.isdigit()) or not 0 <= int(text) <= 10:
            raise WellbeingError("How far along it feels needs a whole number from 0 to 10.")
        progress = int(text)
    if not body and progress is None:
        raise WellbeingError("Please write a note or choose how far along it feels.")
    with transaction.atomic():
        return GoalNote.objects.create(goal=goal, body=body, progress=progress)


# --- Reminders -----------------------------------------------------------------------------------------------

INTERVALS: dict[str, relativedelta] = {
    ReminderFrequency.WEEKLY: relativedelta(weeks=1),
    ReminderFrequency.FORTNIGHTLY: relativedelta(weeks=2),
    ReminderFrequency.MONTHLY: relativedelta(months=1),
}


def reminders_update(*, actor: User, frequency: str, measures: Iterable[str] = ()) -> ReminderSettings:
    if frequency not in ReminderFrequency.values:
        raise WellbeingError("Please choose how often to be reminded, or no reminders.")
    chosen = list(dict.fromkeys(measures))
    available = {m.code for m in selectors.available_measures(actor)}
    if any(code not in available for code in chosen):
        raise WellbeingError("Please choose check-ins from the list.")
    if frequency != ReminderFrequency.OFF and not chosen:
        raise WellbeingError("Please choose at least one check-in to be reminded about.")
    with transaction.atomic():
        settings, _ = ReminderSettings.objects.select_for_update().get_or_create(person=actor)
        if frequency != settings.frequency:
            settings.started_at = timezone.now()
        settings.frequency = frequency
        settings.measures = chosen
        settings.save()
    return settings


def reminder_due_at(settings: ReminderSettings, last_checkin_at: datetime | None) -> datetime | None:
    """When the next reminder may go: one interval after the latest of switching on, the last reminder and the
    last check-in. None when reminders are off."""
    interval = INTERVALS.get(settings.frequency)
    if interval is None:
        return None
    anchors = [settings.started_at, settings.last_reminded_at, last_checkin_at]
    return max(a for a in anchors if a is not None) + interval


def reminders_send_due(*, now: datetime | None = None) -> int:
    """Send each reminder that is due. Idempotent: safe to run hourly (or more) and to run twice at once.

    Nobody is reminded during their quiet hours: the next run after quiet hours end sends it.
    """
    now = now or timezone.now()
    sent = 0
    candidates = (
        ReminderSettings.objects.exclude(frequency=ReminderFrequency.OFF)
        .exclude(person_id__in=reach.deceased_ids())  # nothing may reach a person who has died
        .select_related("person")
    )
    for settings in candidates.iterator():
        person = settings.person
        if not person.is_active or not settings.measures:
            continue
        # Only check-ins the person can still use: PHQ-9 and GAD-7 stop if their organisation turns them off.
        available = {m.code for m in selectors.available_measures(person)}
        measures = [code for code in settings.measures if code in available]
        if not measures:
            continue
        last_checkin = (
            CheckIn.objects.filter(person=person, measure__in=measures)
            .order_by("-taken_at")
            .values_list("taken_at", flat=True)
            .first()
        )
        due = reminder_due_at(settings, last_checkin)
        if due is None or due > now:
            continue
        if reach.quiet_hours_end(Profile.objects.filter(user=person).first(), now) is not None:
            continue
        with transaction.atomic():
            # Claim the reminder: only one run can move last_reminded_at from the value it read.
            claimed = ReminderSettings.objects.filter(
                pk=settings.pk, last_reminded_at=settings.last_reminded_at, frequency=settings.frequency
            ).update(last_reminded_at=now)
            if not claimed:
                continue
            names = ", ".join(MEASURES[c].short_name.lower() for c in measures)
            reach.send(
                to=person,
                kind=REMINDER,
                title="A gentle reminder: your well-being check-in",
                body=(
                    f"You asked to be reminded about your check-in ({names}) "
                    f"{ReminderFrequency(settings.frequency).label.lower()}. It takes a minute or two, and only you "
                    "see it unless you choose to share. You can change or stop these reminders at any time."
                ),
                url=reverse("wellbeing:home"),
                email=True,
            )
            sent += 1
    return sent


# --- Sharing -------------------------------------------------------------------------------------------------


def share_create(*, actor: User, supporter: User, measures: Iterable[str] = (), include_goals: bool = False) -> Share:
    if supporter.pk == actor.pk or not selectors.is_eligible_supporter(actor, supporter):
        raise WellbeingError(
            "You can share with your supporter in an active match or someone you are connected with.",
            code="not_found",
        )
    chosen = list(dict.fromkeys(measures))
    # The same choice as the page offers: the check-ins available to the person.
    available = {m.code for m in selectors.available_measures(actor)}
    if any(code not in available for code in chosen):
        raise WellbeingError("Please choose check-ins from the list.")
    if not chosen and not include_goals:
        raise WellbeingError("Please choose at least one thing to share.")
    with transaction.atomic():
        if (
            Share.objects.select_for_update()
            .filter(person=actor, supporter=supporter, revoked_at__isnull=True)
            .exists()
        ):
            raise WellbeingError(
                f"You are already sharing a summary with {supporter.display_name}. Stop that one first to change it.",
                code="conflict",
            )
        share = Share.objects.create(person=actor, supporter=supporter, measures=chosen, include_goals=include_goals)
        audit_record(
            actor=actor,
            action="wellbeing.share",
            subject=share,
            detail={"supporter": str(supporter.public_id), "measures": chosen, "goals": include_goals},
        )
        reach.send(
            to=supporter,
            kind=SHARED,
            sender=actor,
            title=f"{actor.display_name} shared a well-being summary with you",
            body="They can stop sharing at any time.",
            url=reverse("wellbeing:shared", args=[share.public_id]),
        )
    return share


def share_revoke(*, actor: User, share: Share) -> Share:
    if share.person_id != actor.pk:
        raise WellbeingError("We couldn't find that share.", code="not_found")
    if share.revoked_at is not None:
        return share
    with transaction.atomic():
        share.revoked_at = timezone.now()
        share.save(update_fields=["revoked_at"])
        audit_record(
            actor=actor, action="wellbeing.unshare", subject=share, detail={"supporter": str(share.supporter.public_id)}
        )
    return share
