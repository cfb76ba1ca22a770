"""Demo online spaces: public, members-only, invite-only and network-wide, with threads, replies, reactions,
a moderator on duty and reports waiting in the queue. Chat rooms are loaded by the rooms' own loader.

Idempotent: each space is found by its directory listing (or slug) and left alone if it already exists.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from typing import TextIO

from django.db import transaction

from kindred.accounts.models import User
from kindred.community import moderation, services
from kindred.community.models import Governance, Post, Space, SpaceVisibility
from kindred.directory.models import Offer
from kindred.organisations.models import Organisation

from .world import CALDER, OPEN_MINDS, VOICES, demo_email

RULES = """**Be kind.** Everyone here is finding their way. Disagree gently, and never mock anyone.

**Keep each other safe.** Please don't describe methods of self-harm or suicide, or amounts of medication. If
you're worried about someone, use "Report" and choose "I'm worried about this person's safety".

**Keep it private.** Don't share anyone's real name, address or photos — yours included.

**You don't have to post.** Reading is taking part too.

Moderators act on these rules, tell you why, and you can always appeal."""


@dataclass(frozen=True)
class Reply:
    by: str
    body: str
    cw: str = ""


@dataclass(frozen=True)
class ThreadSpec:
    by: str
    title: str
    body: str
    replies: tuple[Reply, ...] = ()
    cw: str = ""


@dataclass(frozen=True)
class SpaceSpec:
    org: str
    name: str
    offer_slug: str  # an existing directory listing, or "" to create one
    visibility: str
    governance: str
    description: str
    threads: tuple[ThreadSpec, ...]
    partners: tuple[str, ...] = ()
    hosts: tuple[str, ...] = ()


SPACES: tuple[SpaceSpec, ...] = (
    SpaceSpec(
        VOICES,
        "Voices Together Forum",
        "voices-together-forum",
        SpaceVisibility.PUBLIC,
        Governance.ORG_MODERATED,
        "A moderated forum for voice hearers to share, ask questions and support each other. Anyone can read.",
        threads=(
            ThreadSpec(
                "quiet.owl",
                "What helps when the voices get loud at night?",
                "Mine are worst around 2am. I've tried headphones with music but sometimes that makes it "
                "worse. What do other people do?",
                replies=(
                    Reply("kit", "Humming helps me, oddly. Something about using my own voice. *Low* and slow."),
                    Reply(
                        "aisha",
                        "I keep a notebook by the bed and write down what they say. It takes the "
                        "sting out a bit when I read it back in daylight.",
                    ),
                    Reply("quiet.owl", "Thank you both. I'll try the notebook tonight."),
                ),
            ),
            ThreadSpec(
                "pete",
                "First post — been reading for months",
                "Just wanted to say hello. I've been reading here since the spring and it's helped more than "
                "I can say. I'm not ready to share much yet.",
                replies=(Reply("grace", "Welcome Pete. Read as long as you like — no pressure at all."),),
            ),
        ),
    ),
    SpaceSpec(
        OPEN_MINDS,
        "Low Mood Online",
        "low-mood-online",
        SpaceVisibility.MEMBERS,
        Governance.ORG_MODERATED,
        "For members of Tyneside Open Minds with depression or who are feeling low. Weekly 'small wins' thread.",
        threads=(
            ThreadSpec(
                "bex",
                "Small wins this week",
                "Post your small wins, however small. Mine: I opened the post for the first time in a fortnight.",
                replies=(
                    Reply("northern.star", "Had a shower and put clean clothes on. Felt like climbing a mountain."),
                    Reply("tomasz", "Went to the shop and said hello to the cashier."),
                    Reply("lily", "Rang my GP back."),
                ),
            ),
            ThreadSpec(
                "chris",
                "Hard anniversary coming up",
                "It'll be a year since my dad died next week. I keep dreading it.",
                cw="bereavement",
                replies=(
                    Reply("yvonne", "Thinking of you, Chris. Anniversaries can be so heavy. Be gentle with yourself."),
                    Reply("elsie", "You're just being dramatic, everyone's dad dies."),
                ),
            ),
        ),
    ),
    SpaceSpec(
        OPEN_MINDS,
        "Anxious Minds Online",
        "anxious-minds-online",
        SpaceVisibility.PUBLIC,
        Governance.PEER_LED,
        "A peer-led corner for anxiety, worry and panic.",
        hosts=("ahmed",),
        threads=(
            ThreadSpec(
                "northern.star",
                "Panic on the Metro",
                "Had a panic attack on the Metro this morning. Got off two stops early and walked. Anyone else?",
                replies=(
                    Reply("ahmed", "Yes. 5-4-3-2-1 grounding helps me: five things you can see, four you can touch…"),
                    Reply("chris", "Buy cheap watches at www.example.com/deals!!!"),
                ),
            ),
        ),
    ),
    SpaceSpec(
        OPEN_MINDS,
        "Under 26 Space",
        "under-26-space",
        SpaceVisibility.INVITE_ONLY,
        Governance.ORG_MODERATED,
        "For people aged 18 to 25. By invitation from Open Minds.",
        threads=(),
    ),
    SpaceSpec(
        VOICES,
        "Northern Creative Corner",
        "",
        SpaceVisibility.MEMBERS,
        Governance.ORG_MODERATED,
        "A network-wide space shared by three northern organisations: share what you're making — art, "
        "music, writing, knitting — and how it helps.",
        partners=(OPEN_MINDS, CALDER),
        threads=(
            ThreadSpec(
                "grace",
                "Knitting through the winter",
                "Started a scarf in October. It's now about three metres long. I can't stop.",
                replies=(Reply("karen", "This made me laugh out loud. Photos please (well, a description)!"),),
            ),
        ),
    ),
)

# (reporter, space name, author of the reported reply, reason, note)
REPORTS = (
    ("yvonne", "Low Mood Online", "elsie", "unkind", "This was really hurtful to Chris."),
    ("northern.star", "Anxious Minds Online", "chris", "spam", ""),
    ("bex", "Low Mood Online", "elsie", "rules", "Not OK."),
)


def _person(login: str) -> User:
    return User.objects.get(email=demo_email(login))


def load_community(stdout: TextIO | None = None) -> int:
    """Create the demo spaces that are missing. Returns how many spaces were created."""
    out = stdout or sys.stdout
    organisations = {o.slug: o for o in Organisation.objects.filter(slug__in={VOICES, OPEN_MINDS, CALDER})}
    if len(organisations) < 3:
        out.write("Demo spaces skipped: load the demo world first.\n")
        return 0
    created = 0
    with transaction.atomic():
        for spec in SPACES:
            if Space.objects.filter(name=spec.name, organisation=organisations[spec.org]).exists():
                continue
            _load_space(spec, organisations)
            created += 1
        if created:
            _load_reports()
            for org in (OPEN_MINDS, VOICES):
                moderator = {OPEN_MINDS: "moderator", VOICES: "ffion"}[org]
                moderation.shift_start(moderator=_person(moderator), organisation=organisations[org])
    out.write(f"Demo spaces ready: {created} created ({len(SPACES)} in all), with reports in the queue.\n")
    return created


def _load_space(spec: SpaceSpec, organisations: dict[str, Organisation]) -> None:
    coordinator = User.objects.filter(
        memberships__organisation=organisations[spec.org], memberships__role__in=["coordinator", "moderator"]
    ).first()
    assert coordinator is not None
    offer = Offer.objects.filter(slug=spec.offer_slug).first() if spec.offer_slug else None
    if offer is not None and hasattr(offer, "community_space"):
        offer = None
    space = services.space_create(
        actor=coordinator,
        organisation=organisations[spec.org],
        name=spec.name,
        description=spec.description,
        visibility=spec.visibility,
        governance=spec.governance,
        house_rules=RULES,
        partner_organisations=[organisations[p] for p in spec.partners],
        offer=offer,
    )
    for login in spec.hosts:
        services.space_membership_set(actor=coordinator, space=space, person=_person(login), role="host")
    for thread_spec in spec.threads:
        author = _person(thread_spec.by)
        _agree(author, space)
        thread, _ = services.thread_create(
            author=author,
            space=space,
            title=thread_spec.title,
            body=thread_spec.body,
            content_warning=thread_spec.cw,
        )
        for reply in thread_spec.replies:
            person = _person(reply.by)
            _agree(person, space)
            services.reply_create(author=person, thread=thread, body=reply.body, content_warning=reply.cw)
        first = thread.posts.filter(is_opening=True).first()
        if first is not None and thread_spec.replies:
            replier = _person(thread_spec.replies[0].by)
            if replier.pk != author.pk:
                services.reaction_toggle(user=replier, post=first, kind="thinking_of_you")


def _agree(person: User, space: Space) -> None:
    if services.needs_rules_acknowledgement(person, space) is not None:
        services.house_rules_acknowledge(user=person, space=space, version=space.current_rules.version)


def _load_reports() -> None:
    for reporter, space_name, author, reason, note in REPORTS:
        space = Space.objects.filter(name=space_name).first()
        if space is None:
            continue
        post = Post.objects.filter(thread__space=space, author=_person(author), is_opening=False).first()
        if post is not None:
            moderation.report_create(reporter=_person(reporter), target=post, reason=reason, note=note)
