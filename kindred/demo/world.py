"""The demo world: three organisations and about thirty people, loaded by `manage.py load_demo`.

Everyone here is invented. Phone numbers come from Ofcom's ranges reserved for drama
(0113 496 0xxx, 0161 496 0xxx, 0191 498 0xxx, 07700 900xxx), so none of them reaches a real person.

Loading is idempotent: rows are looked up by a natural key (organisation slug, email address,
crisis resource name) and only created when missing, so running it twice changes nothing and
edits made while trying the demo survive. `reset()` removes every demo row first.

Later capabilities extend the world by adding a `load_<thing>()` step to `load()` (offers, groups,
spaces, matches…), each one idempotent in the same way and recording Engagements through
`kindred.kindred.commons.spine.engagement_record` once there is something real to attach them to.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TextIO

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from kindred.accounts.models import ConsentKind, ConsentRecord, Profile, User, Visibility, normalise_email
from kindred.core.services import audit_record
from kindred.organisations.models import CrisisResource, Organisation, Role
from kindred.organisations.services import membership_grant

from .offers import load_offers
from .resources import load_resources

DEMO_DOMAIN = "demo.kindred.local"
DEMO_PASSWORD = "kindred-demo-2026"  # noqa: S105 - documented in README; demo data only

VOICES = "voices-together-north"
OPEN_MINDS = "tyneside-open-minds"
CALDER = "calder-aire-peer-support"
DEMO_SLUGS = (VOICES, OPEN_MINDS, CALDER)

ONLY_ME, STAFF, MEMBERS, ANYONE = Visibility.ONLY_ME, Visibility.STAFF, Visibility.MEMBERS, Visibility.ANYONE


def demo_email(login: str) -> str:
    return f"{login}@{DEMO_DOMAIN}"


# --- Organisations ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ResourceSpec:
    name: str
    description: str = ""
    phone: str = ""
    text_number: str = ""
    hours: str = ""


@dataclass(frozen=True)
class OrganisationSpec:
    slug: str
    name: str
    region: str
    description: str
    safeguarding_policy: str
    resources: tuple[ResourceSpec, ...]


ORGANISATIONS: tuple[OrganisationSpec, ...] = (
    OrganisationSpec(
        slug=VOICES,
        name="Voices Together North",
        region="North West",
        description=(
            "A peer-led network of hearing voices groups across Greater Manchester and Lancashire. "
            "Our groups are for anyone who hears voices, sees visions or has other unusual experiences. "
            "You don't need a diagnosis, and you don't have to believe anything in particular about your "
            "voices to be welcome. Every group is run by people with their own experience."
        ),
        safeguarding_policy=(
            "What we say in our groups stays in the group. We don't keep notes about you and we don't "
            "share anything with doctors, social workers or anyone else.\n\n"
            "There is one exception. If a facilitator believes that you or someone else — especially a "
            "child — is in serious danger right now, they may need to get help. If that happens, they "
            "will talk to you first whenever they can, tell you who they are contacting and why, and "
            "keep it to what is needed to keep people safe.\n\n"
            "If you are worried about how a group is being run, you can speak to any of our coordinators, "
            "or email the network's safeguarding lead. We will listen, and we will tell you what we did."
        ),
        resources=(
            ResourceSpec(
                name="Voices Together warm line",
                description=(
                    "A listening line answered by volunteers who hear voices themselves. "
                    "Not a crisis service — just someone who gets it."
                ),
                phone="0161 496 0412",
                hours="Every evening, 6pm–10pm",
            ),
            ResourceSpec(
                name="The Lantern crisis café (Salford)",
                description=(
                    "A calm place to go when things feel too much, with peer workers and a mental health "
                    "nurse. Just turn up, or ring first if you'd like someone to expect you."
                ),
                phone="0161 496 0788",
                hours="Friday to Sunday, 6pm–midnight",
            ),
            ResourceSpec(
                name="Text a peer",
                description="If talking feels too much, text us and a peer volunteer will text back.",
                text_number="07700 900314",
                hours="Daily, 10am–10pm",
            ),
        ),
    ),
    OrganisationSpec(
        slug=OPEN_MINDS,
        name="Tyneside Open Minds",
        region="North East",
        description=(
            "A mental health charity for Newcastle, Gateshead and North and South Tyneside. We run "
            "drop-ins, support groups, a befriending scheme and moderated online spaces, and we offer "
            "practical advice on benefits and housing. Our volunteers all have their own experience of "
            "mental or emotional distress."
        ),
        safeguarding_policy=(
            "We want everyone to feel safe using our services. Most of the time, what you tell our staff "
            "and volunteers is private to you and them.\n\n"
            "If we are seriously worried that you might be harmed, or might harm someone else, we may need "
            "to share information with the right service, such as your GP, the crisis team, or the local "
            "authority's safeguarding team. We will always try to talk to you about it first, and we will "
            "always tell you what we have shared and with whom.\n\n"
            "Our safeguarding lead is Helen, our volunteer coordinator. You can ask to see this policy in "
            "full, or in another format, at any of our drop-ins."
        ),
        resources=(
            ResourceSpec(
                name="Open Minds listening line",
                description="Talk to a trained volunteer about whatever is on your mind.",
                phone="0191 498 0271",
                hours="Every day, 4pm–midnight",
            ),
            ResourceSpec(
                name="Tyneside Safe Haven",
                description=(
                    "An evening crisis space in Newcastle city centre. Somewhere warm and quiet to talk, "
                    "with a cup of tea. No referral needed."
                ),
                phone="0191 498 0635",
                hours="Every evening, 6pm–11pm",
            ),
            ResourceSpec(
                name="Open Minds text support",
                text_number="07700 900582",
                hours="Monday to Friday, 9am–9pm",
            ),
            ResourceSpec(
                name="Money and housing advice line",
                description=(
                    "Worries about benefits, debt or where you live can make everything harder. "
                    "Our advisers can help you sort things out, one step at a time."
                ),
                phone="0191 498 0119",
                hours="Monday to Friday, 9am–5pm",
            ),
        ),
    ),
    OrganisationSpec(
        slug=CALDER,
        name="Calder and Aire NHS Peer Support Service",
        region="Yorkshire",
        description=(
            "The peer support worker service of Calder and Aire NHS Foundation Trust. Our peer support "
            "workers have their own lived experience and work alongside community mental health teams "
            "in Leeds, Bradford and Calderdale, meeting people one to one and running recovery groups."
        ),
        safeguarding_policy=(
            "As an NHS service, we keep records of the support we give you, and your peer support worker "
            "shares information with your care team when it helps your care. We will tell you what we "
            "write down, and you can ask to see it.\n\n"
            "If we believe that you, a child or another adult is at risk of serious harm, we have a legal "
            "duty to act. This can mean contacting your care team, the crisis team or social services "
            "without waiting for your agreement. Even then, we will tell you what we are doing and why, "
            "unless telling you would put someone in danger.\n\n"
            "You can talk to your peer support worker's supervisor, or the Trust's Patient Advice and "
            "Liaison Service, about any concern."
        ),
        resources=(
            ResourceSpec(
                name="Calder and Aire mental health crisis line",
                description=(
                    "The Trust's 24-hour line for people of any age who need urgent mental health help, "
                    "and for people worried about someone else."
                ),
                phone="0113 496 0247",
                hours="24 hours, every day",
            ),
            ResourceSpec(
                name="Haven House crisis house",
                description=(
                    "Short stays in a homely house in Halifax, as an alternative to hospital. "
                    "Your care team or the crisis line can arrange a stay."
                ),
                phone="0113 496 0580",
                hours="24 hours, every day",
            ),
            ResourceSpec(
                name="Peer support service office",
                description=(
                    "To reach your peer support worker or change an appointment. Not for emergencies — "
                    "please use the crisis line above out of hours."
                ),
                phone="0113 496 0333",
                hours="Monday to Friday, 9am–5pm",
            ),
        ),
    ),
)


# --- People ----------------------------------------------------------------------------------

Shared = tuple[str, str]  # (what the person wrote, who may see it)


@dataclass(frozen=True)
class PersonSpec:
    login: str  # the part before @demo.kindred.local
    display_name: str
    roles: tuple[tuple[str, Role], ...]
    real_name: str = ""
    profile: dict[str, Shared] = field(default_factory=dict)
    research_contact: bool = False
    joined_days_ago: int = 200


M, PEER, FAC, PSW, COORD, MOD, SUP = (
    Role.MEMBER,
    Role.PEER,
    Role.FACILITATOR,
    Role.PSW,
    Role.COORDINATOR,
    Role.MODERATOR,
    Role.SUPERVISOR,
)

PEOPLE: tuple[PersonSpec, ...] = (
    # The documented demo logins come first.
    PersonSpec(
        login="member",
        display_name="Sam",
        roles=((VOICES, M), (OPEN_MINDS, M)),
        profile={
            "experience": (
                "Anxiety that gets so loud it feels like a voice of its own. I mostly read for the first "
                "few months. Still working out what helps, and that's OK.",
                MEMBERS,
            ),
            "gender": ("Non-binary", MEMBERS),
            "age_band": ("25_34", MEMBERS),
            "interests": ("drawing, podcasts, long bus rides", ANYONE),
            "languages": ("English", ANYONE),
        },
        joined_days_ago=95,
    ),
    PersonSpec(
        login="peer",
        display_name="Dev",
        real_name="Devinder Sahota",
        roles=((VOICES, M), (VOICES, PEER)),
        profile={
            "experience": (
                "Voices, paranoia, and a couple of hospital stays in my twenties. These days I mostly want "
                "to be there for new people, the way someone was there for me.",
                MEMBERS,
            ),
            "gender": ("Man", ANYONE),
            "ethnicity": ("British Indian (Punjabi)", MEMBERS),
            "faith": ("Sikh", MEMBERS),
            "age_band": ("35_44", MEMBERS),
            "interests": ("cricket, cooking for too many people, Bollywood soundtracks", ANYONE),
            "languages": ("English, Punjabi", ANYONE),
            "values": ("patience, no judgement", MEMBERS),
        },
        research_contact=True,
        joined_days_ago=700,
    ),
    PersonSpec(
        login="facilitator",
        display_name="Jo",
        real_name="Joanne Marsh",
        roles=((VOICES, M), (VOICES, FAC)),
        profile={
            "experience": (
                "I've heard voices since I was fourteen. For years I thought the only way forward was to "
                "make them stop. The group taught me I could live alongside them, and now I help run it.",
                ANYONE,
            ),
            "gender": ("Woman", ANYONE),
            "age_band": ("45_54", MEMBERS),
            "interests": ("my allotment, crochet, Bolton Wanderers", ANYONE),
            "languages": ("English", ANYONE),
            "values": ("honesty, hope, everyone's experience is valid", ANYONE),
        },
        research_contact=True,
        joined_days_ago=900,
    ),
    PersonSpec(
        login="coordinator",
        display_name="Helen",
        real_name="Helen Armstrong",
        roles=((OPEN_MINDS, COORD),),
        profile={
            "experience": (
                "I first came to Open Minds through a drop-in after a breakdown in 2015. Now I coordinate "
                "our volunteers, and I still go to a group myself.",
                MEMBERS,
            ),
            "gender": ("Woman", MEMBERS),
            "age_band": ("55_64", STAFF),
            "interests": ("sea swimming at Tynemouth, choir", MEMBERS),
            "languages": ("English", ANYONE),
        },
        joined_days_ago=950,
    ),
    PersonSpec(
        login="psw",
        display_name="Nadia",
        real_name="Nadia Hussain",
        roles=((CALDER, PSW),),
        profile={
            "experience": (
                "I have lived experience of psychosis and a long stay on a ward. I've been a peer support "
                "worker for four years, and I share my story when it might help.",
                ANYONE,
            ),
            "gender": ("Woman", ANYONE),
            "ethnicity": ("British Pakistani", MEMBERS),
            "faith": ("Muslim", MEMBERS),
            "languages": ("English, Urdu", ANYONE),
            "interests": ("baking, walking in the Dales", MEMBERS),
        },
        joined_days_ago=600,
    ),
    PersonSpec(
        login="moderator",
        display_name="Lewis",
        real_name="Lewis Charlton",
        roles=((OPEN_MINDS, M), (OPEN_MINDS, MOD)),
        profile={
            "experience": ("Depression and social anxiety. Online spaces got me through the worst years.", MEMBERS),
            "gender": ("Man", MEMBERS),
            "sexuality": ("Gay", MEMBERS),
            "age_band": ("25_34", MEMBERS),
            "interests": ("retro games, Newcastle United, cats", ANYONE),
        },
        joined_days_ago=500,
    ),
    PersonSpec(
        login="supervisor",
        display_name="Claire",
        real_name="Claire Whitaker",
        roles=((CALDER, SUP),),
        profile={
            "experience": (
                "I've had my own experience of depression after having my children. I supervise our peer "
                "support workers and try to make sure they are supported as well as they support others.",
                STAFF,
            ),
            "gender": ("Woman", STAFF),
            "age_band": ("45_54", ONLY_ME),
            "languages": ("English", ANYONE),
        },
        joined_days_ago=800,
    ),
    # Voices Together North (North West)
    PersonSpec(
        login="marcus",
        display_name="Marcus",
        real_name="Marcus Okafor",
        roles=((VOICES, M), (VOICES, COORD)),
        profile={
            "experience": (
                "I hear voices and I've been part of the hearing voices movement for fifteen years. I "
                "started our first group in a church hall in Wigan with four people and a kettle.",
                ANYONE,
            ),
            "gender": ("Man", ANYONE),
            "ethnicity": ("Black British (Nigerian)", MEMBERS),
            "age_band": ("55_64", MEMBERS),
            "interests": ("jazz, fell walking", ANYONE),
            "values": ("peer-led means peer-led", ANYONE),
        },
        research_contact=True,
        joined_days_ago=1000,
    ),
    PersonSpec(
        login="ffion",
        display_name="Ffion",
        roles=((VOICES, M), (VOICES, MOD)),
        profile={
            "experience": ("Voices and visions, mostly kind ones these days. I look after our online space.", MEMBERS),
            "gender": ("Woman", MEMBERS),
            "languages": ("Welsh, English", ANYONE),
            "interests": ("poetry, sea shanties", MEMBERS),
        },
        joined_days_ago=420,
    ),
    PersonSpec(
        login="quiet.owl",
        display_name="Quiet Owl",
        roles=((VOICES, M),),
        profile={
            "experience": ("I'd rather not say yet. I'm here to listen.", ONLY_ME),
            "interests": ("night skies, birdwatching", MEMBERS),
        },
        joined_days_ago=30,
    ),
    PersonSpec(
        login="aisha",
        display_name="Aisha",
        real_name="Aisha Rahman",
        roles=((VOICES, M),),
        profile={
            "experience": (
                "The voices started after my son was born. The group is the only place where I don't have "
                "to explain myself.",
                MEMBERS,
            ),
            "gender": ("Woman", MEMBERS),
            "ethnicity": ("British Bangladeshi", ONLY_ME),
            "faith": ("Muslim", MEMBERS),
            "languages": ("English, Bengali, Sylheti", MEMBERS),
            "age_band": ("25_34", ONLY_ME),
        },
        joined_days_ago=150,
    ),
    PersonSpec(
        login="pete",
        display_name="Pete",
        real_name="Peter Lowe",
        roles=((VOICES, M),),
        profile={
            "experience": ("I've heard voices all my life and never told a soul until I was sixty.", MEMBERS),
            "gender": ("Man", MEMBERS),
            "age_band": ("65_plus", MEMBERS),
            "interests": ("brass bands, pigeons, crosswords", ANYONE),
            "values": ("kindness, a good brew", ANYONE),
        },
        joined_days_ago=320,
    ),
    PersonSpec(
        login="kit",
        display_name="Kit",
        roles=((VOICES, M), (VOICES, PEER), (OPEN_MINDS, M)),
        profile={
            "experience": (
                "Voices, dissociation and a lot of shame about both. Meeting other trans people who hear "
                "voices changed everything for me.",
                MEMBERS,
            ),
            "gender": ("Trans man", MEMBERS),
            "sexuality": ("Queer", MEMBERS),
            "age_band": ("18_24", MEMBERS),
            "interests": ("zines, skateboarding, tattoos", ANYONE),
            "values": ("solidarity, mutual aid", ANYONE),
        },
        joined_days_ago=260,
    ),
    PersonSpec(
        login="grace",
        display_name="Grace",
        real_name="Grace Mensah",
        roles=((VOICES, M),),
        profile={
            "experience": (
                "Voices and visions. My church and this group both matter to me, and I'm glad nobody here "
                "makes me choose.",
                MEMBERS,
            ),
            "gender": ("Woman", MEMBERS),
            "ethnicity": ("Black British (Ghanaian)", MEMBERS),
            "faith": ("Christian (Pentecostal)", MEMBERS),
            "languages": ("English, Twi", MEMBERS),
            "age_band": ("35_44", ONLY_ME),
        },
        joined_days_ago=180,
    ),
    PersonSpec(
        login="rob",
        display_name="Rob",
        real_name="Robert Kay",
        roles=((VOICES, M), (VOICES, FAC)),
        profile={
            "experience": ("Paranoia and voices. I co-facilitate the Thursday group in Preston.", MEMBERS),
            "gender": ("Man", MEMBERS),
            "age_band": ("45_54", MEMBERS),
            "interests": ("fishing, 70s rock", ANYONE),
        },
        joined_days_ago=610,
    ),
    # Tyneside Open Minds (North East)
    PersonSpec(
        login="bex",
        display_name="Bex",
        real_name="Rebecca Hall",
        roles=((OPEN_MINDS, M), (OPEN_MINDS, PEER)),
        profile={
            "experience": (
                "Depression, on and off since university. Being befriended helped me more than anything "
                "else, so now I'm a befriender.",
                MEMBERS,
            ),
            "gender": ("Woman", MEMBERS),
            "sexuality": ("Bisexual", ONLY_ME),
            "age_band": ("25_34", MEMBERS),
            "interests": ("running, true crime, houseplants", ANYONE),
        },
        research_contact=True,
        joined_days_ago=540,
    ),
    PersonSpec(
        login="northern.star",
        display_name="Northern Star",
        roles=((OPEN_MINDS, M),),
        profile={
            "experience": (
                "Panic attacks and low mood after I was made redundant. I come to the Tuesday drop-in and "
                "sometimes I just sit and have a cuppa.",
                MEMBERS,
            ),
            "gender": ("Man", ONLY_ME),
            "age_band": ("45_54", ONLY_ME),
            "interests": ("football, DIY", MEMBERS),
        },
        joined_days_ago=75,
    ),
    PersonSpec(
        login="tomasz",
        display_name="Tomasz",
        real_name="Tomasz Nowak",
        roles=((OPEN_MINDS, M),),
        profile={
            "experience": (
                "Loneliness after moving here, and drinking to cope with it. I'm a few months sober now.",
                MEMBERS,
            ),
            "gender": ("Man", MEMBERS),
            "languages": ("Polish, English", ANYONE),
            "age_band": ("35_44", MEMBERS),
            "interests": ("cycling, photography", ANYONE),
        },
        joined_days_ago=120,
    ),
    PersonSpec(
        login="yvonne",
        display_name="Yvonne",
        real_name="Yvonne Dodds",
        roles=((OPEN_MINDS, M), (OPEN_MINDS, FAC)),
        profile={
            "experience": (
                "Grief, then a depression that went on for years. I facilitate the women's group on a "
                "Wednesday morning.",
                MEMBERS,
            ),
            "gender": ("Woman", ANYONE),
            "age_band": ("55_64", MEMBERS),
            "interests": ("knitting, gardening, the Metro crossword", ANYONE),
            "values": ("listening, making people welcome", ANYONE),
        },
        joined_days_ago=730,
    ),
    PersonSpec(
        login="ahmed",
        display_name="Ahmed",
        real_name="Ahmed Hassan",
        roles=((OPEN_MINDS, M), (OPEN_MINDS, PEER)),
        profile={
            "experience": (
                "Trauma from before I came to this country, and the long wait for asylum. I'm a peer "
                "volunteer now, and I help people who are new to Newcastle.",
                MEMBERS,
            ),
            "gender": ("Man", MEMBERS),
            "ethnicity": ("Somali", MEMBERS),
            "faith": ("Muslim", MEMBERS),
            "languages": ("Somali, Arabic, English", ANYONE),
            "values": ("community, respect", ANYONE),
        },
        joined_days_ago=400,
    ),
    PersonSpec(
        login="lily",
        display_name="Lily",
        roles=((OPEN_MINDS, M),),
        profile={
            "experience": (
                "Eating difficulties and self-harm when I was younger. The online spaces at night are what "
                "keep me going some weeks.",
                ONLY_ME,
            ),
            "gender": ("Woman", MEMBERS),
            "age_band": ("18_24", MEMBERS),
            "interests": ("music (mostly sad), baking, my dog", MEMBERS),
        },
        joined_days_ago=60,
    ),
    PersonSpec(
        login="margaret",
        display_name="Margaret",
        real_name="Margaret Robson",
        roles=((OPEN_MINDS, SUP),),
        profile={
            "experience": ("Anxiety, and caring for my husband through his illness.", STAFF),
            "gender": ("Woman", STAFF),
            "age_band": ("65_plus", ONLY_ME),
        },
        joined_days_ago=880,
    ),
    PersonSpec(
        login="chris",
        display_name="Chris",
        real_name="Christopher Bell",
        roles=((OPEN_MINDS, M),),
        profile={
            "experience": (
                "Nightmares and a short fuse since I left the army. Talking to other veterans helps.",
                MEMBERS,
            ),
            "gender": ("Man", MEMBERS),
            "age_band": ("55_64", MEMBERS),
            "interests": ("walking the dog on the beach, model railways", ANYONE),
        },
        joined_days_ago=210,
    ),
    PersonSpec(
        login="elsie",
        display_name="Elsie",
        roles=((OPEN_MINDS, M),),
        profile={
            "experience": (
                "Low since my husband died. I mostly read what others write. It helps to know I'm not the only one.",
                ONLY_ME,
            ),
            "gender": ("Woman", MEMBERS),
            "age_band": ("65_plus", MEMBERS),
            "faith": ("Church of England", ONLY_ME),
        },
        joined_days_ago=45,
    ),
    # Calder and Aire NHS Peer Support Service (Yorkshire)
    PersonSpec(
        login="andy",
        display_name="Andy",
        real_name="Andrew Firth",
        roles=((CALDER, COORD),),
        profile={
            "experience": ("I lead the peer support service. My own experience is of depression and burnout.", STAFF),
            "gender": ("Man", MEMBERS),
            "languages": ("English", ANYONE),
        },
        joined_days_ago=990,
    ),
    PersonSpec(
        login="jamal",
        display_name="Jamal",
        real_name="Jamal Williams",
        roles=((CALDER, PSW),),
        profile={
            "experience": (
                "I was sectioned at nineteen. I know what it's like to feel nobody is listening, so I "
                "listen for a living now.",
                ANYONE,
            ),
            "gender": ("Man", ANYONE),
            "ethnicity": ("Black British (Caribbean)", MEMBERS),
            "age_band": ("25_34", MEMBERS),
            "interests": ("grime, boxing, Leeds Rhinos", ANYONE),
        },
        joined_days_ago=480,
    ),
    PersonSpec(
        login="priya",
        display_name="Priya",
        real_name="Priya Chauhan",
        roles=((CALDER, PSW), (VOICES, M), (VOICES, FAC)),
        profile={
            "experience": (
                "Voices since my teens. A peer support worker in the week, and I co-facilitate a hearing "
                "voices group over the Pennines on Saturdays.",
                MEMBERS,
            ),
            "gender": ("Woman", ANYONE),
            "ethnicity": ("British Indian (Gujarati)", MEMBERS),
            "faith": ("Hindu", ONLY_ME),
            "languages": ("English, Gujarati", ANYONE),
            "interests": ("dance, board games", ANYONE),
        },
        research_contact=True,
        joined_days_ago=560,
    ),
    PersonSpec(
        login="karen",
        display_name="Karen",
        real_name="Karen Sutcliffe",
        roles=((CALDER, M),),
        profile={
            "experience": (
                "Bipolar is the word the doctors use. I'd say big ups and very long downs. My peer support "
                "worker is the first person who asked what I wanted.",
                STAFF,
            ),
            "gender": ("Woman", STAFF),
            "age_band": ("45_54", STAFF),
            "interests": ("painting, charity shops", MEMBERS),
        },
        joined_days_ago=140,
    ),
    PersonSpec(
        login="mo",
        display_name="Mo",
        real_name="Mohammed Iqbal",
        roles=((CALDER, M),),
        profile={
            "experience": ("Voices and not sleeping. My PSW helped me get back to college.", STAFF),
            "gender": ("Man", MEMBERS),
            "age_band": ("18_24", MEMBERS),
            "faith": ("Muslim", ONLY_ME),
            "languages": ("English, Urdu, Punjabi", MEMBERS),
            "interests": ("FIFA, coding, five-a-side", ANYONE),
        },
        joined_days_ago=90,
    ),
    PersonSpec(
        login="harriet",
        display_name="Harriet",
        real_name="Harriet Lund",
        roles=((CALDER, M),),
        profile={
            "experience": (
                "Intrusive thoughts and rituals that ate my whole day. Things are smaller now, and I'm proud of that.",
                STAFF,
            ),
            "gender": ("Woman", MEMBERS),
            "sexuality": ("Lesbian", MEMBERS),
            "age_band": ("35_44", MEMBERS),
            "interests": ("climbing, audiobooks", ANYONE),
            "values": ("being believed", MEMBERS),
        },
        joined_days_ago=230,
    ),
    PersonSpec(
        login="stephen",
        display_name="Stephen",
        roles=((CALDER, M), (VOICES, M)),
        profile={
            "experience": (
                "My peer support worker told me about the hearing voices group. I go to both now — one "
                "to one on a Tuesday, the group on a Thursday.",
                MEMBERS,
            ),
            "gender": ("Man", MEMBERS),
            "age_band": ("35_44", MEMBERS),
            "interests": ("rugby league, cooking", MEMBERS),
        },
        joined_days_ago=160,
    ),
)

ADMIN_LOGIN = "admin"

# The logins printed by the command and documented in the README, in the order shown.
DOCUMENTED_LOGINS: tuple[tuple[str, str], ...] = (
    ("member", "a member of Voices Together North and Tyneside Open Minds"),
    ("peer", "a peer volunteer at Voices Together North"),
    ("facilitator", "a group facilitator at Voices Together North"),
    ("psw", "a peer support worker at Calder and Aire NHS Peer Support Service"),
    ("coordinator", "the volunteer coordinator of Tyneside Open Minds"),
    ("moderator", "a moderator at Tyneside Open Minds"),
    ("supervisor", "a supervisor at Calder and Aire NHS Peer Support Service"),
    (ADMIN_LOGIN, "site administrator (superuser)"),
)


# --- Loading ---------------------------------------------------------------------------------


@dataclass
class LoadSummary:
    organisations_created: int = 0
    resources_created: int = 0
    people_created: int = 0


def load(stdout: TextIO | None = None, *, reset: bool = False) -> LoadSummary:
    """Load the whole demo world in one transaction. Safe to run again."""
    out = stdout or sys.stdout
    summary = LoadSummary()
    with transaction.atomic():
        if reset:
            reset_demo()
        organisations = load_organisations(summary)
        load_people(organisations, summary)
        load_admin(summary)
    out.write(
        f"Demo world ready: {summary.organisations_created} organisations, {summary.resources_created} crisis "
        f"contacts and {summary.people_created} people created ({len(ORGANISATIONS)} organisations and "
        f"{len(PEOPLE) + 1} demo accounts in all).\n"
    )
    # Each capability adds its part of the world here, after the people and organisations it builds on.
    load_offers(out)
    load_resources(out)
    # These modules import names from this one, so they are imported here rather than at the top.
    from .care import load_care
    from .community import load_community
    from .groups import load_groups
    from .journeys import load_journeys
    from .onetoone import load_onetoone
    from .rooms import load_rooms
    from .wellbeing import load_wellbeing

    load_groups(out)
    load_onetoone(out)
    load_community(out)
    load_rooms(out)
    # Journeys, well-being and supporter care tell stories across the forms, so they come last.
    load_journeys(out)
    load_wellbeing(out)
    load_care(out)
    return summary


def reset_demo() -> None:
    """Remove every demo account and organisation (and, by cascade, their memberships and contacts)."""
    User.objects.filter(email__endswith=f"@{DEMO_DOMAIN}").delete()
    Organisation.objects.filter(slug__in=DEMO_SLUGS).delete()
    audit_record(actor=None, action="demo.reset")


def load_organisations(summary: LoadSummary) -> dict[str, Organisation]:
    organisations: dict[str, Organisation] = {}
    for spec in ORGANISATIONS:
        organisation, created = Organisation.objects.get_or_create(
            slug=spec.slug,
            defaults={
                "name": spec.name,
                "region": spec.region,
                "description": spec.description,
                "safeguarding_policy": spec.safeguarding_policy,
            },
        )
        summary.organisations_created += created
        for position, resource in enumerate(spec.resources):
            _, created = CrisisResource.objects.get_or_create(
                organisation=organisation,
                name=resource.name,
                defaults={
                    "description": resource.description,
                    "phone": resource.phone,
                    "text_number": resource.text_number,
                    "hours": resource.hours,
                    "position": position,
                },
            )
            summary.resources_created += created
        organisations[spec.slug] = organisation
    return organisations


def load_people(organisations: dict[str, Organisation], summary: LoadSummary) -> dict[str, User]:
    """Create each demo person (verified, with profile and consent records) and grant their roles."""
    password_hash = make_password(DEMO_PASSWORD)  # hashing once keeps loading quick with Argon2
    now = timezone.now()
    people: dict[str, User] = {}
    for spec in PEOPLE:
        user = User.objects.filter(email=normalise_email(demo_email(spec.login))).first()
        if user is None:
            joined = now - timedelta(days=spec.joined_days_ago)
            user = User.objects.create(
                email=normalise_email(demo_email(spec.login)),
                password=password_hash,
                display_name=spec.display_name,
                real_name=spec.real_name,
                email_verified_at=joined + timedelta(minutes=7),
                date_joined=joined,
            )
            _record_consents(user, research_contact=spec.research_contact, at=joined)
            summary.people_created += 1
        if not Profile.objects.filter(user=user).exists():
            profile = Profile(user=user, **_profile_fields(spec.profile))
            profile.full_clean()
            profile.save()
        for slug, role in spec.roles:
            membership_grant(actor=None, organisation=organisations[slug], user=user, role=role)
        people[spec.login] = user
    return people


def load_admin(summary: LoadSummary) -> User:
    email = demo_email(ADMIN_LOGIN)
    admin = User.objects.filter(email=email).first()
    if admin is None:
        admin = User.objects.create_superuser(email, DEMO_PASSWORD, display_name="Demo admin")
        Profile.objects.create(user=admin)
        _record_consents(admin, research_contact=False, at=admin.date_joined)
        summary.people_created += 1
    return admin


def _profile_fields(shared: dict[str, Shared]) -> dict[str, str]:
    fields: dict[str, str] = {}
    for name, (value, visibility) in shared.items():
        fields[name] = value
        fields[f"{name}_visibility"] = visibility
    return fields


def _record_consents(user: User, *, research_contact: bool, at: datetime) -> None:
    for kind, granted in (
        (ConsentKind.TERMS, True),
        (ConsentKind.PRIVACY, True),
        (ConsentKind.RESEARCH_CONTACT, research_contact),
    ):
        ConsentRecord.objects.create(
            user=user, kind=kind, granted=granted, version=settings.CONSENT_VERSIONS[kind], recorded_at=at
        )
