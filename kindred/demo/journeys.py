"""Demo journeys: a few demo people with multi-year paths through the forms, like the research's
participants — a group for years, then one-to-one friendships, online when housebound (member@); online first, then
a group found from abroad by video (peer@); member to facilitator to stepping back (facilitator@); and two more.

Runs after the other demo loaders, so the groups, spaces and schemes exist; the engagements they recorded "now"
stay, and where this story says an ongoing engagement began years ago its start is moved back. Past stretches are
added as ended engagements through `kindred.commons.spine.engagement_record_span`, which never opens a second row for
the same subject and role. Dates are relative to today, so the journeys stay current. Idempotent: spans are keyed
on their start, moments on (date, text), and status history and reflections are only added to people who have none.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TextIO

from django.db import models, transaction
from django.utils import timezone

from kindred.accounts.models import User
from kindred.commons.models import Engagement
from kindred.commons.spine import engagement_record_span, subject_key
from kindred.community.models import Space
from kindred.directory.models import Offer
from kindred.groups.models import Group
from kindred.journey.models import Moment, Reflection, StatusChange

from .world import DEMO_DOMAIN

When = tuple[int, int]  # (years ago, month)


@dataclass(frozen=True)
class Span:
    kind: str  # "group", "space" or "offer": how to find the subject
    slug: str  # the directory offer's slug
    form: str
    role: str
    start: When
    end: When | None = None  # None: ongoing (an existing open row is moved back to `start`)
    reason: str = ""


@dataclass(frozen=True)
class Journey:
    login: str
    spans: tuple[Span, ...]
    moments: tuple[tuple[When, str], ...] = ()
    statuses: tuple[tuple[When, str, bool], ...] = ()  # (when, status, housebound)
    reflections: tuple[str, ...] = ()
    extra: dict[str, str] = field(default_factory=dict)


JOURNEYS: tuple[Journey, ...] = (
    Journey(
        "member",
        spans=(
            Span("group", "wigan-hearing-voices", "group", "receiving", (8, 3), (7, 9), "moved_on"),
            Span("group", "bolton-hearing-voices", "group", "receiving", (7, 10), (5, 5), "paused"),
            Span("offer", "evening-befriending-calls", "one_to_one", "receiving", (5, 7), (4, 6), "completed"),
            Span("space", "voices-together-forum", "online", "reading", (5, 6), (3, 2), "moved_on"),
            Span("space", "voices-together-forum", "online", "receiving", (5, 9), (4, 3), "moved_on"),
            Span("group", "bolton-hearing-voices", "group", "receiving", (4, 2)),
            Span("offer", "email-pen-friends", "one_to_one", "giving", (3, 4), (1, 11), "completed"),
        ),
        moments=(
            ((8, 3), "First went to a hearing voices group, with my sister"),
            ((5, 5), "Went into hospital"),
            ((5, 6), "Home again, but mostly housebound for a while"),
            ((4, 2), "Back at the Bolton group"),
            ((3, 4), "Started writing to a pen-friend"),
            ((2, 9), "Started volunteering at the library"),
        ),
        statuses=(
            ((5, 6), "needing_support", True),
            ((4, 2), "needing_support", False),
            ((2, 9), "able_to_give", False),
        ),
        reflections=(
            "Reading the forum at three in the morning and knowing I wasn't the only one. I didn't post for months, "
            "and that was fine.",
            "Going back to the group after hospital. Nobody made a fuss; someone just poured me a tea.",
        ),
    ),
    Journey(
        "peer",
        spans=(
            Span("space", "voices-together-forum", "online", "reading", (6, 1), (5, 2), "moved_on"),
            Span("space", "voices-together-forum", "online", "receiving", (5, 2), (3, 6), "moved_on"),
            Span("group", "hearing-voices-on-video", "group", "receiving", (5, 4), (4, 8), "moved_on"),
            Span("group", "bolton-hearing-voices", "group", "receiving", (4, 9)),
            Span("space", "voices-together-forum", "online", "giving", (3, 6), (1, 3), "paused"),
        ),
        moments=(
            ((6, 1), "Found the forum late one night"),
            ((5, 4), "Working in Spain for a year — joined a group by video"),
            ((4, 9), "Moved back home and went to a group in person"),
            ((2, 5), "Became the Bolton group's welcome buddy"),
        ),
        statuses=(((5, 2), "needing_support", False), ((3, 6), "able_to_give", False)),
        reflections=("Being able to just read at first. I only joined a group once I knew what people were like.",),
    ),
    Journey(
        "facilitator",
        spans=(
            Span("group", "bolton-hearing-voices", "group", "receiving", (9, 5)),
            Span("group", "bolton-hearing-voices", "group", "facilitating", (6, 1), (2, 10), "paused"),
            Span("group", "salford-hearing-voices", "group", "facilitating", (4, 3), (2, 10), "left"),
            Span("group", "bolton-hearing-voices", "group", "facilitating", (1, 6)),
            Span("space", "voices-together-forum", "online", "reading", (3, 1), (1, 6), "moved_on"),
        ),
        moments=(
            ((9, 5), "First meeting — I didn't say a word"),
            ((6, 1), "Asked to co-facilitate"),
            ((2, 10), "Stepped back: running two groups was too much"),
            ((1, 6), "Came back to facilitate, one week in two"),
        ),
        statuses=(((2, 10), "taking_a_break", False), ((1, 6), "able_to_give", False)),
        reflections=("Stepping back without having to leave. The group was still mine to come to.",),
    ),
    Journey(
        "tomasz",
        spans=(
            Span("space", "low-mood-online", "online", "reading", (1, 2), (1, 10), "moved_on"),
            Span("group", "north-shields-low-mood-evening", "group", "receiving", (1, 11)),
        ),
        moments=(((1, 1), "Moved to North Shields for work"),),
        statuses=(((1, 2), "just_reading", False), ((1, 11), "needing_support", False)),
    ),
    Journey(
        "elsie",
        spans=(
            Span("group", "later-life-coffee-morning", "group", "receiving", (10, 4), (2, 3), "left"),
            Span("space", "low-mood-online", "online", "reading", (2, 5), (1, 8), "moved_on"),
        ),
        moments=(((2, 2), "My husband died"), ((1, 9), "Started phone befriending")),
        statuses=(((2, 3), "needing_support", True),),
        reflections=("The phone calls on Tuesdays. Someone asking and actually waiting for the answer.",),
    ),
)


def _at(when: When, today: date) -> datetime:
    years_ago, month = when
    return timezone.make_aware(datetime(today.year - years_ago, month, 1, 11, 0))


def _subject(kind: str, slug: str) -> models.Model | None:
    offer = Offer.objects.filter(slug=slug).select_related("organisation").first()
    if offer is None:
        return None
    if kind == "group":
        return Group.objects.filter(offer=offer).first() or offer
    if kind == "space":
        return Space.objects.filter(offer=offer).first() or offer
    return offer


def _organisation_of(subject: models.Model) -> object:
    return getattr(subject, "organisation", None)


def _ongoing_since(person: User, subject: models.Model, span: Span, start: datetime) -> None:
    """An ongoing engagement that began at `start`: move an existing open row back, or open one."""
    subject_type, subject_id = subject_key(subject)
    open_row = Engagement.objects.filter(
        person=person,
        subject_type=subject_type,
        subject_id=subject_id,
        form=span.form,
        role=span.role,
        ended_at__isnull=True,
    ).first()
    if open_row is None:
        engagement_record_span(
            person=person,
            subject=subject,
            form=span.form,
            role=span.role,
            started_at=start,
            organisation=_organisation_of(subject),  # type: ignore[arg-type]
        )
    elif open_row.started_at > start:
        Engagement.objects.filter(pk=open_row.pk).update(started_at=start)


def load_journeys(stdout: TextIO | None = None) -> int:
    """Give the demo people their journeys. Returns how many engagements, moments and reflections were added."""
    out = stdout or sys.stdout
    today = timezone.localdate()
    added = 0
    with transaction.atomic():
        for journey in JOURNEYS:
            person = User.objects.filter(email=f"{journey.login}@{DEMO_DOMAIN}").first()
            if person is None:
                continue
            before = Engagement.objects.filter(person=person).count()
            for span in journey.spans:
                subject = _subject(span.kind, span.slug)
                if subject is None:
                    continue
                start = _at(span.start, today)
                if span.end is None:
                    _ongoing_since(person, subject, span, start)
                    continue
                engagement_record_span(
                    person=person,
                    subject=subject,
                    form=span.form,
                    role=span.role,
                    started_at=start,
                    ended_at=_at(span.end, today),
                    end_reason=span.reason,
                    organisation=_organisation_of(subject),  # type: ignore[arg-type]
                )
            added += Engagement.objects.filter(person=person).count() - before
            for when, text in journey.moments:
                _, made = Moment.objects.get_or_create(person=person, happened_on=_at(when, today).date(), text=text)
                added += made
            if journey.statuses and not StatusChange.objects.filter(person=person).exists():
                for when, status, housebound in journey.statuses:
                    StatusChange.objects.create(
                        person=person, status=status, housebound=housebound, changed_at=_at(when, today)
                    )
            if journey.reflections and not Reflection.objects.filter(person=person).exists():
                for text in journey.reflections:
                    Reflection.objects.create(person=person, text=text)
                    added += 1
    out.write(f"Demo journeys ready: {added} engagements, moments and reflections added for {len(JOURNEYS)} people.\n")
    return added
