"""Reads for well-being. Everything is the person's own unless they share a summary with a supporter."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, F, Prefetch, Q, QuerySet, Window
from django.db.models.functions import RowNumber
from django.http import Http404

from kindred.accounts.models import User
from kindred.commons.relations import Supporter, people_supported_by, supporters_of
from kindred.core.models import AuditEvent
from kindred.organisations.models import Organisation, Role

from .measures import MEASURES, OPEN_MEASURES, ORGANISATION_MEASURES, PHQ9, Measure, band_for
from .models import CheckIn, Goal, GoalNote, GoalStatus, ReminderSettings, Share, WellbeingSettings

# Who an organisation may choose as a safeguarding lead for check-ins.
LEAD_ROLES = (Role.COORDINATOR, Role.SUPERVISOR)


def settings_for(organisation: Organisation) -> WellbeingSettings:
    """The organisation's settings, or unsaved defaults (everything off) if it never changed them."""
    found = WellbeingSettings.objects.filter(organisation=organisation).first()
    return found or WellbeingSettings(organisation=organisation)


def enabling_settings(person: User, *, with_leads: bool = True) -> list[WellbeingSettings]:
    """Settings of the person's organisations that enable PHQ-9 or GAD-7 (one query; leads prefetched in a
    second when asked for)."""
    rows = (
        WellbeingSettings.objects.filter(organisation__memberships__user=person)
        .filter(Q(phq9_enabled=True) | Q(gad7_enabled=True))
        .select_related("organisation")
        .distinct()
        .order_by("organisation__name")
    )
    return list(rows.prefetch_related("safeguarding_leads") if with_leads else rows)


def _enables(settings: WellbeingSettings, code: str) -> bool:
    return settings.phq9_enabled if code == PHQ9 else settings.gad7_enabled


def organisations_enabling(person: User, code: str) -> list[WellbeingSettings]:
    if code not in ORGANISATION_MEASURES:
        return []
    return [s for s in enabling_settings(person) if _enables(s, code)]


def available_measures(person: User, *, enabling: list[WellbeingSettings] | None = None) -> list[Measure]:
    """ONS4 and UCLA3 for everyone; PHQ-9 and GAD-7 when one of the person's organisations enables them."""
    enabling = enabling_settings(person, with_leads=False) if enabling is None else enabling
    codes = list(OPEN_MEASURES)
    for code in ORGANISATION_MEASURES:
        if any(_enables(s, code) for s in enabling):
            codes.append(code)
    return [MEASURES[code] for code in codes]


def checkins_of(person: User, *, measure: str | None = None) -> QuerySet[CheckIn]:
    rows = CheckIn.objects.filter(person=person)
    if measure:
        rows = rows.filter(measure=measure)
    return rows.order_by("taken_at", "id")


def get_checkin_for(user: User, public_id: Any) -> CheckIn:
    found = CheckIn.objects.filter(public_id=public_id, person=user).select_related("organisation").first()
    if found is None:
        raise Http404("No such check-in.")
    return found


@dataclass(frozen=True)
class FollowUp:
    organisation: Organisation | None
    tells_leads: bool


def followups_for(checkin: CheckIn) -> list[FollowUp]:
    """What actually happened after a self-harm answer, organisation by organisation, from the audit rows written
    at the time (so the person is told the truth even if a setting changed since)."""
    rows = (
        AuditEvent.objects.filter(action="wellbeing.safeguarding_followup", subject_id=str(checkin.public_id))
        .select_related("organisation")
        .order_by("id")
    )
    return [FollowUp(row.organisation, int(row.detail.get("notified", 0)) > 0) for row in rows]


def goals_of(person: User) -> QuerySet[Goal]:
    return (
        Goal.objects.filter(person=person)
        .prefetch_related(Prefetch("notes", queryset=GoalNote.objects.order_by("created_at", "id")))
        .order_by("status", "-created_at", "-id")
    )


def active_goal_titles(person: User) -> QuerySet[Goal]:
    return (
        Goal.objects.filter(person=person, status=GoalStatus.ACTIVE)
        .only("public_id", "title")
        .order_by("-created_at", "-id")
    )


def get_goal_for(user: User, public_id: Any) -> Goal:
    found = Goal.objects.filter(public_id=public_id, person=user).first()
    if found is None:
        raise Http404("No such goal.")
    return found


def reminder_settings_of(person: User) -> ReminderSettings:
    found = ReminderSettings.objects.filter(person=person).first()
    return found or ReminderSettings(person=person)


# --- Supporters a person may share with ----------------------------------------------------------------------


def eligible_supporters(person: User) -> list[Supporter]:
    """People supporting the person now in any form (their supporter in an active match, someone they are
    connected with): the only people a summary may be shared with. Never anyone blocked either way."""
    return supporters_of(person)


