"""Crisis screening: every post, reply and chat message passes through `screen()` before anyone sees it.

`screen(text)` returns a `ScreeningResult`: a level ("none", "concern" or "urgent"), the rules that
fired (`triggers`, in plain words a moderator can read), whether the message must be held for a
moderator instead of shown (`hold`, for method detail), and what was noticed but discounted (negation,
idiom, past experience, signposting) so the decision can always be explained.

The detector is replaceable: anything with a `screen(text) -> ScreeningResult` method (the `Detector`
protocol) can be named in `settings.KINDRED_SCREENING_DETECTOR` (a dotted path to a class or factory).
The default, `RuleBasedDetector`, is a set of transparent rules below. It runs in-process: nothing is
sent to any outside service.

How the rules decide, clause by clause (a clause ends at . ! ? ; , and at "but", "and", "so", ...):
  1. Risk phrases ("kill myself", "want to die", "don't want to be alive", "self-harm", ...) each carry
     a level. Ordinary words alone ("dead", "killing", "dying") never count, so idioms like "this
     traffic is killing me" or "dying to see you" only need a few explicit exceptions
     ("killing myself laughing", "die of embarrassment").
  2. Negation: a negator before the phrase in the same clause ("I'm not going to hurt myself",
     "no thoughts of suicide") discounts it, except where the negation is part of the risk
     ("I can't keep myself safe", "I won't be here much longer") or does not negate
     ("I can't stop thinking about killing myself", "I'm not sure I want to be here").
  3. Past experience: "used to", "years ago", "two years clean", "tried to"... discount a phrase
     unless something says it is happening now ("last night", "again", "are back").
  4. Someone else: a third-person subject or reflexive ("my friend says she wants to die",
     "kill himself") makes it concern, never urgent, for the author; still signposted.
     Addressed to others as signposting ("if you ever feel like hurting yourself, ring Samaritans")
     or about training/awareness is discounted.
  5. Method detail (means, stockpiling, lethality questions, a chosen place) about oneself is
     urgent and held. The evaluation set writes methods as placeholders ("[method]",
     "[medication]", "[place]"); the rules treat a bracketed placeholder as a method word.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Literal, Protocol, runtime_checkable

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.module_loading import import_string

Level = Literal["none", "concern", "urgent"]
LEVELS: tuple[Level, ...] = ("none", "concern", "urgent")
_RANK = {level: rank for rank, level in enumerate(LEVELS)}

DEFAULT_DETECTOR = "kindred.safety.screening.RuleBasedDetector"
# Longer text is screened only up to this many characters: messages are capped well below it.
MAX_SCREENED_CHARS = 20_000


@dataclass(frozen=True)
class ScreeningResult:
    level: Level
    triggers: list[str] = field(default_factory=list)
    hold: bool = False
    discounted: list[str] = field(default_factory=list)

    @property
    def needs_support(self) -> bool:
        """Concern or urgent: show the author the crisis panel and alert moderators on duty."""
        return self.level != "none"

    def as_dict(self) -> dict[str, object]:
        return {"level": self.level, "triggers": list(self.triggers), "hold": self.hold}


@runtime_checkable
class Detector(Protocol):
    def screen(self, text: str) -> ScreeningResult: ...


def screen(text: str) -> ScreeningResult:
    """Screen one message with the configured detector. Cheap (well under a millisecond); call it always."""
    return get_detector().screen(text or "")


@lru_cache(maxsize=1)
def get_detector() -> Detector:
    path = getattr(settings, "KINDRED_SCREENING_DETECTOR", DEFAULT_DETECTOR) or DEFAULT_DETECTOR
    factory = import_string(path)
    detector = factory()
    if not isinstance(detector, Detector):
        raise TypeError(f"{path} does not provide screen(text) -> ScreeningResult")
    return detector


@receiver(setting_changed)
def _reset_detector(*, setting: str, **kwargs: object) -> None:
    if setting == "KINDRED_SCREENING_DETECTOR":
        get_detector.cache_clear()


# --- Normalising -------------------------------------------------------------------------------

_REPLACEMENTS = (
    (re.compile(r"[\u2018\u2019\u02bc`´]"), "'"),
    (re.compile(r"[\u201c\u201d]"), '"'),
    (re.compile(r"\bself[\s-]*harm"), "self-harm"),
    (re.compile(r"\bgonna\b"), "going to"),
    (re.compile(r"\bwanna\b"), "want to"),
    (re.compile(r"\bi\s+am\b"), "i'm"),
    (re.compile(r"\bim\b"), "i'm"),
    (re.compile(r"\bi\s+have\b"), "i've"),
    (re.compile(r"\bive\b"), "i've"),
    (re.compile(r"\bi\s+will\b"), "i'll"),
    (re.compile(r"\bi\s+would\b"), "i'd"),
    (re.compile(r"\b(can)\s*not\b"), "can't"),
    (re.compile(r"\bcant\b"), "can't"),
    (re.compile(r"\bdont\b"), "don't"),
    (re.compile(r"\bwont\b"), "won't"),
    (re.compile(r"\bdidnt\b"), "didn't"),
    (re.compile(r"\bdoesnt\b"), "doesn't"),
    (re.compile(r"\bhavent\b"), "haven't"),
    (re.compile(r"\bwouldnt\b"), "wouldn't"),
    (re.compile(r"\bcouldnt\b"), "couldn't"),
    (re.compile(r"\bdo\s+not\b"), "don't"),
    (re.compile(r"\bdoes\s+not\b"), "doesn't"),
    (re.compile(r"\bdid\s+not\b"), "didn't"),
    (re.compile(r"\bwill\s+not\b"), "won't"),
    (re.compile(r"\bwould\s+not\b"), "wouldn't"),
    (re.compile(r"\bhave\s+not\b"), "haven't"),
    (re.compile(r"\bcould\s+not\b"), "couldn't"),
    (re.compile(r"\bno-one\b|\bnoone\b"), "no one"),
    (re.compile(r"\bany\s?more\b"), "anymore"),
    (re.compile(r"\s+"), " "),
)

_CLAUSE_SPLIT = re.compile(r"[.!?;:\n,()]+|\s[-–—]\s|\b(?:but|and|so|because|cos|though|although|however|yet)\b")


def normalise(text: str) -> str:
    text = unicodedata.normalize("NFKC", text[:MAX_SCREENED_CHARS]).lower()
    for pattern, replacement in _REPLACEMENTS:
        text = pattern.sub(replacement, text)
    return text.strip()


def clauses(text: str) -> list[str]:
    return [part.strip() for part in _CLAUSE_SPLIT.split(text) if part and part.strip()]


# --- Vocabulary --------------------------------------------------------------------------------

REFL = r"(?:myself|my self|himself|herself|themselves|themself|yourself)"
POSS = r"(?:my|his|her|their|your)"
PLACEHOLDER = r"\[[a-z ]{2,20}\]"
STRONG_MEANS = rf"(?:{PLACEHOLDER}|ropes?|ligatures?|noose|blades?|razors?)"
WEAK_MEANS = (
    r"(?:pills?|tablets?|meds|medication|medicines?|paracetamol|painkillers|antidepressants|sleeping pills|"
    r"knife|knives|bridge|cliff|train tracks?|railway(?: line)?|motorway|roof|car park)"
)
MEANS = rf"(?:{STRONG_MEANS}|{WEAK_MEANS})"

NEGATORS = re.compile(
    r"\b(?:not|never|no|don't|doesn't|didn't|won't|wouldn't|haven't|hasn't|hadn't|isn't|aren't|wasn't|"
    r"can't|couldn't|shouldn't|no longer|nothing|without)\b"
)
# Negations that do not negate what follows them.
NON_NEGATING = re.compile(
    r"\b(?:can't|couldn't|won't|don't) (?:stop|help|stand|bear|cope|take it|see (?:the point|why))\b|"
    r"\bnot (?:sure|certain|okay|ok|coping|fine|safe)\b|\bdon't know (?:if|whether|how|why|what)\b|"
    r"\bdon't think i can\b|\bdon't know\b|\bno (?:one|body)\b|\bnothing (?:helps|works|matters)\b|"
    r"\b(?:no|never) (?:point|reason|hope|way)\b|\bnot in a (?:funny|joking) way\b"
)
TRAILING_DENIAL = re.compile(
    r"\b(?:asked|ask|asks|wondered|wonder) (?:me )?(?:if|whether)\b.*\b(?:haven't|don't|i'm not|didn't|wasn't|no)\b"
)

PAST_MARKERS = re.compile(
    r"\bused to\b|\b(?:years?|months?|weeks?) ago\b|\b(?:years?|months?|weeks?|days?) (?:clean|free|without|since)\b|"
    r"\b(?:been|it's been) (?:a|an|\w+) (?:years?|months?|weeks?) since\b|\bin the past\b|\bback (?:in|then|when)\b|"
    r"\bwhen i was (?:younger|a teenager|a kid|at|in|little|\d+)\b|\bin my (?:teens|twenties|thirties|"
    r"twenties|youth)\b|"
    r"\bin (?:19|20)\d\d\b|\b(?:a few|many|several) years back\b|\byears back\b|\blast year\b|\bfor a while\b|"
    r"\bhaven't (?:self-harmed|hurt myself|cut|felt)\b|\bsince i last\b|\bsurvived\b|\brecovery\b|\bbefore\b"
)
PAST_TENSE = re.compile(
    r"\b(?:used to|tried to|tried|attempted|wanted to|wanted|was|were|had|felt|survived|thought about)\b"
)
NOW_MARKERS = re.compile(
    r"\b(?:last night|yesterday|this (?:morning|week|weekend|evening|afternoon)|again|just now|right now|"
    r"tonight|at the moment|these days|lately|recently|are back|is back|come back|coming back|creeping back|"
    r"relapsed?|this time)\b"
)

_PEOPLE = (
    r"(?:friend|mate|best mate|bestie|son|daughter|child|kid|teenager|partner|husband|wife|boyfriend|"
    r"girlfriend|mum|mom|mother|dad|father|brother|sister|nan|gran|grandad|grandma|grandpa|aunt|uncle|"
    r"cousin|flatmate|housemate|neighbour|colleague|client|student|lad|girl|boy|woman|man|person|someone|"
    r"somebody|anyone|people|regulars?)"
)
OTHER_SUBJECT = re.compile(
    rf"\b(?:he|she|they|he's|she's|they're|he'd|she'd|they'd|he'll|she'll|they'll|someone|somebody|"
    rf"(?:my|our|a|his|her|their|the) (?:\w+ )?{_PEOPLE}s?|who|whom)\b"
)
SELF_SUBJECT = re.compile(r"\b(?:i|i'm|i've|i'd|i'll|me|myself|my)\b")
THIRD_PERSON_VERB = re.compile(r"^(?:wants|says|feels|keeps|thinks|talks|self-harms)\b")
RECIPIENT = re.compile(r"\b(?:texted|sent|messaged|wrote|told) (?:me|us)\b")
OTHER_IN_MATCH = re.compile(r"\b(?:himself|herself|themselves|themself|yourself|his|her|their|him|them|he|she|they)\b")
SELF_IN_MATCH = re.compile(r"\b(?:myself|my|me|i|i'm|i've|i'd|i'll)\b")

SIGNPOST_MESSAGE = re.compile(
    r"\b(?:ring|call|text|phone|contact|samaritans|shout|111|999|116 123|85258|reach out|talk to)\b"
)
SIGNPOST_CLAUSE = re.compile(r"^(?:if|when|whenever) (?:you|anyone|someone)\b|\bif you(?:'re| are)? ever\b")
INFORMATIONAL = re.compile(
    r"\b(?:prevention|awareness|training|workshop|course|webinar|session on|leaflet|research|article|documentary)\b"
)

IDIOMS = re.compile(
    r"\bkill(?:ing|ed)? (?:myself|me|himself|herself) (?:laughing|with laughter)\b|"
    r"\bdie (?:of|from) (?:embarrassment|boredom|shame|laughter|laughing|cringe)\b|"
    r"\b(?:want|wanted) to die (?:of|from) (?:embarrassment|boredom|shame|laughing|cringe)\b"
)


@dataclass(frozen=True)
class Rule:
    id: str
    label: str
    level: Level
    pattern: re.Pattern[str]
    method: bool = False  # method detail: urgent and held for a moderator
    negation_in_pattern: bool = False  # the phrase is itself negative ("can't keep myself safe")
    needs: re.Pattern[str] | None = None  # fires only if this also appears in the message
    needs_risk: bool = False  # fires only if the message mentions a risk elsewhere (even discounted)
    can_be_past: bool = True


def _r(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


RULES: tuple[Rule, ...] = (
    # --- urgent: suicidal intent, a wish to die, a plan, a goodbye, harm happening now ---
    Rule(
        "intent.kill_self",
        "talks of killing themselves",
        "urgent",
        _r(
            rf"\b(?:kill(?:ing|ed|s)?|unalive|hang(?:ing|ed)?|drown(?:ing)?) {REFL}|\bkms\b|"
            rf"\bunalive\b|\bsewer ?slide\b"
        ),
    ),
    Rule(
        "intent.end_life",
        "talks of ending their life",
        "urgent",
        _r(
            rf"\b(?:end|ending|ended|take|taking|took) {POSS} (?:own )?life\b|\bcommit(?:ting|ted)? suicide\b|"
            r"\bend(?:ing)? it all\b|\b(?:want|going|ready|decided|planning|plan|about) to end it\b(?! with| off)|"
            r"\b(?:i'm|i am) ending it\b(?! with| off)"
        ),
    ),
    Rule(
        "intent.want_die",
        "says they want to die",
        "urgent",
        _r(
            r"\b(?:want|wants|wanted|wanting|ready|wish|wishes|wished) to die\b|\bwant to be dead\b|"
            r"\bready to go\b(?= now)"
        ),
    ),
    Rule(
        "intent.not_alive",
        "says they don't want to be alive",
        "urgent",
        _r(r"\b(?:don't|doesn't|didn't) want to (?:live|be alive|exist|stay alive)\b"),
        negation_in_pattern=True,
    ),
    Rule(
        "intent.suicidal",
        "says they feel suicidal",
        "urgent",
        _r(
            r"\b(?:i'm|feel|feels|feeling|felt|was|been|getting|is|am)(?: (?:so|very|really|quite|"
            r"actually|a bit|not|never))? "
            r"suicidal\b(?! thoughts| feelings| ideation| urges)|^suicidal\b(?! thoughts| feelings)"
        ),
    ),
    Rule(
        "intent.unsafe",
        "says they can't keep themselves safe",
        "urgent",
        _r(
            r"\b(?:can't|unable to|don't think i can|not sure i can|don't know if i can|struggling to) "
            r"keep (?:myself|me|himself|herself) safe\b"
        ),
        negation_in_pattern=True,
    ),
    Rule(
        "intent.not_here",
        "says they won't be here much longer",
        "urgent",
        _r(
            r"\b(?:won't|not going to|wouldn't) be (?:here|around|alive)(?: much longer| for (?:much )?long| tomorrow|"
            r" after| by| next| anymore)\b|\bcan't see (?:myself|himself|herself) (?:being )?(?:alive|here|around)\b"
        ),
        negation_in_pattern=True,
    ),
    Rule(
        "intent.no_reason",
        "sees no reason to live",
        "urgent",
        _r(
            r"\b(?:no|don't (?:see|have) (?:any|a)|not (?:any|a single)) reasons? (?:left )?to (?:keep )?"
            r"(?:live|living|go on|going on|carry on|be alive|stay alive|be here)\b"
        ),
        negation_in_pattern=True,
    ),
    Rule(
        "intent.hurt_now",
        "says they are going to hurt themselves",
        "urgent",
        _r(rf"\b(?:going to|will|i'll|planning to|about to) (?:hurt|harm|cut) {REFL}"),
    ),
    Rule(
        "intent.goodbye",
        "a goodbye message",
        "urgent",
        _r(
            r"\b(?:this is|here's) my (?:last|final) (?:message|post|goodbye)\b|\bgoodbye (?:everyone|all|world|"
            r"every one|forever|for ever)\b|\bsaid (?:my )?goodbyes\b|\bsaying (?:my )?goodbyes\b|"
            r"\bsaying goodbye to (?:you all|everyone|all of you|you)\b|\b(?:texted|sent|messaged|wrote) "
            r"(?:me |us )?(?:a )?goodbye\b|\b(?:written|wrote|writing|left) (?:my|a|the) (?:suicide )?notes?\b"
            r"(?! for| to| about| on| in)|\bsuicide note\b|\btonight(?:'s| is) the night\b"
        ),
    ),
    Rule(
        "intent.harm_in_progress",
        "harm is happening now",
        "urgent",
        _r(
            r"\b(?:taken|took|swallowed) (?:too many|an overdose|all (?:of )?my|loads of)\b|"
            r"\b(?:won't|can't|doesn't) stop bleeding\b|"
            rf"\bjust (?:cut|hurt|harmed) {REFL} (?:really |very |quite )?(?:badly|deep)"
        ),
        can_be_past=False,
    ),
    Rule(
        "intent.act_on",
        "fears acting on suicidal thoughts",
        "urgent",
        _r(r"\b(?:i'll|i will|i might|going to|about to) act on (?:it|them|these thoughts|the thoughts)\b"),
        needs_risk=True,
    ),
    Rule(
        "intent.do_it_now",
        "plans to act soon",
        "urgent",
        _r(
            r"\b(?:going to|thinking (?:about|of)|planning(?: to| on)?|want to|ready to) (?:do|doing) it\b"
            r"(?: again)?.{0,20}\b(?:tonight|today|now|this weekend|tomorrow)\b|\bthis time\b.{0,30}\b"
            r"(?:make sure it works|do it properly|get it right)\b|\bgo(?:ing)? through with it\b|"
            r"\b(?:thinking (?:about|of)|going to|want to|about to) jump(?:ing)?\b(?! in| on| into|"
            r" at| up| for| the queue)"
        ),
        needs_risk=True,
    ),
    # --- method detail: urgent, held for a moderator ---
    Rule(
        "method.stockpile",
        "method detail: saving up the means",
        "urgent",
        _r(
            rf"\b(?:sav(?:e|ed|ing) up|stockpil\w*|collect(?:ed|ing)|hoard(?:ed|ing)?|stash(?:ed)?|"
            rf"a stash of|enough)\b(?: \w+){{0,4}} {MEANS}|{MEANS}(?: \w+){{0,3}} (?:lined up|counted out|saved up|"
            rf"hidden|stashed|ready)\b|\b(?:counted|lined) (?:them|it) (?:out|up)\b"
        ),
        method=True,
        needs=_r(rf"{MEANS}|\b(?:end|die|kill|wake up|overdose|enough)\b"),
    ),
    Rule(
        "method.lethality",
        "method detail: asks about lethality or ways",
        "urgent",
        _r(
            rf"\bhow (?:many|much) (?:of )?(?:my |the |these |"
            rf"those )?{MEANS}(?![a-z]).{{0,30}}(?:would it take|it takes|"
            rf"does it take|would (?:kill|be enough)|to (?:die|kill|not wake up|end it)|is lethal|is fatal)|"
            r"\b(?:lethal|fatal|deadly) (?:dose|amount)\b|\benough to (?:kill (?:me|myself)|die|end it|not wake up)\b|"
            r"\b(?:quickest|easiest|fastest|painless|best|surest|quick|easy) ways? to (?:die|kill (?:myself|me)|end "
            r"(?:it|my life))\b|\bways to (?:kill myself|end my life|die)\b|\bwithout it hurting\b|"
            r"\blooked up how to (?:do it|kill|die|end)\b|\bis the quickest way to die\b"
        ),
        method=True,
        negation_in_pattern=True,
    ),
    Rule(
        "method.means_ready",
        "method detail: has the means ready",
        "urgent",
        _r(
            rf"\b(?:bought|buy|buying|got|get|ordered|hidden|hid|keep|keeping|have|'ve)\b(?: \w+){{0,3}} "
            rf"{STRONG_MEANS}|{STRONG_MEANS}(?: \w+){{0,4}} (?:ready|hidden|under my bed|in my room|lined up)\b|"
            rf"\bgot everything i need\b|\bdo it (?:with|using|by|at) {MEANS}|\boverdose on (?:all )?(?:of )?"
            rf"(?:my |the |all my )?{MEANS}|\btake all (?:of )?(?:my|the|these) {MEANS}"
        ),
        method=True,
        needs=_r(
            rf"{STRONG_MEANS}|\b(?:tonight|now|ready|end|die|kill|decide|asleep|counted|enough|use it|going to)\b"
        ),
    ),
    Rule(
        "method.place",
        "method detail: a chosen place",
        "urgent",
        _r(
            r"\b(?:jump(?:ing)?|throw (?:myself|me)) (?:off|from) (?:a |the )?(?:bridge|cliff|roof|building|"
            rf"{PLACEHOLDER})|\b(?:which|what) (?:bridge|cliff|building|{PLACEHOLDER}) (?:i'm|i'll|to)\b.{{0,20}}"
            rf"jump|\bbridge i'm going to jump\b|\b(?:standing|stood|sat|sitting|stand|sit) (?:on|at|by) "
            rf"(?:the |a )?(?:edge|bridge|cliff|roof|ledge|tracks|railway|{PLACEHOLDER})(?![a-z])(?=.{{0,40}}\b(?:now|"
            r"jump|jumping|edge|end|ready|tonight)\b)|\b(?:going|go|been going) to (?:the )?(?:bridge|cliff|tracks|"
            rf"{PLACEHOLDER})(?![a-z])"
        ),
        method=True,
        needs=_r(r"\b(?:jump|jumping|now|go through with it|end|die|kill|edge|ready|tonight)\b"),
    ),
    Rule(
        "method.plan",
        "method detail: a worked-out plan",
        "urgent",
        _r(
            r"\b(?:know|planned|worked out|figured out|decided) (?:exactly )?(?:how|when|where|which)\b.{0,30}"
            r"\b(?:do it|going to|i'll|jump|end it)\b|\bplanned it (?:all )?out\b|"
            rf"\bresearch(?:ed|ing)? (?:ways|how)\b|{PLACEHOLDER} at {PLACEHOLDER}"
        ),
        method=True,
        needs=_r(rf"{MEANS}|\b(?:the time|the place|tonight|friday|saturday|sunday|end|die|kill)\b"),
    ),
    # --- concern: passive wishes, self-harm, hopelessness, feeling a burden ---
    Rule(
        "concern.passive",
        "wishes not to wake up or not to exist",
        "concern",
        _r(
            r"\b(?:don't|doesn't) want to wake up\b|\b(?:not|never) wake up\b|\bhope (?:i|he|she) (?:don't|doesn't) "
            r"wake up\b|\bwish(?:es)? (?:i|he|she|they) (?:was|were) dead\b|\bwish (?:i'd|i had|i) never been born\b|"
            r"\bwant(?:s)? to (?:disappear|vanish|stop existing|not exist)\b|\b(?:stop|cease to) exist(?:ing)?\b|"
            r"\bbetter off dead\b"
        ),
        negation_in_pattern=True,
    ),
    Rule(
        "concern.not_here",
        "doesn't want to be here",
        "concern",
        _r(
            r"\b(?:don't|doesn't|not) (?:want(?:ing)?|want) to be (?:here|around)\b|"
            r"\bnot sure (?:i|he|she) want(?:s)? to (?:live|be alive|be here|be around|go on)\b"
        ),
        negation_in_pattern=True,
    ),
    Rule(
        "concern.burden",
        "feels others would be better off without them",
        "concern",
        _r(
            r"\bbetter off (?:without (?:me|him|her|them)|if (?:i|he|she|they) (?:wasn't|weren't|was gone|were gone|"
            r"died|wasn't here)|with me gone)\b|\b(?:nobody|no one) would (?:even )?(?:notice|care|miss (?:me|him|her))"
            r"\b.{0,30}\b(?:if|when) (?:i|he|she)\b|\b(?:nobody|no one) would (?:even )?miss (?:me|him|her)\b"
        ),
        negation_in_pattern=True,
    ),
    Rule(
        "concern.self_harm",
        "mentions self-harm",
        "concern",
        _r(
            rf"\bself-harm(?:ing|ed|s)?\b|\b(?:cut|cutting|hurt|hurting|hurts|harm|harming|harmed|burn|burning|burnt|"
            rf"burned|hit|hitting|scratch|scratched|scratching|punish|punishing) {REFL}(?! a | some )|"
            r"\buntil (?:it|they|my \w+|i) bled\b|\b(?:punched|hit|banged|scratched) .{0,30}\buntil\b.{0,20}\bbled\b"
        ),
    ),
    Rule(
        "concern.ideation",
        "thinks about death or suicide",
        "concern",
        _r(
            r"\b(?:think|thinks|thinking|thought|talk|talks|talking|talked) (?:a lot )?about (?:death|dying|suicide|"
            r"ending (?:it|my life|his life|her life|their life))\b|\bsuicidal (?:thoughts?|feelings?|"
            r"ideation|urges?)\b|"
            r"\bthoughts? of (?:suicide|dying|death|ending it|harming)\b|\bdark thoughts\b|\bmy (?:own )?funeral\b|"
            r"\b(?:suicide|an|my|his|her) attempt\b|\battempted suicide\b|\boverdos(?:e|ed|es|ing)\b"
            r"(?! on (?!(?:my|her|his|their|the|all|some|\[|pills|tablets|meds|medication|paracetamol)))"
        ),
    ),
    Rule(
        "concern.hopeless",
        "feels hopeless or unable to go on",
        "concern",
        _r(
            r"\bhopeless\b|\bno hope left\b|\blost all hope\b|\bno way out\b|\b(?:can't|couldn't) (?:go on|carry on|"
            r"keep going|do this anymore|take (?:it|this) anymore|take any more)\b|\bhow (?:much )?long(?:er)? "
            r"(?:i|he|she) can (?:keep going|go on|carry on|hold on|cope)\b|\bwhat(?:'s| is) the point (?:in |of )?"
            r"(?:anything|it all|living|life|going on|carrying on|trying|me|anymore)\b|\bno point (?:in )?(?:anything|"
            r"living|going on|carrying on|trying anymore|in life)\b|\bgiv(?:e|ing) up on (?:everything|life|it all)\b|"
            r"\btired of (?:living|life|being alive|existing)\b|\b(?:don't|can't) see (?:a|any) future\b|"
            r"\bwant (?:the|this|all the) pain to (?:stop|end|go away)\b|\bdone with (?:everything|life|it all)\b"
        ),
        negation_in_pattern=True,
    ),
    Rule(
        "concern.giving_away",
        "giving belongings away",
        "concern",
        _r(
            r"\bgiv(?:e|ing|en) (?:all )?my (?:things|stuff|belongings|possessions) away\b|"
            r"\bgiv(?:e|ing|en) away (?:all )?my (?:things|stuff|belongings)\b"
        ),
    ),
    Rule(
        "concern.recurrence",
        "old thoughts or urges are coming back",
        "concern",
        _r(
            r"\b(?:urges?|thoughts?|feelings?)\b.{0,20}\b(?:are|have|has|is)? ?(?:come|coming|creeping|crept) back\b|"
            r"\b(?:urges?|thoughts?) (?:are|is) back\b|\brelapsed?\b|\bdone it again\b"
        ),
        needs_risk=True,
        can_be_past=False,
    ),
)

_RISK_RULES = tuple(rule for rule in RULES if not rule.needs_risk)
_CONTEXT_RULES = tuple(rule for rule in RULES if rule.needs_risk)


@dataclass
class _Hit:
    rule: Rule
    other: bool


class RuleBasedDetector:
    """Transparent rules over clauses. Each decision names the rule that made it."""

    name = "rules"

    def screen(self, text: str) -> ScreeningResult:
        message = normalise(text)
        if not message:
            return ScreeningResult("none")
        parts = clauses(message)
        hits: list[_Hit] = []
        discounted: list[str] = []
        mentions_risk = False
        for index, clause in enumerate(parts):
            following = parts[index + 1] if index + 1 < len(parts) else ""
            for rule in _RISK_RULES:
                found = self._check(rule, clause, following, message, hits, discounted)
                mentions_risk = mentions_risk or found
        if mentions_risk:
            for index, clause in enumerate(parts):
                following = parts[index + 1] if index + 1 < len(parts) else ""
                for rule in _CONTEXT_RULES:
                    self._check(rule, clause, following, message, hits, discounted)
        return self._decide(hits, discounted)

    def _check(
        self, rule: Rule, clause: str, following: str, message: str, hits: list[_Hit], discounted: list[str]
    ) -> bool:
        match = rule.pattern.search(clause)
        if match is None:
            return False
        if rule.needs is not None and not rule.needs.search(message):
            return False
        phrase = match.group(0).strip()
        other = self._about_someone_else(clause, match)
        why = self._discount(rule, clause, following, match, other=other)
        if why:
            discounted.append(f"{rule.label} ({why}): “{phrase}”")
        else:
            hits.append(_Hit(rule, other=other))
        return True

    def _discount(self, rule: Rule, clause: str, following: str, match: re.Match[str], *, other: bool) -> str:
        before = clause[: match.start()]
        if IDIOMS.search(clause):
            return "figure of speech"
        negation_scope = before if rule.negation_in_pattern else before + " " + match.group(0)
        if NEGATORS.search(NON_NEGATING.sub(" ", negation_scope)):
            return "negated"
        if TRAILING_DENIAL.search(clause):
            return "negated"
        if INFORMATIONAL.search(clause):
            return "about the subject, not a person"
        if SIGNPOST_CLAUSE.search(clause) and SIGNPOST_MESSAGE.search(clause + " " + following):
            return "signposting for others"
        # Someone else's past ("she has thought about suicide") is still a reason to signpost.
        if rule.can_be_past and not rule.method and not other and self._in_the_past(clause, following, match):
            return "past experience"
        return ""

    @staticmethod
    def _in_the_past(clause: str, following: str, match: re.Match[str]) -> bool:
        if NOW_MARKERS.search(clause):
            return False
        near = clause[max(0, match.start() - 30) : match.end()]
        if "wish" in near:  # "I wish I was dead" is a wish now, not a memory
            return False
        if PAST_MARKERS.search(clause):
            return True
        if PAST_TENSE.search(near) and not re.search(r"\b(?:i'm|am|is|are|keep|still|now)\b", near):
            return True
        return bool(PAST_MARKERS.search(following)) and not NOW_MARKERS.search(following)

    @staticmethod
    def _about_someone_else(clause: str, match: re.Match[str]) -> bool:
        phrase = RECIPIENT.sub(" ", match.group(0))
        if SELF_IN_MATCH.search(phrase):
            return False
        if OTHER_IN_MATCH.search(phrase):
            return True
        before = clause[: match.start()]
        last_other = max((m.end() for m in OTHER_SUBJECT.finditer(before)), default=-1)
        last_self = max((m.end() for m in SELF_SUBJECT.finditer(before)), default=-1)
        if last_other > last_self:
            return True
        if last_self < 0 and THIRD_PERSON_VERB.search(phrase):
            return True
        return last_self < 0 and bool(re.search(r"\b(?:wants|says|feels|keeps)\s*$", before))

    @staticmethod
    def _decide(hits: list[_Hit], discounted: list[str]) -> ScreeningResult:
        level: Level = "none"
        hold = False
        triggers: list[str] = []
        for hit in hits:
            if hit.other:
                hit_level: Level = "concern"
                triggers.append(f"about someone else: {hit.rule.label}")
            else:
                hit_level = hit.rule.level
                triggers.append(hit.rule.label)
                hold = hold or hit.rule.method
            if _RANK[hit_level] > _RANK[level]:
                level = hit_level
        return ScreeningResult(level=level, triggers=_unique(triggers), hold=hold, discounted=_unique(discounted))


def _unique(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(items))


class NeverFlagDetector:
    """A detector that flags nothing: for benchmarks and for proving the detector is replaceable."""

    name = "never"

    def screen(self, text: str) -> ScreeningResult:
        return ScreeningResult("none")


DetectorFactory = Callable[[], Detector]


def crisis_panel_payload(organisation: object | None, *, held: bool = False) -> dict[str, object]:
    """The crisis panel as data, for a chat client to show at once (same content as the HTML partial)."""
    from kindred.safety.routes import UK_ROUTES

    routes: list[dict[str, str]] = [
        {"name": r.name, "how": r.how, "detail": r.detail, "tel": r.tel, "sms": r.sms} for r in UK_ROUTES
    ]
    local: list[dict[str, str]] = []
    if organisation is not None:
        for resource in organisation.crisis_resources.all():  # type: ignore[attr-defined]
            local.append(
                {
                    "name": resource.name,
                    "organisation": organisation.name,  # type: ignore[attr-defined]
                    "phone": resource.phone,
                    "text_number": resource.text_number,
                    "hours": resource.hours,
                    "url": resource.url,
                    "description": resource.description,
                }
            )
    message = (
        "We haven't shown your message to others yet: it has details that could be hard for others to read, "
        "so a moderator will look at it soon. You haven't done anything wrong, and we're glad you said something."
        if held
        else "It sounds like things might be really hard right now. If you want to talk to someone, these people "
        "are there to help."
    )
    return {
        "title": "You don't have to face this alone",
        "message": message,
        "held": held,
        "uk_routes": routes,
        "local": local,
        "help_url": "/help/",
    }
