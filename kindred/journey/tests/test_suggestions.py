"""Suggestions: each rule, its plain-words reason, exclusions, and dismissals that stick."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from kindred.commons.spine import engagements_end_for_subject
from kindred.community.models import Post, Space, SpaceVisibility, Thread
from kindred.groups import services as group_services
from kindred.groups.models import GroupStatus
from kindred.journey.models import SuggestionDismissal
from kindred.journey.selectors import journey_data
from kindred.journey.services import status_set
from kindred.journey.suggestions import suggestions_for
from kindred.onetoone.models import Scheme

from .helpers import at, offer, span

pytestmark = pytest.mark.django_db

NOW = "2026-06-01 12:00Z"


def suggest(person):
    data = journey_data(person)
    return suggestions_for(person, engagements=data.engagements, status=data.status, now=data.now)


def by_rule(items, rule):
    return [s for s in items if s.rule == rule]


def space(organisation, name, *, visibility=SpaceVisibility.PUBLIC):
    listing = offer(organisation, name, kind="online_space", delivery="online")
    return Space.objects.create(
        slug=listing.slug, name=name, organisation=organisation, offer=listing, visibility=visibility
    )


def group(personas, name, **extra):
    return group_services.group_create(
        actor=personas.facilitator,
        organisation=personas.organisation,
        name=name,
        summary="A friendly group.",
        ground_rules="Be kind.",
        **extra,
    )


@time_machine.travel(NOW, tick=False)
def test_reading_online_for_months_and_never_a_group_suggests_a_hybrid_or_video_group(personas):
    org = personas.organisation
    forum = space(org, "Night Owls")
    span(personas.member, forum, "online", "reading", at(2026, 1, 15), organisation=org)
    hybrid = offer(org, "Tuesday Circle (hybrid)", delivery="hybrid", can_just_listen=True)
    video = offer(org, "Sunday Video Group", delivery="video")
    offer(org, "In-person Only", delivery="in_person")
    offer(org, "Closed Video Group", delivery="video", status="archived")

    items = by_rule(suggest(personas.member), "reading-group")
    assert {s.title for s in items} == {hybrid.title, video.title}
    first = next(s for s in items if s.title == hybrid.title)
    assert first.reason.startswith(
        "Because you've been reading online since January 2026 and haven't tried a group yet"
    )
    assert "in person or by video" in first.reason and "You can just listen." in first.reason
    assert first.key == f"reading-group:{hybrid.public_id}" and first.url == f"/find/offers/{hybrid.slug}/"


@time_machine.travel(NOW, tick=False)
def test_reading_rule_waits_for_months_and_stops_once_they_have_tried_a_group(personas):
    org = personas.organisation
    forum = space(org, "Night Owls")
    offer(org, "Sunday Video Group", delivery="video")
    span(personas.member, forum, "online", "reading", timezone.now() - timedelta(days=40), organisation=org)
    assert by_rule(suggest(personas.member), "reading-group") == []  # weeks, not months

    span(personas.peer, forum, "online", "reading", at(2025, 1), organisation=org)
    span(personas.peer, offer(org, "Old group"), "group", "receiving", at(2025, 2), at(2025, 3))
    assert by_rule(suggest(personas.peer), "reading-group") == []


@time_machine.travel(NOW, tick=False)
def test_housebound_suggests_online_spaces_and_phone_befriending(personas):
    org = personas.organisation
    forum = space(org, "Night Owls")
    phone = offer(org, "Phone Befrienders", kind="scheme", delivery="phone")
    offer(org, "Coffee Morning", delivery="in_person")
    assert by_rule(suggest(personas.member), "from-home") == []

    status_set(actor=personas.member, status="needing_support", housebound=True)
    items = by_rule(suggest(personas.member), "from-home")
    assert [s.title for s in items] == [phone.title, forum.name]  # befriending first, then online spaces
    assert items[0].reason == (
        "Because you said you're mostly at home at the moment, this is befriending by phone — "
        "something you can do without going out."
    )
    assert "an online space you can read and post in" in items[1].reason


@time_machine.travel(NOW, tick=False)
def test_a_closed_group_brings_alternatives_of_a_similar_kind(personas):
    closed = group(personas, "Riverside Hearing Voices", town="Manchester", experience_focus="hearing voices")
    similar = group(personas, "Salford Voices", experience_focus="hearing voices")
    same_town = offer(personas.other_organisation, "Manchester Walk and Talk", town="Manchester")
    offer(personas.other_organisation, "Leeds Knitters", town="Leeds")  # nothing in common
    closing = group(personas, "Closing Soon Group")
    closing.status = GroupStatus.CLOSING
    closing.save()
    private = group(personas, "Private Circle", is_public=False)

    group_services.group_join(actor=personas.member, group=closed, acknowledge_rules=True)
    closed.status, closed.closed_at = GroupStatus.CLOSED, at(2026, 4, 20)
    closed.save()
    closed.offer.status = "archived"
    closed.offer.save()
    engagements_end_for_subject(subject=closed, reason="closed")

    items = by_rule(suggest(personas.member), "group-closed")
    titles = [s.title for s in items]
    assert titles[0] == similar.offer.title  # same topic and organisation ranks first
    assert same_town.title in titles
    assert "Leeds Knitters" not in titles and closed.offer.title not in titles
    assert closing.offer.title not in titles and private.offer.title not in titles
    assert items[0].reason == (
        "Because Riverside Hearing Voices closed in April 2026, here is another group that is also for people "
        "with experience of hearing voices, is run by Riverside Peer Support too and is in the same area (North West)."
    )
    assert "meets in Manchester" in next(s.reason for s in items if s.title == same_town.title)


@time_machine.travel(NOW, tick=False)
def test_able_to_give_suggests_first_steps_into_giving(personas):
    org = personas.organisation
    tuesday = group(personas, "Tuesday Group")
    group_services.group_join(actor=personas.member, group=tuesday, acknowledge_rules=True)
    forum = space(org, "Night Owls")
    quiet = space(org, "Quiet Corner")
    newcomer = personas.peer
    thread = Thread.objects.create(space=forum, author=newcomer, title="First time here", last_post_at=timezone.now())
    Post.objects.create(thread=thread, author=newcomer, is_opening=True, body="Hello, I'm new")
    answered = Thread.objects.create(space=quiet, author=newcomer, title="Answered", last_post_at=timezone.now())
    Post.objects.create(thread=answered, author=newcomer, is_opening=True, body="Hi")
    Post.objects.create(thread=answered, author=personas.psw, body="Welcome!")
    befriending = offer(org, "Befriending Scheme", kind="scheme", delivery="phone")
    Scheme.objects.create(organisation=org, offer=befriending, kind="befriending")
    psw = offer(org, "PSW Service", kind="psw_service", delivery="in_person")
    Scheme.objects.create(organisation=org, offer=psw, kind="psw")

    assert [s for s in suggest(personas.member) if s.rule.startswith("give-")] == []
    with time_machine.travel("2026-05-01 12:00Z", tick=False):
        status_set(actor=personas.member, status="able_to_give")
    items = suggest(personas.member)

    buddy = by_rule(items, "give-buddy")
    assert [s.title for s in buddy] == ["Be a welcome buddy at Tuesday Group"]
    assert buddy[0].reason.startswith(
        "Because you've said you're able to give support since May 2026, and you already belong to Tuesday Group"
    )
    reply = by_rule(items, "give-reply")
    assert [s.title for s in reply] == ["Reply to someone new in Night Owls"]  # not Quiet Corner: answered
    assert "1 conversation is in Night Owls still waiting for a first reply" in reply[0].reason
    volunteer = by_rule(items, "give-volunteer")
    assert [s.title for s in volunteer] == ["Befriending Scheme"]
    assert "looks for volunteers" in volunteer[0].reason


@time_machine.travel(NOW, tick=False)
def test_things_already_joined_and_spaces_they_cannot_read_are_not_suggested(personas):
    org = personas.organisation
    status_set(actor=personas.member, status="needing_support", housebound=True)
    joined = space(org, "Night Owls")
    span(personas.member, joined, "online", "receiving", at(2026, 1), organisation=org)
    elsewhere = space(personas.other_organisation, "Hilltop Members Only", visibility=SpaceVisibility.MEMBERS)
    open_space = space(personas.other_organisation, "Hilltop Open Space")
    titles = [s.title for s in by_rule(suggest(personas.member), "from-home")]
    assert titles == [open_space.name]
    assert joined.name not in titles and elsewhere.name not in titles


@time_machine.travel(NOW, tick=False)
def test_dismissing_a_suggestion_hides_it_for_good(client, personas):
    org = personas.organisation
    first = space(org, "Night Owls")
    second = space(org, "Quiet Corner")
    status_set(actor=personas.member, status="", housebound=True)
    client.force_login(personas.member)
    html = client.get("/journey/").content.decode()
    assert "Night Owls" in html and "Quiet Corner" in html and "Why this?" in html

    key = f"from-home:{first.offer.public_id}"
    response = client.post("/journey/suggestions/dismiss/", {"key": key})
    assert response.status_code == 302 and response["Location"] == "/journey/"
    assert SuggestionDismissal.objects.filter(person=personas.member, key=key).exists()
    html = client.get("/journey/").content.decode()
    assert "Night Owls" not in html and "Quiet Corner" in html
    assert "Night Owls" not in client.get("/journey/suggestions/").content.decode()
    # Someone else still sees it: dismissals are per person.
    status_set(actor=personas.peer, status="", housebound=True)
    assert first.name in [s.title for s in suggest(personas.peer)]
    # Dismissing twice is harmless; nonsense is refused kindly.
    client.post("/journey/suggestions/dismiss/", {"key": key, "next": "suggestions"})
    assert SuggestionDismissal.objects.filter(person=personas.member).count() == 1
    bad = client.post("/journey/suggestions/dismiss/", {"key": ""}, follow=True)
    assert "We couldn&#x27;t tell which suggestion that was" in bad.content.decode()
    assert second.name in [s.title for s in suggest(personas.member)]


@time_machine.travel(NOW, tick=False)
def test_reading_rule_is_for_people_who_only_read_and_still_do_and_puts_hybrid_first(personas):
    org = personas.organisation
    forum = space(org, "Night Owls")
    hybrid = offer(org, "Tuesday Circle (hybrid)", delivery="hybrid")
    video = offer(org, "A Video Circle", delivery="video", can_just_listen=True)

    span(personas.member, forum, "online", "reading", at(2025, 1), organisation=org)
    titles = [s.title for s in by_rule(suggest(personas.member), "reading-group")]
    assert titles == [hybrid.title, video.title]  # hybrid first: from home now, in the room later if they like

    # Someone who has posted is not "only reading".
    span(personas.peer, forum, "online", "reading", at(2025, 1), organisation=org)
    span(personas.peer, forum, "online", "receiving", at(2025, 3), organisation=org)
    assert by_rule(suggest(personas.peer), "reading-group") == []
    # Someone who read for a while and stopped is not reading for months now.
    span(personas.psw, forum, "online", "reading", at(2025, 1), at(2025, 2))
    assert by_rule(suggest(personas.psw), "reading-group") == []


@time_machine.travel(NOW, tick=False)
def test_from_home_reasons_name_what_the_offer_is(personas):
    org = personas.organisation
    video_befriending = offer(org, "Video Befrienders", kind="scheme", delivery="video")
    Scheme.objects.create(organisation=org, offer=video_befriending, kind="befriending")
    mentoring = offer(org, "Phone Mentors", kind="scheme", delivery="phone")
    Scheme.objects.create(organisation=org, offer=mentoring, kind="mentoring")
    in_person = offer(org, "Walking Befrienders", kind="scheme", delivery="in_person")
    Scheme.objects.create(organisation=org, offer=in_person, kind="befriending")

    status_set(actor=personas.member, status="", housebound=True)
    reasons = {s.title: s.reason for s in by_rule(suggest(personas.member), "from-home")}
    assert set(reasons) == {video_befriending.title, mentoring.title}  # not the one that needs going out
    assert "this is befriending by video —" in reasons[video_befriending.title]
    assert "this is peer mentoring by phone —" in reasons[mentoring.title]


@time_machine.travel(NOW, tick=False)
def test_a_closed_group_joined_through_its_listing_also_brings_alternatives(personas):
    closed = group(personas, "Riverside Hearing Voices", experience_focus="hearing voices")
    similar = group(personas, "Salford Voices", experience_focus="hearing voices")
    # Joined through a referral: the engagement's subject is the group's listing, not the group.
    span(personas.member, closed.offer, "group", "receiving", at(2025, 1), organisation=personas.organisation)
    closed.status, closed.closed_at = GroupStatus.CLOSED, at(2026, 4, 20)
    closed.save()
    engagements_end_for_subject(subject=closed.offer, reason="closed")

    items = by_rule(suggest(personas.member), "group-closed")
    assert [s.title for s in items] == [similar.offer.title]
    assert items[0].reason.startswith("Because Riverside Hearing Voices closed in April 2026")


@time_machine.travel(NOW, tick=False)
def test_no_welcome_buddy_suggestion_for_a_group_that_is_closing(personas):
    closing = group(personas, "Closing Soon Group")
    group_services.group_join(actor=personas.member, group=closing, acknowledge_rules=True)
    closing.status = GroupStatus.CLOSING
    closing.save()
    status_set(actor=personas.member, status="able_to_give")
    assert by_rule(suggest(personas.member), "give-buddy") == []
