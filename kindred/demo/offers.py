"""Demo offers: sixty-odd groups, schemes, online spaces and peer support worker services.

Spread across the three demo organisations and real towns in the North West, North East and
Yorkshire (coordinates from the built-in gazetteer), in every form and way of taking part, so the
directory's search, filters and chooser have something meaningful to work on.

Everything is invented. Phone numbers come from Ofcom's drama ranges; addresses are made-up
venues with only the first half of a postcode. Loading is idempotent (looked up by slug), so
running it twice changes nothing and edits made while trying the demo survive.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from datetime import time, timedelta
from typing import Any, TextIO

from django.db import transaction
from django.utils import timezone

from kindred.directory.models import Delivery, MeetingFormat, Offer, OfferKind, OfferStatus, OfferTime, SchemeType
from kindred.directory.places import find_place
from kindred.directory.services import synonyms_ensure_defaults
from kindred.organisations.models import Organisation

VOICES = "voices-together-north"
OPEN_MINDS = "tyneside-open-minds"
CALDER = "calder-aire-peer-support"

MON, TUE, WED, THU, FRI, SAT, SUN = range(7)
G, S, ONLINE_SPACE, P = OfferKind.GROUP, OfferKind.SCHEME, OfferKind.ONLINE_SPACE, OfferKind.PSW_SERVICE
IN_PERSON, VIDEO, HYBRID, ONLINE, PHONE = (
    Delivery.IN_PERSON,
    Delivery.VIDEO,
    Delivery.HYBRID,
    Delivery.ONLINE,
    Delivery.PHONE,
)
CIRCLE, DROP_IN, ACTIVITY, DISCUSSION, ONE_TO_ONE, FORUM = (
    MeetingFormat.SHARING_CIRCLE,
    MeetingFormat.DROP_IN,
    MeetingFormat.ACTIVITY,
    MeetingFormat.DISCUSSION,
    MeetingFormat.ONE_TO_ONE,
    MeetingFormat.FORUM,
)

CONTACTS = {
    VOICES: ("Jo", "groups@voices-together.example", "0161 496 0412"),
    OPEN_MINDS: ("Helen", "hello@tyneside-open-minds.example", "0191 498 0271"),
    CALDER: ("Andy", "peer.support@calder-aire.example", "0113 496 0333"),
}

FIRST_VISIT_GROUP = (
    "Someone will say hello at the door and show you where the tea is. We start with a round of names "
    "(any name you like) and how your week has been — you can pass. Stay as long as you want."
)
FIRST_VISIT_SCHEME = (
    "We'll have a relaxed chat first, on the phone or over a cuppa, about what you'd like. Then we "
    "introduce you to a volunteer, and you can change your mind at any point."
)
FIRST_VISIT_ONLINE = (
    "Choose a name to be known by. Have a read first — lots of people only read for a while. When "
    "you're ready, say hello in the welcome thread and a volunteer will reply."
)
FIRST_VISIT_PSW = (
    "Your peer support worker will meet you somewhere you feel comfortable — your home, a café or our "
    "office — to get to know you and what you'd like to work on. There's no form to fill in on the day."
)


@dataclass(frozen=True)
class OfferSpec:
    org: str
    slug: str
    title: str
    summary: str
    description: str
    kind: str = G
    delivery: str = IN_PERSON
    town: str = ""
    venue: str = ""
    postcode: str = ""
    times: tuple[tuple[int, time, time | None, str], ...] = ()
    fmt: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


def t(day: int, start: str, end: str | None = None, note: str = "") -> tuple[int, time, time | None, str]:
    h, m = (int(x) for x in start.split(":"))
    e = None
    if end:
        eh, em = (int(x) for x in end.split(":"))
        e = time(eh, em)
    return (day, time(h, m), e, note)


SPECS: tuple[OfferSpec, ...] = (
    # --- Voices Together North (North West) ------------------------------------------------------
    OfferSpec(
        VOICES,
        "bolton-hearing-voices",
        "Bolton Hearing Voices Group",
        "A friendly group for people who hear voices, see visions or have other unusual experiences.",
        "We meet every Thursday evening to share what it's like to hear voices and what helps. You don't need "
        "a diagnosis, and you don't have to believe anything in particular about your voices. Tea, biscuits "
        "and no pressure to talk.",
        town="Bolton",
        venue="Bolton Community Library, first floor",
        postcode="BL1",
        times=(t(THU, "18:30", "20:00"),),
        fmt=CIRCLE,
        extra={
            "experience_focus": "hearing voices",
            "step_free": True,
            "hearing_loop": True,
            "typical_size": "6–12 people",
        },
    ),
    OfferSpec(
        VOICES,
        "salford-hearing-voices",
        "Salford Hearing Voices Group",
        "An afternoon hearing voices group in Salford, run by voice hearers.",
        "A calm, confidential space to talk about voices, visions and unusual beliefs, and to hear how others "
        "cope. Some people come every week; some come now and then.",
        town="Salford",
        venue="The Angel Centre",
        postcode="M3",
        times=(t(TUE, "14:00", "15:30"),),
        fmt=CIRCLE,
        extra={"experience_focus": "hearing voices", "step_free": True, "accessible_toilet": True},
    ),
    OfferSpec(
        VOICES,
        "manchester-hearing-voices-hybrid",
        "Manchester Hearing Voices Group (in the room or on video)",
        "An evening hearing voices group in Manchester city centre that you can also join by video.",
        "Half of us are in the room and half on a screen, and it works better than you'd think. A good first "
        "step if travelling feels like too much.",
        delivery=HYBRID,
        town="Manchester",
        venue="Friends Meeting House",
        postcode="M2",
        times=(t(WED, "18:00", "19:30"),),
        fmt=CIRCLE,
        extra={"experience_focus": "hearing voices", "hearing_loop": True, "quiet_room": True},
    ),
    OfferSpec(
        VOICES,
        "wigan-hearing-voices",
        "Wigan Hearing Voices Group",
        "A small, welcoming group for voice hearers in Wigan town centre.",
        "We talk about living with voices day to day: sleep, work, family, and the things the voices say. "
        "Peer-led; no professionals in the room.",
        town="Wigan",
        venue="The Brick, community room",
        postcode="WN1",
        times=(t(MON, "13:30", "15:00"),),
        fmt=CIRCLE,
        extra={"experience_focus": "hearing voices", "typical_size": "4–8 people"},
    ),
    OfferSpec(
        VOICES,
        "oldham-hearing-voices",
        "Oldham Hearing Voices Group",
        "A Friday morning group in Oldham for people who hear voices or see things others don't.",
        "A friendly, down-to-earth group. We share coping strategies and have a laugh when we can.",
        town="Oldham",
        venue="Oldham Library, meeting room 2",
        postcode="OL1",
        times=(t(FRI, "11:00", "12:30"),),
        fmt=CIRCLE,
        extra={"experience_focus": "hearing voices", "step_free": True},
    ),
    OfferSpec(
        VOICES,
        "stockport-hearing-voices-saturday",
        "Stockport Saturday Voices Group",
        "A weekend hearing voices group for people who work or study in the week.",
        "Meets on Saturday mornings above a café, with cake. Open to anyone who hears voices.",
        town="Stockport",
        venue="The Hatworks café, upstairs room",
        postcode="SK1",
        times=(t(SAT, "11:00", "12:30"),),
        fmt=CIRCLE,
        extra={"experience_focus": "hearing voices"},
    ),
    OfferSpec(
        VOICES,
        "preston-hearing-voices",
        "Preston Hearing Voices Group",
        "A long-running hearing voices group in Preston, welcoming newcomers every week.",
        "We've met for over ten years. Some members have heard voices for decades; some have just started. "
        "Everyone's experience is valid here.",
        town="Preston",
        venue="St John's Centre",
        postcode="PR1",
        times=(t(THU, "14:00", "15:30"),),
        fmt=CIRCLE,
        extra={"experience_focus": "hearing voices", "hearing_loop": True},
    ),
    OfferSpec(
        VOICES,
        "blackburn-hearing-voices",
        "Blackburn Hearing Voices Evening Group",
        "An evening group in Blackburn for voice hearers and people with unusual experiences.",
        "A relaxed evening group. We share what helps and what doesn't, without judgement.",
        town="Blackburn",
        venue="Blakey Moor community hall",
        postcode="BB2",
        times=(t(TUE, "18:30", "20:00"),),
        fmt=CIRCLE,
        extra={"experience_focus": "hearing voices", "step_free": True},
    ),
    OfferSpec(
        VOICES,
        "lancaster-hearing-voices",
        "Lancaster Hearing Voices Group",
        "A monthly hearing voices group in Lancaster.",
        "Meets on the first Monday of the month. A small, gentle group — a good place to start.",
        town="Lancaster",
        venue="The Storey, room 4",
        postcode="LA1",
        times=(t(MON, "18:00", "19:30", "first Monday of the month"),),
        fmt=CIRCLE,
        extra={"experience_focus": "hearing voices"},
    ),
    OfferSpec(
        VOICES,
        "hearing-voices-on-video",
        "Hearing Voices on Video",
        "A Sunday evening hearing voices group on video, for anyone in the North West.",
        "Join from home with camera on or off. Good if you live somewhere without a group, or find going out "
        "hard. The link is sent after a short chat with a facilitator.",
        delivery=VIDEO,
        times=(t(SUN, "19:00", "20:15"),),
        fmt=CIRCLE,
        extra={"experience_focus": "hearing voices", "region": "North West"},
    ),
    OfferSpec(
        VOICES,
        "voices-together-forum",
        "Voices Together Forum",
        "A moderated online forum for voice hearers to share, ask questions and support each other.",
        "Read and post any time, under a name you choose. Moderated every day by trained peer volunteers. "
        "Lots of people read for a long time before they post — that's fine.",
        kind=ONLINE_SPACE,
        delivery=ONLINE,
        fmt=FORUM,
        extra={"experience_focus": "hearing voices", "region": "North West"},
    ),
    OfferSpec(
        VOICES,
        "young-voices-manchester",
        "Young Voices Manchester (18–25)",
        "A hearing voices group for young people aged 18 to 25.",
        "For young adults who hear voices or have unusual experiences. Pizza, honest conversation, and people "
        "your own age who get it.",
        town="Manchester",
        venue="42nd Street youth centre",
        postcode="M4",
        times=(t(WED, "16:30", "18:00"),),
        fmt=CIRCLE,
        extra={"experience_focus": "hearing voices", "age_min": 18, "age_max": 25, "typical_mix": "18 to 25 year olds"},
    ),
    OfferSpec(
        VOICES,
        "rochdale-womens-voices",
        "Rochdale Women's Hearing Voices Group",
        "A women-only hearing voices group in Rochdale.",
        "A safe space for women who hear voices, including trans women. Many of us find it easier to talk "
        "about some experiences with other women.",
        town="Rochdale",
        venue="Touchstones",
        postcode="OL16",
        times=(t(THU, "11:00", "12:30"),),
        fmt=CIRCLE,
        extra={
            "experience_focus": "hearing voices",
            "gender_focus": "Women (including trans women)",
            "quiet_room": True,
        },
    ),
    OfferSpec(
        VOICES,
        "bury-unusual-beliefs",
        "Unusual Beliefs and Paranoia Group, Bury",
        "A peer group for people who struggle with paranoia or beliefs others find hard to understand.",
        "We don't argue with anyone's beliefs. We share how they affect our lives and what makes things more bearable.",
        town="Bury",
        venue="Bury Met, studio 2",
        postcode="BL9",
        times=(t(MON, "18:00", "19:30"),),
        fmt=DISCUSSION,
        extra={"experience_focus": "paranoia, unusual beliefs"},
    ),
    OfferSpec(
        VOICES,
        "peer-mentoring-after-hospital-gm",
        "Peer Mentoring After Hospital (Greater Manchester)",
        "A peer mentor for the first three months after you leave a mental health ward.",
        "Someone who has been in hospital themselves meets you by video each week to help with the first "
        "weeks back at home: settling in, getting out, finding groups.",
        kind=S,
        delivery=VIDEO,
        fmt=ONE_TO_ONE,
        extra={"scheme_type": SchemeType.MENTORING, "region": "North West"},
    ),
    OfferSpec(
        VOICES,
        "evening-befriending-calls",
        "Evening Befriending Calls",
        "A befriender who hears voices too rings you for a chat one evening a week.",
        "For people who feel alone with their voices. Your befriender rings at a time that suits you. "
        "Someone to talk to who won't be shocked.",
        kind=S,
        delivery=PHONE,
        fmt=ONE_TO_ONE,
        extra={"scheme_type": SchemeType.BEFRIENDING, "region": "North West", "experience_focus": "hearing voices"},
    ),
    OfferSpec(
        VOICES,
        "salford-family-and-friends",
        "Family and Friends of Voice Hearers",
        "A group for carers, partners, parents and friends of people who hear voices.",
        "Caring for someone who hears voices can be lonely and confusing. Share with others who understand, "
        "and learn ways to talk about voices that help.",
        town="Salford",
        venue="The Angel Centre",
        postcode="M3",
        times=(t(TUE, "19:00", "20:30"),),
        fmt=DISCUSSION,
        extra={"identity_focus": "Carers, family and friends"},
    ),
    OfferSpec(
        VOICES,
        "bolton-mens-walking-group",
        "Bolton Men's Walking Group",
        "A Saturday morning walk and a natter for men. Side by side is easier than face to face.",
        "A gentle walk of about an hour round Moss Bank Park, finishing with a brew. Set up by a few lads "
        "from the voices group; open to any man who's struggling.",
        town="Bolton",
        venue="Moss Bank Park, by the café",
        postcode="BL1",
        times=(t(SAT, "10:00", "11:30"),),
        fmt=ACTIVITY,
        extra={"gender_focus": "Men", "is_grassroots": True, "can_bring_someone": True},
    ),
    OfferSpec(
        VOICES,
        "burnley-friday-drop-in",
        "Burnley Friday Drop-in",
        "Just turn up: a friendly drop-in for anyone having a hard time.",
        "No need to book, no forms. Tea, toast, board games and people who've been there. Come for ten "
        "minutes or the whole afternoon.",
        town="Burnley",
        venue="St Peter's church hall",
        postcode="BB11",
        times=(t(FRI, "13:00", "16:00"),),
        fmt=DROP_IN,
        extra={"is_grassroots": True, "can_bring_someone": True},
    ),
    OfferSpec(
        VOICES,
        "oldham-awaazein",
        "Awaazein: Urdu and Punjabi-speaking Voices Group",
        "A hearing voices group in Urdu, Punjabi and English for South Asian people in Oldham.",
        "Talk about voices, jinn, stress and family in the language you're most comfortable in. Run by "
        "South Asian voice hearers. Women and men welcome; separate women's tables if you'd prefer.",
        town="Oldham",
        venue="Glodwick community centre",
        postcode="OL4",
        times=(t(WED, "11:00", "12:30"),),
        fmt=CIRCLE,
        extra={
            "languages": "Urdu, Punjabi, English",
            "identity_focus": "South Asian people",
            "experience_focus": "hearing voices",
            "step_free": True,
        },
    ),
    OfferSpec(
        VOICES,
        "rainbow-voices",
        "Rainbow Voices: LGBTQ+ Hearing Voices Group",
        "A hearing voices group for LGBTQ+ people in Manchester.",
        "For lesbian, gay, bisexual, trans, queer and questioning people who hear voices. Meets in the Village.",
        town="Manchester",
        venue="The LGBT Foundation, meeting room",
        postcode="M1",
        times=(t(TUE, "18:30", "20:00"),),
        fmt=CIRCLE,
        extra={"identity_focus": "LGBTQ+ people", "experience_focus": "hearing voices", "step_free": True},
    ),
    OfferSpec(
        VOICES,
        "blackpool-art-and-voices",
        "Art and Voices Blackpool",
        "A creative group: painting, drawing and collage for people with experience of voices.",
        "No talent needed. Sometimes we draw our voices; sometimes we just paint the sea. Materials provided.",
        town="Blackpool",
        venue="Grundy Art Gallery, learning room",
        postcode="FY1",
        times=(t(THU, "10:30", "12:30"),),
        fmt=ACTIVITY,
        extra={"experience_focus": "hearing voices", "cost": "£2 towards materials", "is_free": False},
    ),
    # --- Tyneside Open Minds (North East) --------------------------------------------------------
    OfferSpec(
        OPEN_MINDS,
        "newcastle-city-drop-in",
        "Open Minds City Drop-in",
        "A friendly drop-in in Newcastle city centre: tea, a chat and people who understand.",
        "Just turn up. Volunteers with their own experience of mental distress are there to listen, or just "
        "share a brew. Advice on benefits and housing on Wednesdays.",
        town="Newcastle upon Tyne",
        venue="Open Minds, Pilgrim Street",
        postcode="NE1",
        times=(t(MON, "10:00", "13:00"), t(WED, "10:00", "13:00")),
        fmt=DROP_IN,
        extra={"step_free": True, "accessible_toilet": True, "can_bring_someone": True},
    ),
    OfferSpec(
        OPEN_MINDS,
        "gateshead-depression-support",
        "Gateshead Depression Support Group",
        "An evening self-help group for people living with depression and low mood.",
        "A mutual aid group run by members. We share what's been hard and what's helped, and sometimes "
        "invite a speaker. You can just listen.",
        town="Gateshead",
        venue="Gateshead Central Library",
        postcode="NE8",
        times=(t(TUE, "18:30", "20:00"),),
        fmt=CIRCLE,
        extra={"experience_focus": "depression, low mood", "hearing_loop": True},
    ),
    OfferSpec(
        OPEN_MINDS,
        "south-shields-anxiety",
        "Anxiety Peer Support South Shields",
        "A small group for people who live with anxiety, panic or worry.",
        "We know how hard it can be to walk through the door, so we'll meet you outside if you'd like. "
        "Afternoon sessions in a quiet room.",
        town="South Shields",
        venue="The Word, quiet room",
        postcode="NE33",
        times=(t(THU, "14:00", "15:30"),),
        fmt=CIRCLE,
        extra={"experience_focus": "anxiety", "quiet_room": True},
    ),
    OfferSpec(
        OPEN_MINDS,
        "north-shields-low-mood-evening",
        "Low Mood Evening Group, North Shields",
        "A Wednesday evening peer support group for anyone feeling low or depressed.",
        "For when the days feel long and grey. A warm room, a cuppa and people who get it.",
        town="North Shields",
        venue="The Exchange",
        postcode="NE30",
        times=(t(WED, "19:00", "20:30"),),
        fmt=CIRCLE,
        extra={"experience_focus": "low mood, depression"},
    ),
    OfferSpec(
        OPEN_MINDS,
        "whitley-bay-walk-and-talk",
        "Walk and Talk Whitley Bay",
        "A Saturday walk along the seafront with a chat, for anyone who wants company.",
        "An easy walk from Spanish City to St Mary's Lighthouse and back. Fresh air and friendly faces.",
        town="Whitley Bay",
        venue="Meet outside Spanish City",
        postcode="NE26",
        times=(t(SAT, "10:30", "12:00"),),
        fmt=ACTIVITY,
        extra={"can_bring_someone": True},
    ),
    OfferSpec(
        OPEN_MINDS,
        "sisters-of-the-north",
        "Sisters of the North: a group for Black women",
        "A wellbeing group for Black women to talk about stress, racism and mental health.",
        "Run by and for Black women of African and Caribbean heritage. A space to be understood without "
        "having to explain. Food shared.",
        town="Newcastle upon Tyne",
        venue="West End community hub",
        postcode="NE4",
        times=(t(SAT, "13:00", "15:00"),),
        fmt=CIRCLE,
        extra={"gender_focus": "Women", "identity_focus": "Black women"},
    ),
    OfferSpec(
        OPEN_MINDS,
        "out-and-about-lgbtq",
        "Out and About: LGBTQ+ Peer Support",
        "A peer support group for LGBTQ+ adults in Newcastle.",
        "Meet other lesbian, gay, bisexual, trans and queer people who've had a hard time with their mental "
        "health. BSL interpreter on request.",
        town="Newcastle upon Tyne",
        venue="Pink Triangle community room",
        postcode="NE1",
        times=(t(THU, "19:00", "20:30"),),
        fmt=CIRCLE,
        extra={"identity_focus": "LGBTQ+ people", "bsl": True, "hearing_loop": True},
    ),
    OfferSpec(
        OPEN_MINDS,
        "open-minds-befriending",
        "Open Minds Befriending",
        "A befriender to meet for a coffee or a walk every week or two.",
        "Our befrienders have their own experience of mental distress. Someone to talk to, go to the shops "
        "with, or just have a cuppa — at a pace that suits you.",
        kind=S,
        delivery=IN_PERSON,
        town="Newcastle upon Tyne",
        fmt=ONE_TO_ONE,
        extra={"scheme_type": SchemeType.BEFRIENDING},
    ),
    OfferSpec(
        OPEN_MINDS,
        "befriending-by-phone",
        "Befriending by Phone",
        "A volunteer rings you for a chat once a week.",
        "For anyone who feels lonely or isolated. Calls last about half an hour, at a time you choose.",
        kind=S,
        delivery=PHONE,
        fmt=ONE_TO_ONE,
        extra={"scheme_type": SchemeType.BEFRIENDING, "region": "North East"},
    ),
    OfferSpec(
        OPEN_MINDS,
        "email-pen-friends",
        "Email Pen-Friends",
        "Write to a pen-friend who understands, at your own pace.",
        "We match you with a volunteer pen-friend. Write as much or as little as you like — some people "
        "find writing easier than talking.",
        kind=S,
        delivery=ONLINE,
        fmt=ONE_TO_ONE,
        extra={"scheme_type": SchemeType.PEN_FRIENDS, "region": "North East"},
    ),
    OfferSpec(
        OPEN_MINDS,
        "low-mood-online",
        "Low Mood Online",
        "An online space for people with depression or who are feeling low.",
        "Read and share, any time of day or night. Moderated by Open Minds volunteers, with a weekly "
        "'small wins' thread.",
        kind=ONLINE_SPACE,
        delivery=ONLINE,
        fmt=FORUM,
        extra={"experience_focus": "depression, low mood", "region": "North East"},
    ),
    OfferSpec(
        OPEN_MINDS,
        "anxious-minds-online",
        "Anxious Minds Online",
        "An online peer support space for anxiety, worry and panic.",
        "A quiet corner of the internet where you can say how anxious you feel without anyone telling you "
        "to just relax.",
        kind=ONLINE_SPACE,
        delivery=ONLINE,
        fmt=FORUM,
        extra={"experience_focus": "anxiety", "region": "North East"},
    ),
    OfferSpec(
        OPEN_MINDS,
        "night-owls-chat",
        "Night Owls",
        "A late-evening chat room for when the nights are long.",
        "Open every evening from 8pm till midnight with volunteers on hand. Not a crisis service — if you "
        "need urgent help, use the 'Get help now' button.",
        kind=ONLINE_SPACE,
        delivery=ONLINE,
        times=tuple(t(day, "20:00", "23:59") for day in range(7)),
        fmt=FORUM,
        extra={"region": "North East"},
    ),
    OfferSpec(
        OPEN_MINDS,
        "under-26-space",
        "Under 26 Space",
        "An online space for young people aged 18 to 25.",
        "Talk about uni, work, family, feelings and everything else with people your own age.",
        kind=ONLINE_SPACE,
        delivery=ONLINE,
        fmt=FORUM,
        extra={"age_min": 18, "age_max": 25, "region": "North East"},
    ),
    OfferSpec(
        OPEN_MINDS,
        "sunderland-young-adults",
        "Sunderland Young Adults Group (18–25)",
        "A peer support group for young adults in Sunderland.",
        "Games, food and real talk. Run by young peer volunteers.",
        town="Sunderland",
        venue="Sunderland Minster community room",
        postcode="SR1",
        times=(t(TUE, "17:30", "19:00"),),
        fmt=DISCUSSION,
        extra={"age_min": 18, "age_max": 25},
    ),
    OfferSpec(
        OPEN_MINDS,
        "gateshead-carers-evening",
        "Carers' Evening Group",
        "For family and friends caring for someone with mental health problems.",
        "Time for you, with people who understand what caring is like. Monthly speaker on benefits and rights.",
        town="Gateshead",
        venue="Gateshead Civic Centre, room 3",
        postcode="NE8",
        times=(t(MON, "18:00", "19:30"),),
        fmt=DISCUSSION,
        extra={"identity_focus": "Carers, family and friends", "step_free": True},
    ),
    OfferSpec(
        OPEN_MINDS,
        "razem-polish-group",
        "Razem: Polish-speaking Support Group",
        "A support group in Polish for people living in Tyneside. Grupa wsparcia po polsku.",
        "Talk about stress, homesickness and mental health in Polish. Spotkania w języku polskim.",
        town="Newcastle upon Tyne",
        venue="Polish community centre",
        postcode="NE6",
        times=(t(SUN, "15:00", "16:30"),),
        fmt=CIRCLE,
        extra={"languages": "Polish, English", "identity_focus": "Polish speakers"},
    ),
    OfferSpec(
        OPEN_MINDS,
        "veterans-breakfast",
        "Veterans' Peer Support Breakfast",
        "A Saturday breakfast for ex-forces men and women.",
        "A bacon butty and a chat with others who've served. No war stories needed unless you want to.",
        town="North Shields",
        venue="Royal British Legion club",
        postcode="NE29",
        times=(t(SAT, "09:30", "11:00"),),
        fmt=DROP_IN,
        extra={"identity_focus": "Veterans (ex-forces)", "cost": "£2 for breakfast", "is_free": False},
    ),
    OfferSpec(
        OPEN_MINDS,
        "later-life-coffee-morning",
        "Later Life Coffee Morning",
        "A coffee morning for people over 60 who are feeling low or lonely.",
        "Cake, company and conversation. Many members came after losing a partner.",
        town="Jarrow",
        venue="Jarrow Hall café",
        postcode="NE32",
        times=(t(TUE, "10:00", "11:30"),),
        fmt=DROP_IN,
        extra={"age_min": 60, "step_free": True, "accessible_toilet": True, "typical_mix": "mostly over 70"},
    ),
    OfferSpec(
        OPEN_MINDS,
        "after-a-loss-gateshead",
        "After a Loss: Bereavement Peer Group",
        "A monthly group for people who are grieving.",
        "For anyone who has lost someone close, however long ago. Meets on the first Thursday of the month.",
        town="Gateshead",
        venue="Saltwell Towers, meeting room",
        postcode="NE9",
        times=(t(THU, "14:00", "15:30", "first Thursday of the month"),),
        fmt=CIRCLE,
        extra={"experience_focus": "bereavement, grief"},
    ),
    OfferSpec(
        OPEN_MINDS,
        "durham-mens-shed-talk",
        "Durham Men's Shed Talk",
        "Woodwork, tea and talk for men in Durham.",
        "Men don't always talk face to face, but they'll talk over a workbench. A grassroots group in a shed "
        "behind the allotments.",
        town="Durham",
        venue="The Shed, Wharton Park allotments",
        postcode="DH1",
        times=(t(WED, "13:00", "16:00"),),
        fmt=ACTIVITY,
        extra={"gender_focus": "Men", "is_grassroots": True},
    ),
    OfferSpec(
        OPEN_MINDS,
        "tynedale-video-group",
        "Tynedale Peer Support by Video",
        "A video group for people in rural Northumberland.",
        "When the nearest group is an hour's bus ride away. Meets by video on Thursday evenings, and in "
        "Hexham once a season.",
        delivery=VIDEO,
        town="Hexham",
        times=(t(THU, "19:30", "20:45"),),
        fmt=CIRCLE,
        extra={"region": "North East"},
    ),
    OfferSpec(
        OPEN_MINDS,
        "highs-and-lows-middlesbrough",
        "Highs and Lows: Bipolar Peer Support",
        "A self-help group for people living with bipolar or big mood swings.",
        "Set up by members in Middlesbrough. We share what keeps us steady and how to ride out the lows.",
        town="Middlesbrough",
        venue="The Live Well Centre",
        postcode="TS1",
        times=(t(MON, "18:30", "20:00"),),
        fmt=CIRCLE,
        extra={"experience_focus": "bipolar, mood swings", "is_grassroots": True},
    ),
    OfferSpec(
        OPEN_MINDS,
        "sunderland-understanding-self-harm",
        "Understanding Self-Harm Peer Group",
        "A peer group for adults who self-harm or have done in the past.",
        "No judgement and no pressure to stop. We talk about what's behind it and what helps. Over 18s.",
        town="Sunderland",
        venue="Sunderland Carers Centre, back room",
        postcode="SR1",
        times=(t(WED, "18:00", "19:30"),),
        fmt=CIRCLE,
        extra={"experience_focus": "self-harm", "age_min": 18, "quiet_room": True},
    ),
    # --- Calder and Aire NHS Peer Support Service (Yorkshire) ------------------------------------
    OfferSpec(
        CALDER,
        "leeds-peer-support-workers",
        "Leeds Peer Support Workers",
        "One-to-one support from a peer support worker alongside your community mental health team.",
        "Our peer support workers have their own lived experience. They can meet you weekly for up to a "
        "year: going to appointments with you, trying things you've been putting off, and finding groups.",
        kind=P,
        town="Leeds",
        venue="Calder and Aire community base, Leeds",
        postcode="LS2",
        fmt=ONE_TO_ONE,
        extra={
            "eligibility": "By referral: for people supported by the Trust's Leeds community mental health teams. "
            "Ask your care coordinator, or use the form below.",
        },
    ),
    OfferSpec(
        CALDER,
        "bradford-peer-support-workers",
        "Bradford Peer Support Workers",
        "One-to-one support from a peer support worker in Bradford and Keighley.",
        "Practical and emotional support from someone who's been there. Urdu and Punjabi-speaking PSWs available.",
        kind=P,
        town="Bradford",
        venue="Calder and Aire community base, Bradford",
        postcode="BD1",
        fmt=ONE_TO_ONE,
        extra={
            "languages": "English, Urdu, Punjabi",
            "eligibility": "By referral: for people supported by the Trust's Bradford community teams.",
        },
    ),
    OfferSpec(
        CALDER,
        "calderdale-peer-support-workers",
        "Calderdale Peer Support Workers",
        "One-to-one peer support in Halifax and the Calder Valley.",
        "Your PSW can help you plan for the future, reconnect with things you enjoyed, and find your feet "
        "after a crisis.",
        kind=P,
        town="Halifax",
        venue="Calder and Aire community base, Halifax",
        postcode="HX1",
        fmt=ONE_TO_ONE,
        extra={"eligibility": "By referral: for people supported by the Trust's Calderdale teams or crisis service."},
    ),
    OfferSpec(
        CALDER,
        "leeds-recovery-and-hope",
        "Recovery and Hope Group, Leeds",
        "A weekly peer-led recovery group, co-facilitated by peer support workers.",
        "Each week we take a theme — sleep, hope, relationships, money — and share our own experience. Open "
        "to anyone, not just people under the Trust.",
        town="Leeds",
        venue="Leeds Central Library, meeting room",
        postcode="LS1",
        times=(t(TUE, "13:30", "15:00"),),
        fmt=DISCUSSION,
        extra={"step_free": True, "hearing_loop": True},
    ),
    OfferSpec(
        CALDER,
        "bradford-urdu-womens-group",
        "Urdu-speaking Women's Wellbeing Group",
        "A women's group in Urdu and Punjabi, with tea and a chat.",
        "A warm welcome for South Asian women. Talk about stress, family and feeling low in the language "
        "you're most comfortable in. Creche on request.",
        town="Bradford",
        venue="Manningham community centre",
        postcode="BD8",
        times=(t(WED, "13:00", "14:30"),),
        fmt=CIRCLE,
        extra={
            "languages": "Urdu, Punjabi, English",
            "gender_focus": "Women",
            "identity_focus": "South Asian women",
            "step_free": True,
            "quiet_room": True,
        },
    ),
    OfferSpec(
        CALDER,
        "calderdale-mens-walking",
        "Men's Walking Group Calderdale",
        "A Sunday walk and a natter for men, from Halifax town centre.",
        "About an hour and a half on easy paths, finishing at a café. Set up by men who found talking "
        "easier on the move.",
        town="Halifax",
        venue="Meet outside the Piece Hall",
        postcode="HX1",
        times=(t(SUN, "10:00", "11:30"),),
        fmt=ACTIVITY,
        extra={"gender_focus": "Men", "is_grassroots": True},
    ),
    OfferSpec(
        CALDER,
        "leeds-mentoring-after-hospital",
        "Peer Mentoring After Hospital (Leeds)",
        "A peer mentor to help you settle back home after a stay on one of the Trust's wards.",
        "Your mentor visits before you leave the ward and then meets you weekly for twelve weeks.",
        kind=S,
        town="Leeds",
        fmt=ONE_TO_ONE,
        extra={
            "scheme_type": SchemeType.MENTORING,
            "eligibility": "For people leaving the Trust's inpatient wards in Leeds. Ask the ward staff.",
        },
    ),
    OfferSpec(
        CALDER,
        "leeds-hearing-voices-evening",
        "Leeds Hearing Voices Evening Group",
        "An evening group for people who hear voices, in Leeds.",
        "Co-facilitated by a peer support worker and a volunteer who hears voices. Open to all.",
        town="Leeds",
        venue="Swarthmore Education Centre",
        postcode="LS3",
        times=(t(THU, "18:00", "19:30"),),
        fmt=CIRCLE,
        extra={"experience_focus": "hearing voices", "step_free": True},
    ),
    OfferSpec(
        CALDER,
        "huddersfield-anxiety-drop-in",
        "Huddersfield Anxiety Drop-in",
        "A Friday morning drop-in for anyone struggling with anxiety or panic.",
        "No need to book. Come and go as you please; there's a quiet room if it gets too much.",
        town="Huddersfield",
        venue="Huddersfield Library, ground floor",
        postcode="HD1",
        times=(t(FRI, "11:00", "13:00"),),
        fmt=DROP_IN,
        extra={"experience_focus": "anxiety", "quiet_room": True, "step_free": True},
    ),
    OfferSpec(
        CALDER,
        "wakefield-evening-depression",
        "Wakefield Evening Depression Support",
        "A self-help group for people with depression, meeting after work.",
        "Mutual aid, not therapy. We listen to each other and share what's helped.",
        town="Wakefield",
        venue="Wakefield One, room 2",
        postcode="WF1",
        times=(t(WED, "18:30", "20:00"),),
        fmt=CIRCLE,
        extra={"experience_focus": "depression"},
    ),
    OfferSpec(
        CALDER,
        "bradford-young-adults",
        "Young Adults Peer Group Bradford (18–25)",
        "A peer support group for 18 to 25 year olds in Bradford.",
        "For young people finding things hard. Co-run by a young peer support worker.",
        town="Bradford",
        venue="Bradford Youth Hub",
        postcode="BD1",
        times=(t(MON, "17:00", "18:30"),),
        fmt=DISCUSSION,
        extra={"age_min": 18, "age_max": 25},
    ),
    OfferSpec(
        CALDER,
        "leeds-lgbtq-wellbeing",
        "Leeds LGBTQ+ Wellbeing Group",
        "An evening peer support group for LGBTQ+ people in Leeds.",
        "Meet other queer, trans and questioning people. Safe, friendly and confidential.",
        town="Leeds",
        venue="Leeds Queer Space",
        postcode="LS1",
        times=(t(TUE, "19:00", "20:30"),),
        fmt=CIRCLE,
        extra={"identity_focus": "LGBTQ+ people", "hearing_loop": True},
    ),
    OfferSpec(
        CALDER,
        "brothers-circle-leeds",
        "Brothers' Circle: Black men's peer support",
        "A peer support group for Black men in Leeds.",
        "Talk about pressure, racism, family and mental health with brothers who understand. Food shared.",
        town="Chapeltown",
        venue="Chapeltown Enterprise Centre",
        postcode="LS7",
        times=(t(THU, "18:30", "20:00"),),
        fmt=CIRCLE,
        extra={"gender_focus": "Men", "identity_focus": "Black men"},
    ),
    OfferSpec(
        CALDER,
        "keighley-carers",
        "Keighley Carers' Peer Support",
        "A morning group for people caring for someone with mental health problems.",
        "A break, a brew and a chance to talk to other carers. Information on carers' rights.",
        town="Keighley",
        venue="Keighley Healthy Living centre",
        postcode="BD21",
        times=(t(THU, "10:00", "11:30"),),
        fmt=DISCUSSION,
        extra={"identity_focus": "Carers, family and friends"},
    ),
    OfferSpec(
        CALDER,
        "hebden-bridge-creative-minds",
        "Creative Minds Hebden Bridge",
        "Arts and crafts for wellbeing, on Saturday afternoons.",
        "Painting, printing and clay. Come as you are; nobody will look at your work unless you want them to.",
        town="Hebden Bridge",
        venue="Hebden Bridge Town Hall, studio",
        postcode="HX7",
        times=(t(SAT, "14:00", "16:00"),),
        fmt=ACTIVITY,
        extra={"cost": "£2 a session, or free if money's tight", "is_free": False},
    ),
    OfferSpec(
        CALDER,
        "york-ocd-peer-support",
        "York OCD Peer Support",
        "A peer group for people living with OCD and intrusive thoughts.",
        "Set up by members. We talk honestly about rituals and thoughts without anyone being shocked.",
        town="York",
        venue="York Explore library, meeting room",
        postcode="YO1",
        times=(t(MON, "19:00", "20:30"),),
        fmt=CIRCLE,
        extra={"experience_focus": "OCD, intrusive thoughts", "is_grassroots": True},
    ),
    OfferSpec(
        CALDER,
        "recovery-conversations-video",
        "Recovery Conversations on Video",
        "A video group on Wednesday evenings for people across Leeds, Bradford and Calderdale.",
        "Hosted by peer support workers. Each week one member shares a bit of their story, then we talk.",
        delivery=VIDEO,
        times=(t(WED, "18:00", "19:00"),),
        fmt=DISCUSSION,
        extra={"region": "Yorkshire"},
    ),
    OfferSpec(
        CALDER,
        "dewsbury-polish-group",
        "Polska grupa wsparcia Dewsbury",
        "A Polish-speaking peer support group in Dewsbury.",
        "Grupa wsparcia po polsku. Talk in Polish about stress, work and life in a new country.",
        town="Dewsbury",
        venue="Dewsbury Minster hall",
        postcode="WF13",
        times=(t(SAT, "11:00", "12:30"),),
        fmt=CIRCLE,
        extra={"languages": "Polish, English", "identity_focus": "Polish speakers"},
    ),
    # Grassroots listings waiting for a coordinator's light check (shown in the review queue).
    OfferSpec(
        CALDER,
        "sheffield-hearing-voices-pending",
        "Sheffield Hearing Voices Café",
        "A new hearing voices café in Sheffield.",
        "We're a new group and would love to be listed.",
        town="Sheffield",
        venue="Union Street co-working café",
        postcode="S1",
        times=(t(FRI, "14:00", "15:30"),),
        fmt=DROP_IN,
        extra={"is_grassroots": True, "status": OfferStatus.PENDING_REVIEW},
    ),
    OfferSpec(
        OPEN_MINDS,
        "hartlepool-knit-and-natter-pending",
        "Hartlepool Knit and Natter",
        "Knitting, crochet and conversation for anyone feeling isolated.",
        "A small group in a café. Needles and wool provided.",
        town="Hartlepool",
        venue="Marina café",
        postcode="TS24",
        times=(t(TUE, "14:00", "15:30"),),
        fmt=ACTIVITY,
        extra={"is_grassroots": True, "status": OfferStatus.PENDING_REVIEW},
    ),
)


def _region_of(org: Organisation, town: str) -> str:
    place = find_place(town) if town else None
    return place.region if place else org.region


def load_offers(stdout: TextIO | None = None) -> int:
    """Create the demo offers that are missing; return how many were created."""
    out = stdout or sys.stdout
    organisations = {o.slug: o for o in Organisation.objects.filter(slug__in={VOICES, OPEN_MINDS, CALDER})}
    now = timezone.now()
    created = 0
    skipped = 0
    with transaction.atomic():
        synonyms_ensure_defaults()
        for position, spec in enumerate(SPECS):
            organisation = organisations.get(spec.org)
            if organisation is None:
                skipped += 1
                continue
            if Offer.objects.filter(slug=spec.slug).exists():
                continue
            offer = Offer.objects.create(**_fields(spec, organisation, position, now))
            OfferTime.objects.bulk_create(
                OfferTime(offer=offer, weekday=day, starts_at=starts, ends_at=ends, note=note)
                for day, starts, ends, note in spec.times
            )
            created += 1
    out.write(f"Demo offers ready: {created} created ({len(SPECS)} in the demo directory).\n")
    if skipped:
        out.write(f"  {skipped} skipped because their organisation isn't loaded (run the demo world first).\n")
    return created


def _fields(spec: OfferSpec, organisation: Organisation, position: int, now: Any) -> dict[str, Any]:
    name, email, phone = CONTACTS[spec.org]
    extra = dict(spec.extra)
    place = find_place(spec.town) if spec.town else None
    in_a_room = spec.delivery in (IN_PERSON, HYBRID) or spec.kind == P
    first_visit = {G: FIRST_VISIT_GROUP, S: FIRST_VISIT_SCHEME, ONLINE_SPACE: FIRST_VISIT_ONLINE, P: FIRST_VISIT_PSW}[
        spec.kind
    ]
    fields: dict[str, Any] = {
        "organisation": organisation,
        "slug": spec.slug,
        "kind": spec.kind,
        "delivery": spec.delivery,
        "title": spec.title,
        "summary": spec.summary,
        "description": spec.description,
        "town": spec.town,
        "venue_name": spec.venue,
        "postcode": spec.postcode,
        "region": _region_of(organisation, spec.town),
        "latitude": place.latitude if place and in_a_room else None,
        "longitude": place.longitude if place and in_a_room else None,
        "format": spec.fmt,
        "contact_name": name,
        "contact_email": email,
        "contact_phone": phone,
        "cost": "Free",
        "is_free": True,
        "first_visit": first_visit,
        "can_just_listen": spec.kind in (G, ONLINE_SPACE),
        "can_bring_someone": spec.kind == G and spec.delivery == IN_PERSON,
        "status": OfferStatus.PUBLISHED,
        # A few listings have not been confirmed for over six months, for the coordinators' check list.
        "last_confirmed_at": now - timedelta(days=200 + position if position % 9 == 4 else 10 + position * 2),
    }
    if spec.kind == G and spec.delivery in (IN_PERSON, HYBRID):
        fields["typical_size"] = "6–12 people"
        fields["finding_the_room"] = (
            f"{spec.venue or 'The venue'}: ask at the front desk and they'll point you to the room. "
            "There's a sign with the group's name on the door."
        )
    fields.update(extra)
    return fields
