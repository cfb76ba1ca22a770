"""Demo one-to-one: Tyneside Open Minds' befriending and email pen-friend schemes and the Calder and Aire NHS
trust's Leeds peer support worker service — with supporters, requests, matches, sessions, private notes, practice
logs, well-being check-ins and supervision.

Built through the one-to-one services (supporter profiles, requests, proposals, approval, both sides accepting,
sessions, notes, supervision), so the demo shows what normal use produces. The schemes attach to the demo
listings that already exist (looked up by slug). Idempotent: a scheme already attached to its listing is left alone.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any, TextIO

from django.utils import timezone

from kindred.accounts.models import User
from kindred.care import services as care_services
from kindred.directory.models import Offer
from kindred.onetoone import practice, services
from kindred.onetoone.models import (
    BoundaryDilemma,
    Match,
    MatchingMode,
    MatchRequest,
    Scheme,
    SchemeKind,
    SessionStatus,
    SupervisionRecord,
)

from .world import DEMO_DOMAIN

ALL_CHANNELS = ["in_person", "phone", "video", "messages"]


def _person(login: str) -> User | None:
    return User.objects.filter(email=f"{login}@{DEMO_DOMAIN}").first()


@dataclass(frozen=True)
class DemoSupporter:
    login: str
    experience_tags: str
    interest_tags: str
    experience_distress: str = ""
    wider_life: str = ""
    availability: tuple[str, ...] = ("tue-evening", "thu-afternoon")
    capacity: int = 3


@dataclass(frozen=True)
class DemoMatch:
    seeker: str
    supporter: str
    about: str
    weeks_ago: int = 0  # 0: a request still waiting; >0: matched this many weeks ago
    sessions: int = 0
    channel: str = "in_person"
    minutes: int = 60
    note: str = ""


@dataclass(frozen=True)
class DemoScheme:
    offer_slug: str
    kind: str
    coordinator: str
    channels: tuple[str, ...]
    supporters: tuple[DemoSupporter, ...]
    matches: tuple[DemoMatch, ...]
    caseload_cap: int | None = None
    supervisor: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


SCHEMES: tuple[DemoScheme, ...] = (
    DemoScheme(
        offer_slug="open-minds-befriending",
        kind=SchemeKind.BEFRIENDING,
        coordinator="coordinator",
        channels=("in_person", "phone"),
        supervisor="margaret",
        supporters=(
            DemoSupporter(
                "bex",
                "anxiety, low mood, loneliness",
                "walking, baking, football",
                experience_distress="I went through a long stretch of anxiety after my dad died.",
                wider_life="Mum of two, works part-time at the library.",
            ),
            DemoSupporter(
                "ahmed",
                "depression, being a carer",
                "chess, cricket, cooking",
                availability=("mon-evening", "sat-morning"),
            ),
        ),
        matches=(
            DemoMatch(
                "tomasz",
                "bex",
                "I moved here for work and don't know anyone. Some weeks I don't speak to anyone at all.",
                weeks_ago=10,
                sessions=6,
                note="Walked to the coast. T talked more about his brother today.",
            ),
            DemoMatch(
                "elsie",
                "ahmed",
                "Since my husband died I rarely go out.",
                weeks_ago=4,
                sessions=3,
                channel="phone",
                minutes=30,
            ),
            DemoMatch("lily", "", "I'd like someone to go for a walk with, maybe once a fortnight."),
        ),
    ),
    DemoScheme(
        offer_slug="email-pen-friends",
        kind=SchemeKind.PEN_FRIENDS,
        coordinator="coordinator",
        channels=("messages",),
        supervisor="margaret",
        extra={"matching_mode": MatchingMode.CHOOSES},
        supporters=(DemoSupporter("ahmed", "depression", "books, chess, history", capacity=2),),
        matches=(
            DemoMatch(
                "chris",
                "ahmed",
                "I find writing easier than talking. Would like someone to write to about books.",
                weeks_ago=12,
                sessions=5,
                channel="messages",
                minutes=20,
            ),
            DemoMatch("member", "", "Writing helps me sort my head out. I'd like a pen-friend who hears voices too."),
        ),
    ),
    DemoScheme(
        offer_slug="leeds-peer-support-workers",
        kind=SchemeKind.PSW,
        coordinator="andy",
        channels=tuple(ALL_CHANNELS),
        caseload_cap=8,
        supervisor="supervisor",
        supporters=(
            DemoSupporter(
                "psw",
                "psychosis, hospital admission, hearing voices",
                "running, music, gardening",
                experience_distress="I was in hospital twice in my twenties, and I still hear voices sometimes.",
                capacity=8,
            ),
            DemoSupporter("jamal", "depression, self-harm, services", "football, gaming", capacity=8),
            DemoSupporter("priya", "bipolar, hearing voices", "art, walking, faith", capacity=6),
        ),
        matches=(
            DemoMatch(
                "karen",
                "psw",
                "Coming off the ward and I don't know how to get back to normal life.",
                weeks_ago=14,
                sessions=9,
                note="K managed the bus on her own for the first time. Anxious about the review next month.",
            ),
            DemoMatch(
                "mo",
                "psw",
                "I'd like help getting back to the gym and seeing friends again.",
                weeks_ago=6,
                sessions=4,
                channel="video",
                minutes=45,
            ),
            DemoMatch(
                "harriet",
                "jamal",
                "Looking for someone who has been through services to talk to.",
                weeks_ago=3,
                sessions=2,
            ),
            DemoMatch(
                "stephen",
                "priya",
                "I hear voices and would like to meet someone who understands.",
                weeks_ago=1,
                sessions=1,
            ),
        ),
    ),
)


def load_onetoone(stdout: TextIO | None = None) -> int:
    """Create the demo schemes that aren't there yet, with their people and history. Returns how many were created."""
    out = stdout or sys.stdout
    created = 0
    for spec in SCHEMES:
        offer = Offer.objects.filter(slug=spec.offer_slug).select_related("organisation").first()
        coordinator = _person(spec.coordinator)
        if offer is None or coordinator is None or Scheme.objects.filter(offer=offer).exists():
            continue
        _load_scheme(spec, offer, coordinator)
        created += 1
    out.write(f"Demo one-to-one ready: {created} schemes created ({len(SCHEMES)} in all).\n")
    return created