def is_eligible_supporter(person: User, supporter: User) -> bool:
    return any(s.user.pk == supporter.pk for s in eligible_supporters(person))


def shares_of(person: User) -> QuerySet[Share]:
    return Share.objects.filter(person=person).select_related("supporter").order_by("-created_at", "-id")


def get_own_share_for(user: User, public_id: Any) -> Share:
    found = Share.objects.filter(public_id=public_id, person=user).select_related("supporter").first()
    if found is None:
        raise Http404("No such share.")
    return found


def shares_with(supporter: User) -> list[Share]:
    """Active summaries shared with this supporter, whose relationship with the person still stands."""
    rows = Share.objects.filter(supporter=supporter, revoked_at__isnull=True).select_related("person")
    people = people_supported_by(supporter)
    return [share for share in rows.order_by("-created_at", "-id") if share.person_id in people]


def get_shared_for(user: User, public_id: Any) -> Share:
    """A summary for the supporter it is shared with, while it is shared and the relationship is active.

    404 for everyone else, and for the supporter once the person stops sharing or the relationship ends.
    """
    share = Share.objects.filter(public_id=public_id, revoked_at__isnull=True).select_related("person").first()
    if share is None or share.supporter_id != user.pk or not is_eligible_supporter(share.person, user):
        raise Http404("No such summary.")
    return share


# --- The shared summary --------------------------------------------------------------------------------------


@dataclass
class SeriesSummary:
    key: str
    label: str
    latest: int
    band: str
    previous: int | None
    trend: str  # "up", "down", "same", or "" when there is only one check-in


@dataclass
class MeasureSummary:
    measure: Measure
    count: int
    latest_at: Any
    series: list[SeriesSummary] = field(default_factory=list)


def _trend(latest: int, previous: int | None) -> str:
    if previous is None:
        return ""
    return "up" if latest > previous else "down" if latest < previous else "same"


def measure_summaries(person: User, codes: list[str]) -> list[MeasureSummary]:
    """Latest score, band and the change since the check-in before, for each chosen measure.

    One query however long the history: the latest two of each measure and each measure's count, by window.
    """
    newest_first = [F("taken_at").desc(), F("id").desc()]
    rows = (
        CheckIn.objects.filter(person=person, measure__in=codes)
        .annotate(
            place=Window(RowNumber(), partition_by=F("measure"), order_by=newest_first),
            of=Window(Count("id"), partition_by=F("measure")),
        )
        .filter(place__lte=2)
        .values_list("measure", "place", "of", "scores", "taken_at")
    )
    found: dict[str, dict[int, tuple[int, dict[str, int], Any]]] = {}
    for code, place, count, scores, taken_at in rows:
        found.setdefault(code, {})[place] = (count, scores, taken_at)
    summaries = []
    for code in codes:
        if code not in found or code not in MEASURES or 1 not in found[code]:
            continue
        count, scores, taken_at = found[code][1]
        before = found[code][2][1] if 2 in found[code] else None
        measure = MEASURES[code]
        summary = MeasureSummary(measure=measure, count=count, latest_at=taken_at)
        for key, label in measure.series:
            value = scores.get(key)
            if value is None:
                continue
            previous = before.get(key) if before else None
            summary.series.append(
                SeriesSummary(key, label, value, band_for(code, key, value), previous, _trend(value, previous))
            )
        summaries.append(summary)
    return summaries


def chart_rows(person: User) -> list[Any]:
    """What the chart and its table need of every check-in, without building model instances (500+ rows)."""
    return list(
        CheckIn.objects.filter(person=person)
        .order_by("taken_at", "id")
        .values_list("public_id", "measure", "scores", "taken_at", named=True)
    )


@dataclass
class GoalSummary:
    title: str
    status: str
    status_label: str
    target_date: Any
    latest_progress: int | None
    notes_count: int


def goal_summaries(person: User) -> list[GoalSummary]:
    """Titles and progress only: never the 'why' or the words of progress notes."""
    out = []
    for goal in goals_of(person):
        notes = list(goal.notes.all())
        progress = next((n.progress for n in reversed(notes) if n.progress is not None), None)
        out.append(
            GoalSummary(
                goal.title,
                goal.status,
                GoalStatus(goal.status).label,
                goal.target_date,
                progress,
                len(notes),
            )
        )
    return out


@dataclass
class SharedSummary:
    share: Share
    measures: list[MeasureSummary]
    goals: list[GoalSummary] | None


def shared_summary(share: Share) -> SharedSummary:
    return SharedSummary(
        share=share,
        measures=measure_summaries(share.person, list(share.measures)),
        goals=goal_summaries(share.person) if share.include_goals else None,
    )


def lead_candidates(organisation: Organisation) -> QuerySet[User]:
    return (
        User.objects.filter(memberships__organisation=organisation, memberships__role__in=LEAD_ROLES, is_active=True)
        .distinct()
        .order_by("display_name")
    )
