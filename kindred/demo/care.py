"""Demo supporter care: check-ins for facilitator@ and psw@, facilitator@'s past step back, a facilitators'
network, and one closed incident.

Idempotent: check-ins are added only to people who have none of this kind yet; the network is found by its
organisation; the incident by its organisation and title. Run after the groups and one-to-one loaders.
The example incident is invented and names nobody: no demo account is recorded as having died (that would
silence the account for anyone trying the demo).
"""

from __future__ import annotations

import sys
from datetime import datetime, timedelta
from typing import TextIO

from django.db import transaction
from django.utils import timezone

from kindred.accounts.models import User
from kindred.care import services
from kindred.care.models import Incident, IncidentKind, IncidentLogEntry, SupporterCheckIn
from kindred.groups.models import Group, Meeting, MeetingStatus
from kindred.onetoone.models import Session, SessionStatus

from .world import VOICES, demo_email

INCIDENT_TITLE = "After the death of a long-standing member"
INCIDENT_GROUP = "north-shields-low-mood-evening"
NETWORK_ORG = VOICES

FACILITATOR_CHECKINS = (
    (4, "Good round tonight. Two new people, both stayed for tea.", False, False),
    (2, "Someone shared something really heavy. I held it OK but I'm carrying it home.", True, True),
    (3, "", False, False),
)
PSW_CHECKINS = (
    (3, "Long session, lots of practical stuff about benefits.", False, False),
    (1, "Hard one. Reminded me of my own time on the ward.", True, True),
)


def _user(login: str) -> User | None:
    return User.objects.filter(email=demo_email(login)).first()


def _facilitator_checkins(out: TextIO) -> int:
    person = _user("facilitator")
    if person is None or SupporterCheckIn.objects.filter(worker=person, meeting__isnull=False).exists():
        return 0
    meetings = list(
        Meeting.objects.filter(
            group__memberships__person=person,
            group__memberships__role__in=["facilitator", "co_facilitator"],
            ends_at__lt=timezone.now(),
        )
        .exclude(status=MeetingStatus.CANCELLED)
        .select_related("group", "group__organisation")
        .order_by("-starts_at")[: len(FACILITATOR_CHECKINS)]
    )
    made = 0
    for meeting, (feeling, note, share, talk) in zip(reversed(meetings), FACILITATOR_CHECKINS, strict=False):
        record = services.checkin_record(
            actor=person,
            feeling=feeling,
            note=note,
            share_with_supervisor=share,
            would_like_to_talk=talk,
            meeting=meeting,
        )
        SupporterCheckIn.objects.filter(pk=record.pk).update(created_at=meeting.ends_at + timedelta(minutes=20))
        made += 1
    if made:
        out.write(f"  care: {made} check-ins for facilitator@\n")
    return made


def _psw_checkins(out: TextIO) -> int:
    person = _user("psw")
    if person is None or SupporterCheckIn.objects.filter(worker=person).count() >= 1 + len(PSW_CHECKINS):
        return 0
    sessions = list(
        Session.objects.filter(match__supporter=person, status=SessionStatus.HELD)
        .select_related("match__scheme__organisation")
        .order_by("-starts_at")[1 : 1 + len(PSW_CHECKINS)]
    )
    made = 0
    for session, (feeling, note, share, talk) in zip(reversed(sessions), PSW_CHECKINS, strict=False):
        record = services.checkin_record(
            actor=person,
            feeling=feeling,
            note=note,
            share_with_supervisor=share,
            would_like_to_talk=talk,
            session=session,
        )
        moment = session.starts_at + timedelta(minutes=session.duration_minutes + 15)
        SupporterCheckIn.objects.filter(pk=record.pk).update(created_at=moment)
        made += 1
    if made:
        out.write(f"  care: {made} check-ins for psw@\n")
    return made


