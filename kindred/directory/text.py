"""Words for search: one normaliser and stemmer used for both the offers' index and people's queries.

The database engines' own stemmers and parsers differ (SQLite's porter tokenizer, PostgreSQL's
snowball dictionaries, stop words, hyphen handling), so search would rank differently on each.
Instead Kindred stems here, in Python, and stores plain space-separated stems; each engine's
full-text index (FTS5 on SQLite, tsvector on PostgreSQL, both with no stemming or stop words of
their own) then only has to match exact tokens and adjacent phrases — which both do identically.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import TYPE_CHECKING

from kindred.core.stemming import stem as core_stem

if TYPE_CHECKING:
    from .models import Offer

# Stored between an offer's fields in its search text; never searched for (search.interpret drops it).
FIELD_BREAK = "zzfieldbreakzz"

# Longer "words" are not words anyone searches for (and PostgreSQL ignores very long ones).
MAX_TOKEN_LENGTH = 40
_TOKEN = re.compile(r"[a-z0-9]+")

# Irregular forms worth folding together before the stemmer, which only knows suffixes.
_IRREGULAR = {
    "women": "woman",
    "men": "man",
    "mens": "man",
    "womens": "woman",
    "children": "child",
    "childrens": "child",
    "lgbt": "lgbtq",
    "lgbtqia": "lgbtq",
    "lgbtqi": "lgbtq",
}


def normalise(text: str) -> str:
    """Lower case, accents removed (café → cafe), anything that is not a letter or digit becomes a space."""
    decomposed = unicodedata.normalize("NFKD", text)
    ascii_text = decomposed.encode("ascii", "ignore").decode("ascii").lower()
    # Apostrophes join their word ("men's" → "mens", "don't" → "dont") rather than splitting it.
    ascii_text = ascii_text.replace("'", "")
    return ascii_text


def words(text: str) -> list[str]:
    """The plain words in `text`, normalised but not stemmed."""
    return [w for w in _TOKEN.findall(normalise(text.replace("\u2019", "'"))) if len(w) <= MAX_TOKEN_LENGTH]


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    irregular = _IRREGULAR.get(word)
    return irregular if irregular is not None else core_stem(word)


def stems(text: str) -> list[str]:
    return [stem(w) for w in words(text)]


def stem_phrase(text: str) -> tuple[str, ...]:
    return tuple(stems(text))


# --- What gets indexed for an offer ------------------------------------------------------------


def _delivery_words(delivery: str) -> str:
    return {
        "in_person": "in person face to face",
        "video": "online video call",
        "hybrid": "in person face to face online video hybrid",
        "online": "online written",
        "phone": "phone telephone call",
    }.get(delivery, "")


def _kind_words(kind: str, scheme_type: str) -> str:
    words_ = {
        "group": "group",
        "scheme": "one to one",
        "online_space": "online space forum",
        "psw_service": "peer support worker one to one",
    }.get(kind, "")
    scheme = {"befriending": "befriending", "mentoring": "peer mentoring", "pen_friends": "email pen friends"}
    return f"{words_} {scheme.get(scheme_type, '')}"


_ACCESS_WORDS = {
    "step_free": "step free wheelchair accessible",
    "hearing_loop": "hearing loop",
    "bsl": "bsl british sign language",
    "quiet_room": "quiet room",
    "accessible_toilet": "accessible toilet",
}


def document_for(offer: Offer) -> tuple[str, str]:
    """(title stems, body stems) for an offer: what the full-text index holds.

    Works on historical model instances in migrations too, so it reads plain fields only.
    """
    from .models import MeetingFormat

    format_label = dict(MeetingFormat.choices).get(offer.format or "", "") if offer.format else ""
    parts = [
        offer.title,
        offer.summary,
        offer.description,
        _kind_words(offer.kind, offer.scheme_type),
        _delivery_words(offer.delivery),
        format_label,
        offer.gender_focus,
        offer.identity_focus,
        offer.experience_focus,
        offer.eligibility,
        offer.cost,
        "free" if offer.is_free else "",
        offer.languages,
        offer.typical_mix,
        offer.venue_name,
        offer.town,
        offer.region,
        offer.access_notes,
        *(text for name, text in _ACCESS_WORDS.items() if getattr(offer, name, False)),
    ]
    title = " ".join(stems(offer.title))
    # A break token between fields stops a phrase matching across two of them ("peer support" + "group").
    chunks = (" ".join(stems(p)) for p in parts if p)
    body = f" {FIELD_BREAK} ".join(c for c in chunks if c)
    return title, body


# --- Synonyms a fresh install starts with (coordinators edit them at /find/synonyms/) --------

DEFAULT_SYNONYMS: tuple[str, ...] = (
    "self-help, self help group, mutual aid, support group, peer support, peer-led",
    "hearing voices, voice hearers, voice hearing, hear voices",
    "low mood, depression, depressed, feeling low, feeling down",
    "anxiety, anxious, worry, worries, panic, nerves",
    "befriending, befriender, buddy, friendship, companionship",
    "someone to talk to, one to one, one-to-one, befriending, listening ear, someone to listen, talk to someone",
    "drop-in, drop in, just turn up, no need to book",
    "loneliness, lonely, isolation, isolated, on my own",
    "online, virtual, internet, video call",
    "in person, face to face, in a room",
    "pen friends, pen pals, penpal, email pen-friends, letter writing",
    "walking group, walking, walks, rambling, outdoors",
    "young people, young adults, youth, students, 18-25",
    "older people, older adults, over 50s, later life, retired",
    "carers, carer, caring for someone, looking after someone, family and friends",
    "LGBTQ+, LGBT, gay, lesbian, bisexual, trans, queer, non-binary",
    "black and minoritised, black and minority ethnic, BAME, global majority, ethnic minority",
    "women, woman, female, ladies, women only",
    "men, man, male, blokes, lads",
    "peer mentoring, peer mentor, mentoring, mentor",
    "leaving hospital, after hospital, discharge from hospital, coming out of hospital, after a ward stay",
    "psychosis, unusual experiences, unusual beliefs, paranoia",
    "self-harm, self harm, self-injury, hurting myself",
    "bipolar, mood swings, highs and lows",
    "eating difficulties, eating disorder, anorexia, bulimia, binge eating",
    "trauma, ptsd, flashbacks, survivors",
    "obsessive compulsive, ocd, intrusive thoughts, rituals",
    "grief, bereavement, bereaved, loss",
    "veterans, ex-forces, armed forces, ex-military",
    "peer support worker, psw, peer worker, recovery worker",
    "wellbeing, well-being, well being",
    "free, no cost, free of charge",
    "arts and crafts, art, crafts, creative, drawing, painting",
    "music, singing, choir",
    "polish, polish-speaking, po polsku",
    "urdu, urdu-speaking",
)
