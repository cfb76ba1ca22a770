"""Crisis screening: each kind of message the issue names, the detector seam, and the crisis panel."""

from __future__ import annotations

import pytest
from django.template.loader import render_to_string

from kindred.safety.screening import (
    NeverFlagDetector,
    RuleBasedDetector,
    ScreeningResult,
    get_detector,
    screen,
)


def level_of(text: str) -> str:
    return screen(text).level


@pytest.mark.parametrize(
    "text",
    [
        "I want to kill myself.",
        "I don't want to be alive anymore.",
        "I can't keep myself safe tonight.",
        "This is my last message. Goodbye everyone.",
        "im gonna kill myself",
        "I'm feeling really suicidal tonight.",
        "I can't stop thinking about killing myself.",
    ],
)
def test_explicit_current_intent_is_urgent_and_shown(text):
    result = screen(text)
    assert result.level == "urgent"
    assert result.hold is False
    assert result.triggers


@pytest.mark.parametrize(
    "text",
    [
        "I'm not going to hurt myself, I just need to vent.",
        "Don't worry, I'm not suicidal, just fed up.",
        "I would never kill myself, I couldn't do that to my kids.",
        "No thoughts of suicide today, just tired.",
        "I don't feel suicidal, just flat.",
    ],
)
def test_negation_is_not_flagged_and_is_explained(text):
    result = screen(text)
    assert result.level == "none"
    assert any("negated" in note for note in result.discounted)


@pytest.mark.parametrize(
    "text",
    [
        "This traffic is killing me.",
        "Dying to see you all on Saturday!",
        "I could murder a bacon sandwich.",
        "Killing myself laughing at the group chat.",
        "I'd rather die than do karaoke, haha.",
        "My phone's dead, sorry for the slow reply.",
        "I cut my finger chopping onions.",
        "Overdosed on mince pies again this year.",
    ],
)
def test_idioms_are_not_flagged(text):
    assert level_of(text) == "none"


@pytest.mark.parametrize(
    "text",
    [
        "I used to self-harm, two years clean now.",
        "Years ago I tried to end my life. I'm in a much better place now.",
        "Three years since my overdose today. Still here.",
        "When I was a teenager I used to cut myself. It's been a long time.",
    ],
)
def test_past_experience_is_not_flagged(text):
    result = screen(text)
    assert result.level == "none"
    assert any("past experience" in note for note in result.discounted)


def test_past_experience_with_urges_back_now_is_concern():
    assert level_of("I used to self-harm, two years clean, but the urges have come back this week.") == "concern"
    assert level_of("I was doing so well, but last night I cut myself again.") == "concern"


@pytest.mark.parametrize(
    "text",
    [
        "My friend says she wants to die and I don't know what to say.",
        "My partner told me he's been thinking about killing himself.",
        "My son said he'd be better off dead.",
        "How do you help someone who says they want to die?",
    ],
)
def test_someone_else_at_risk_is_concern_not_urgent_and_still_signposted(text):
    result = screen(text)
    assert result.level == "concern"
    assert result.hold is False
    assert result.needs_support
    assert any(trigger.startswith("about someone else") for trigger in result.triggers)


def test_signposting_others_is_not_flagged():
    assert level_of("If you ever feel like hurting yourself, please ring Samaritans on 116 123.") == "none"
    assert level_of("World Suicide Prevention Day is coming up, fancy a walk?") == "none"


@pytest.mark.parametrize(
    "text",
    [
        "I've been saving up my [medication] for weeks and I've got enough now.",
        "How many [tablets] would it take to not wake up?",
        "What's the lethal dose of [medication]?",
        "I've bought a rope.",
        "I've worked out which bridge I'm going to jump from.",
        "I'm standing on the bridge now.",
    ],
)
def test_method_detail_is_urgent_and_held(text):
    result = screen(text)
    assert result.level == "urgent"
    assert result.hold is True
    assert any(trigger.startswith("method detail") for trigger in result.triggers)


@pytest.mark.parametrize(
    "text",
    [
        "I wish I could go to sleep and not wake up.",
        "Everyone would be better off without me.",
        "I've been having urges to self-harm again.",
        "I've been having suicidal thoughts but I'm not going to act on them.",
    ],
)
def test_passive_wishes_and_self_harm_are_concern(text):
    assert level_of(text) == "concern"


@pytest.mark.parametrize(
    "text",
    ["", "   ", "hello", "x" * 50_000, "<script>alert('kill myself')</script>", "\u200b\u200b", "😀" * 500],
)
def test_odd_input_never_breaks_screening(text):
    result = screen(text)
    assert result.level in {"none", "concern", "urgent"}


def test_curly_apostrophes_and_capitals_are_understood():
    assert level_of("I DON’T WANT TO BE ALIVE ANYMORE") == "urgent"
    assert level_of("I’m not going to hurt myself") == "none"


def test_result_says_what_it_found_for_moderators():
    result = screen("I've stockpiled my tablets so I can end it.")
    assert result.as_dict() == {"level": "urgent", "triggers": result.triggers, "hold": True}
    assert "method detail: saving up the means" in result.triggers


class FlagEverything:
    def screen(self, text: str) -> ScreeningResult:
        return ScreeningResult("concern", ["test detector"], False)


def test_the_detector_is_replaceable_through_settings(settings):
    assert isinstance(get_detector(), RuleBasedDetector)
    settings.KINDRED_SCREENING_DETECTOR = "kindred.safety.tests.test_screening.FlagEverything"
    assert screen("hello").triggers == ["test detector"]
    settings.KINDRED_SCREENING_DETECTOR = "kindred.safety.screening.NeverFlagDetector"
    assert isinstance(get_detector(), NeverFlagDetector)
    assert screen("I want to die").level == "none"


def test_a_detector_without_screen_is_refused(settings):
    settings.KINDRED_SCREENING_DETECTOR = "builtins.object"
    with pytest.raises(TypeError):
        screen("hello")
    settings.KINDRED_SCREENING_DETECTOR = "kindred.safety.screening.RuleBasedDetector"


@pytest.mark.django_db
def test_crisis_panel_shows_uk_routes_and_the_organisations_resources(personas):
    from kindred.testing.factories import CrisisResourceFactory

    CrisisResourceFactory(organisation=personas.organisation, name="Riverside night line", phone="0161 496 0000")
    html = render_to_string("safety/_crisis_panel.html", {"crisis_organisation": personas.organisation})
    assert "Riverside night line" in html
    assert 'href="tel:01614960000"' in html
    for route in ("116 123", "111 and choose option 2", "999", "85258"):
        assert route in html
    assert 'role="region"' in html and "<script" not in html and "style=" not in html


def test_crisis_panel_without_an_organisation_still_shows_uk_routes():
    html = render_to_string("safety/_crisis_panel.html", {})
    assert "Samaritans" in html and 'href="/help/"' in html