def _step_back_history(out: TextIO) -> int:
    """facilitator@'s past break, matching their journey (kindred.demo.journeys): stepped back in October two
    years ago, came back the June after. History only: nothing is paused now."""
    from kindred.care.models import StepBack

    person = _user("facilitator")
    if person is None or StepBack.objects.filter(person=person).exists():
        return 0
    today = timezone.localdate()
    started = timezone.make_aware(datetime(today.year - 2, 10, 1, 11, 0))
    ended = timezone.make_aware(datetime(today.year - 1, 6, 1, 11, 0))
    record = StepBack.objects.create(
        person=person, note="Running two groups was too much. Sleep, walks, and the Bolton group as a member."
    )
    StepBack.objects.filter(pk=record.pk).update(started_at=started, ended_at=ended, paused={})
    out.write("  care: facilitator@'s past step back\n")
    return 1


def _network(out: TextIO) -> int:
    from kindred.care.models import FacilitatorsNetwork
    from kindred.organisations.models import Organisation

    organisation = Organisation.objects.filter(slug=NETWORK_ORG).first()
    person = _user("facilitator")
    if organisation is None or person is None:
        return 0
    if FacilitatorsNetwork.objects.filter(organisation=organisation).exists():
        services.network_sync(FacilitatorsNetwork.objects.get(organisation=organisation))
        return 0
    services.network_ensure(actor=person, organisation=organisation)
    out.write(f"  care: the {organisation.name} facilitators' network\n")
    return 1


def _incident(out: TextIO) -> int:
    group = Group.objects.filter(slug=INCIDENT_GROUP).select_related("organisation").first()
    coordinator = _user("coordinator")
    if group is None or coordinator is None:
        return 0
    if Incident.objects.filter(organisation=group.organisation, title=INCIDENT_TITLE).exists():
        return 0
    incident = services.incident_open(
        actor=coordinator,
        organisation=group.organisation,
        group=group,
        kind=IncidentKind.DEATH,
        title=INCIDENT_TITLE,
        what_happened=(
            "A member who came for several years, and who had stopped coming some months ago, died. Their family "
            "let the facilitator know. They did not have a Kindred account."
        ),
    )
    services.inform_facilitators(
        actor=coordinator,
        incident=incident,
        message=(
            "I'm sorry to share some sad news about a member of the group. Please could we talk before the next "
            "meeting about how to tell the group gently? I'll call you both this week."
        ),
    )
    services.share_resources(actor=coordinator, incident=incident, audience="leaders")
    services.incident_log_add(
        actor=coordinator,
        incident=incident,
        text="Talked with both facilitators by phone. Agreed to open the next meeting with a moment to remember.",
    )
    services.incident_log_add(
        actor=coordinator,
        incident=incident,
        text="Offered the facilitators a one-to-one debrief; one took it up, one preferred the facilitators' space.",
    )
    services.incident_close(
        actor=coordinator,
        incident=incident,
        summary=(
            "Facilitators informed and supported; the group marked the loss together at the next meeting; "
            "support contacts shared. Nothing outstanding."
        ),
    )
    # Spread the record over a fortnight, as it happened.
    start = timezone.now() - timedelta(days=120)
    Incident.objects.filter(pk=incident.pk).update(opened_at=start, closed_at=start + timedelta(days=14))
    for offset, entry in enumerate(IncidentLogEntry.objects.filter(incident=incident).order_by("id")):
        IncidentLogEntry.objects.filter(pk=entry.pk).update(created_at=start + timedelta(days=2 * offset, hours=1))
    out.write("  care: one closed example incident\n")
    return 1


def load_care(stdout: TextIO | None = None) -> int:
    """Load the demo supporter-care data that isn't there yet. Returns how many things were created."""
    out = stdout or sys.stdout
    made = 0
    with transaction.atomic():
        made += _facilitator_checkins(out)
        made += _psw_checkins(out)
        made += _step_back_history(out)
        made += _network(out)
        made += _incident(out)
    return made