def _load_scheme(spec: DemoScheme, offer: Offer, coordinator: User) -> Scheme:
    organisation = offer.organisation
    # The listing exists already (demo offers); the scheme attaches to it rather than listing itself twice.
    scheme = Scheme.objects.create(
        organisation=organisation,
        offer=offer,
        kind=spec.kind,
        channels=list(spec.channels),
        caseload_cap=spec.caseload_cap,
        created_by=coordinator,
        **spec.extra,
    )
    profiles = {}
    for supporter in spec.supporters:
        user = _person(supporter.login)
        if user is None:
            continue
        profiles[supporter.login] = services.supporter_profile_save(
            actor=user,
            scheme=scheme,
            experience_tags=supporter.experience_tags,
            interest_tags=supporter.interest_tags,
            experience_distress=supporter.experience_distress,
            wider_life=supporter.wider_life,
            channels=list(spec.channels),
            availability=list(supporter.availability),
            languages="English",
            capacity=supporter.capacity,
        )
    supervisor = _person(spec.supervisor) if spec.supervisor else None
    if supervisor is not None:
        for login in profiles:
            practice.supervision_assign(
                actor=coordinator, organisation=organisation, supervisor=supervisor, supervisee=profiles[login].user
            )
    for demo_match in spec.matches:
        seeker = _person(demo_match.seeker)
        if seeker is None or MatchRequest.objects.filter(seeker=seeker, scheme=scheme).exists():
            continue
        request = services.match_request_create(
            actor=seeker, scheme=scheme, about=demo_match.about, channels=list(spec.channels), languages="English"
        )
        profile = profiles.get(demo_match.supporter)
        if profile is None:
            continue  # a request still waiting for a match
        match = services.match_propose(actor=coordinator, request=request, profile=profile)
        match = services.match_approve(actor=coordinator, match=match)
        match = services.match_respond(actor=seeker, match=match, accept=True)
        match = services.match_respond(actor=profile.user, match=match, accept=True)
        _history(match, demo_match, supervisor)
    return scheme


def _history(match: Match, spec: DemoMatch, supervisor: User | None) -> None:
    """Weeks of sessions since the match began: a note, a disclosure, a check-in, and supervision."""
    now = timezone.now()
    began = now - timedelta(weeks=spec.weeks_ago)
    # The demo pretends the match began weeks ago, so its history of sessions makes sense.
    Match.objects.filter(pk=match.pk).update(activated_at=began, approved_at=began - timedelta(days=3))
    match.refresh_from_db()
    worker = match.supporter
    if worker is None:
        return
    last = None
    for number in range(spec.sessions):
        starts = (began + timedelta(days=3 + number * 7)).replace(hour=14, minute=0, second=0, microsecond=0)
        if starts > now - timedelta(hours=2):
            break
        last = practice.session_log(
            actor=worker,
            match=match,
            starts_at=starts,
            duration_minutes=spec.minutes,
            channel=spec.channel,
            status=SessionStatus.HELD,
        )
    next_time = (now + timedelta(days=4)).replace(hour=14, minute=0, second=0, microsecond=0)
    practice.session_log(
        actor=worker,
        match=match,
        starts_at=next_time,
        duration_minutes=spec.minutes,
        channel=spec.channel,
        status=SessionStatus.SCHEDULED,
    )
    if last is None:
        return
    if spec.note:
        practice.note_add(actor=worker, session=last, body=spec.note)
    practice.disclosure_log(
        actor=worker,
        session=last,
        layer="distress",
        what_i_shared="That I have had times when getting out of the house felt impossible too.",
        why="To show that things can shift, without making it about me.",
        helpful="helpful",
    )
    care_services.checkin_record(actor=worker, session=last, feeling=4, note="A good session. Tired but glad.")
    organisation = match.scheme.organisation
    recorded = SupervisionRecord.objects.filter(organisation=organisation, supervisee=worker).exists()
    if supervisor is not None and not recorded and practice.supervises(supervisor, worker, organisation):
        practice.supervision_record_add(
            actor=supervisor,
            organisation=organisation,
            supervisee=worker,
            held_on=timezone.localdate() - timedelta(days=7),
            notes="Talked through the caseload and how the new matches are going. Energy good.",
            agreed_actions="Keep Friday afternoons free for writing up; bring the gift question next time.",
        )
    first_dilemma = not BoundaryDilemma.objects.filter(worker=worker).exists()
    if match.scheme.kind == SchemeKind.PSW and worker.email.startswith("psw@") and first_dilemma:
        practice.dilemma_log(
            actor=worker,
            organisation=organisation,
            occurred_on=timezone.localdate() - timedelta(days=10),
            what_happened="Offered a small gift at the end of a session — a homemade card and a cake.",
            what_i_did="Accepted the card, thanked them for the cake and suggested we share it.",
            match=match,
        )
