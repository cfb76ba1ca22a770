"""Matching through the pages: suggestions, batch proposals, coordinator review, both accept, rematching, caps."""

from __future__ import annotations

import html

import pytest
from django.test import override_settings
from django.urls import reverse

from kindred.accounts.models import User
from kindred.commons.models import Engagement
from kindred.notifications.models import Notification
from kindred.onetoone import services
from kindred.onetoone.models import Conversation, DeclinedPair, Match, MatchRequest, MatchRequestStatus, MatchStatus
from kindred.organisations.models import Role
from kindred.testing.clients import client_for
from kindred.testing.factories import MembershipFactory, UserFactory

from .core_helpers import make_scheme, make_supporter

pytestmark = pytest.mark.django_db


def _peer(personas, name):
    user = UserFactory(email=f"{name}@example.org", display_name=name.capitalize())
    MembershipFactory(user=user, organisation=personas.organisation, role=Role.PEER)
    return user


def _seeker(personas, name):
    user = UserFactory(email=f"{name}@example.org", display_name=name.capitalize())
    MembershipFactory(user=user, organisation=personas.organisation, role=Role.MEMBER)
    return user


@pytest.fixture
def scheme(personas):
    return make_scheme(personas.coordinator, personas.organisation, matching_mode="batch")


def test_suggestions_for_coordinator_with_reasons_and_hard_constraints(personas, scheme):
    ana = _peer(personas, "ana")
    bo = _peer(personas, "bo")
    cy = _peer(personas, "cy")
    make_supporter(
        ana,
        scheme,
        experience_tags="hearing voices",
        interest_tags="music",
        availability=["tue-evening"],
        identity={"gender": "woman"},
    )
    make_supporter(bo, scheme, experience_tags="hearing voices", identity={"gender": "man"})  # must fails
    make_supporter(cy, scheme, languages="Polish", identity={"gender": "woman"})  # language fails
    request = services.match_request_create(
        actor=personas.member,
        scheme=scheme,
        experience_tags="hearing voices",
        interest_tags="music",
        availability=["tue-evening"],
        preferences={"gender": {"value": "woman", "strength": "must"}},
    )
    page = html.unescape(
        client_for(personas.coordinator).get(reverse("onetoone:request", args=[request.public_id])).content.decode()
    )
    assert "Ana" in page
    assert "You both mentioned hearing voices and music; both free on Tuesday evenings" in page
    assert "Propose Bo" not in page and "Propose Cy" not in page
    # The person themself sees no suggestions in a coordinator-led scheme...
    mine = client_for(personas.member).get(reverse("onetoone:request", args=[request.public_id])).content.decode()
    assert "Propose" not in mine and "Choose" not in mine
    # ...and nobody else sees the request at all.
    for user in (personas.peer, personas.outside_coordinator):
        assert client_for(user).get(reverse("onetoone:request", args=[request.public_id])).status_code == 404
    # A coordinator can't force a pair that breaks a hard constraint.
    bo_profile = bo.supporter_profiles.get()
    with pytest.raises(services.OneToOneError, match="essentials"):
        services.match_propose(actor=personas.coordinator, request=request, profile=bo_profile)


def test_batch_run_review_both_accept_then_conversation(personas, scheme, django_capture_on_commit_callbacks):
    ana, bo = _peer(personas, "ana"), _peer(personas, "bo")
    make_supporter(ana, scheme, capacity=1, experience_tags="grief")
    make_supporter(bo, scheme, capacity=1, experience_tags="hearing voices")
    seekers = [_seeker(personas, n) for n in ("dee", "eli", "fay")]
    for seeker, tags in zip(seekers, ("grief", "hearing voices", "grief"), strict=True):
        services.match_request_create(actor=seeker, scheme=scheme, experience_tags=tags)
    coordinator = client_for(personas.coordinator)
    coordinator.post(reverse("onetoone:scheme_run_matching", args=[scheme.public_id]))
    proposals = list(Match.objects.filter(status=MatchStatus.PROPOSED))
    assert len(proposals) == 2  # capacities respected: two places for three people
    assert {(m.seeker.display_name, m.supporter.display_name) for m in proposals} <= {
        ("Dee", "Ana"),
        ("Fay", "Ana"),
        ("Eli", "Bo"),
    }
    assert ("Eli", "Bo") in {(m.seeker.display_name, m.supporter.display_name) for m in proposals}
    # Nobody is told before the coordinator checks; the proposal is the coordinator's alone.
    assert not Notification.objects.filter(kind="onetoone.match_offered").exists()
    match = next(m for m in proposals if m.supporter == bo)
    assert client_for(match.seeker).get(reverse("onetoone:match", args=[match.public_id])).status_code == 404
    manage = coordinator.get(reverse("onetoone:scheme_manage", args=[scheme.public_id])).content.decode()
    assert "you both mentioned hearing voices" in html.unescape(manage)
    with django_capture_on_commit_callbacks(execute=True):
        coordinator.post(reverse("onetoone:match_action", args=[match.public_id, "approve"]))
    assert Notification.objects.filter(kind="onetoone.match_offered", user=match.seeker).exists()
    seeker_client, supporter_client = client_for(match.seeker), client_for(bo)
    seeker_client.post(reverse("onetoone:match_action", args=[match.public_id, "accept"]))
    match.refresh_from_db()
    assert match.status == MatchStatus.ACCEPTED_BY_SEEKER
    assert not Conversation.objects.filter(match=match).exists()  # not until both say yes
    supporter_client.post(reverse("onetoone:match_action", args=[match.public_id, "accept"]))
    match.refresh_from_db()
    assert match.status == MatchStatus.ACTIVE
    conversation = Conversation.objects.get(match=match)
    assert (
        seeker_client.post(reverse("onetoone:conversation", args=[conversation.public_id]), {"body": "Hi"}).status_code
        == 302
    )
    assert supporter_client.get(reverse("onetoone:conversation", args=[conversation.public_id])).status_code == 200
    # The coordinator — even of this organisation — can't read it.
    assert coordinator.get(reverse("onetoone:conversation", args=[conversation.public_id])).status_code == 404
    roles = set(Engagement.objects.filter(form="one_to_one").values_list("person__display_name", "role"))
    assert roles == {("Eli", "receiving"), ("Bo", "giving")}
    assert MatchRequest.objects.get(seeker=match.seeker).status == MatchRequestStatus.MATCHED


def test_decline_records_pair_never_reproposed_and_rematches(personas, scheme):
    ana, bo = _peer(personas, "ana"), _peer(personas, "bo")
    make_supporter(ana, scheme, experience_tags="grief")
    make_supporter(bo, scheme)
    request = services.match_request_create(actor=personas.member, scheme=scheme, experience_tags="grief")
    services.matching_run(actor=personas.coordinator, scheme=scheme)
    first = Match.objects.get()
    assert first.supporter == ana
    services.match_approve(actor=personas.coordinator, match=first)
    client_for(ana).post(reverse("onetoone:match_action", args=[first.public_id, "decline"]))
    first.refresh_from_db()
    assert first.status == MatchStatus.DECLINED
    assert DeclinedPair.objects.filter(seeker=personas.member, supporter=ana).exists()
    # Told gently, never "they said no".
    note = Notification.objects.get(user=personas.member, kind="onetoone.match_rematching")
    assert "declin" not in (note.title + note.body).lower()
    page = html.unescape(
        client_for(personas.member).get(reverse("onetoone:match", args=[first.public_id])).content.decode()
    )
    assert "still looking for the right match" in page and "Ask for a new match" not in page
    services.matching_run(actor=personas.coordinator, scheme=scheme)
    second = Match.objects.exclude(pk=first.pk).get()
    assert second.supporter == bo and second.request == request
    services.match_withdraw(actor=personas.coordinator, match=second)
    assert services.matching_run(actor=personas.coordinator, scheme=scheme) == []


def test_ending_and_asking_again(personas, scheme):
    ana, bo = _peer(personas, "ana"), _peer(personas, "bo")
    make_supporter(ana, scheme, experience_tags="grief")
    request = services.match_request_create(actor=personas.member, scheme=scheme, experience_tags="grief")
    match = services.match_propose(actor=personas.coordinator, request=request, profile=ana.supporter_profiles.get())
    services.match_approve(actor=personas.coordinator, match=match)
    services.match_respond(actor=ana, match=match, accept=True)
    services.match_respond(actor=personas.member, match=match, accept=True)
    client = client_for(personas.member)
    client.post(reverse("onetoone:match_action", args=[match.public_id, "end"]), {"reason": "moved_on"})
    match.refresh_from_db()
    assert match.status == MatchStatus.ENDED and match.end_reason == "moved_on"
    assert not Engagement.objects.filter(ended_at__isnull=True).exists()
    conversation = Conversation.objects.get(match=match)
    page = html.unescape(client.get(reverse("onetoone:conversation", args=[conversation.public_id])).content.decode())
    assert "has ended" in page
    make_supporter(bo, scheme)
    response = client.post(reverse("onetoone:match_action", args=[match.public_id, "again"]))
    assert response.status_code == 302
    new_request = MatchRequest.objects.get(status=MatchRequestStatus.OPEN)
    assert new_request.experience_tags == "grief"
    services.matching_run(actor=personas.coordinator, scheme=scheme)
    assert Match.objects.get(request=new_request).supporter == bo  # the ended pair isn't proposed again


def test_person_chooses_from_suggestions(personas):
    scheme = make_scheme(personas.coordinator, personas.organisation, matching_mode="chooses", kind="pen_friends")
    ana = _peer(personas, "ana")
    profile = make_supporter(ana, scheme, interest_tags="films")
    request = services.match_request_create(actor=personas.member, scheme=scheme, interest_tags="films")
    client = client_for(personas.member)
    page = html.unescape(client.get(reverse("onetoone:request", args=[request.public_id])).content.decode())
    assert "Choose Ana" in page and "you both mentioned films" in page.lower()
    client.post(
        reverse("onetoone:request_action", args=[request.public_id, "choose"]), {"supporter": profile.public_id}
    )
    match = Match.objects.get()
    assert match.status == MatchStatus.ACCEPTED_BY_SEEKER
    assert Notification.objects.filter(user=ana, kind="onetoone.match_offered").exists()
    client_for(ana).post(reverse("onetoone:match_action", args=[match.public_id, "accept"]))
    match.refresh_from_db()
    assert match.status == MatchStatus.ACTIVE


def test_caseload_cap_needs_a_recorded_reason(personas):
    scheme = make_scheme(personas.coordinator, personas.organisation, kind="psw", title="PSW service", caseload_cap=1)
    profile = make_supporter(personas.psw, scheme, capacity=5)
    first = services.match_request_create(actor=personas.member, scheme=scheme)
    services.match_propose(actor=personas.coordinator, request=first, profile=profile)
    second = services.match_request_create(actor=personas.facilitator, scheme=scheme)
    coordinator = client_for(personas.coordinator)
    url = reverse("onetoone:request_action", args=[second.public_id, "propose"])
    coordinator.post(url, {"supporter": profile.public_id})
    assert Match.objects.count() == 1
    coordinator.post(url, {"supporter": profile.public_id, "cap_override_reason": "Continuity: knows the family"})
    assert Match.objects.filter(cap_override_reason="Continuity: knows the family").count() == 1


def test_wrong_people_cannot_act_on_matches(personas, scheme):
    ana = _peer(personas, "ana")
    make_supporter(ana, scheme)
    request = services.match_request_create(actor=personas.member, scheme=scheme)
    match = services.match_propose(actor=personas.coordinator, request=request, profile=ana.supporter_profiles.get())
    # Only coordinators approve; outsiders get 404, the people in it 403-or-404, nothing changes.
    assert (
        client_for(personas.outside_coordinator)
        .post(reverse("onetoone:match_action", args=[match.public_id, "approve"]))
        .status_code
        == 404
    )
    assert client_for(ana).post(reverse("onetoone:match_action", args=[match.public_id, "approve"])).status_code == 403
    services.match_approve(actor=personas.coordinator, match=match)
    other: User = personas.peer
    assert client_for(other).post(reverse("onetoone:match_action", args=[match.public_id, "accept"])).status_code == 404
    match.refresh_from_db()
    assert match.status == MatchStatus.APPROVED


def _emails_to(user):
    from django_tasks_db.models import DBTaskResult

    rows = DBTaskResult.objects.order_by("enqueued_at", "id")
    # The reach gate queues `deliver_email` for a person (by id); it looks up the address when it runs.
    return [row.task for row in rows if row.args_kwargs["kwargs"].get("person_id") == user.pk]


@override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}})
def test_supporter_quiet_hours_postpone_every_email_to_them(personas, scheme, django_capture_on_commit_callbacks):
    """Quiet hours set on the supporter page are the person's own: emails wait until they end, then go."""
    import datetime as dt

    import time_machine
    from django.core import mail

    ana = _peer(personas, "ana")
    client_for(ana).post(
        reverse("onetoone:supporter_profile", args=[scheme.public_id]),
        {
            **{f"{layer}_visibility": "matched" for layer in ("experience_distress", "experience_services")},
            "wider_life_visibility": "matched",
            "interests_values_visibility": "seekers",
            "languages": "English",
            "capacity": "2",
            "quiet_hours_start": "18:00",
            "quiet_hours_end": "09:00",
        },
    )
    profile = ana.supporter_profiles.get()
    request = services.match_request_create(actor=personas.member, scheme=scheme)
    match = services.match_propose(actor=personas.coordinator, request=request, profile=profile)
    mail.outbox.clear()
    evening = time_machine.travel(dt.datetime(2026, 1, 12, 20, 0, tzinfo=dt.UTC), tick=False)
    with evening, django_capture_on_commit_callbacks(execute=True):
        # Not only messages: the proposal sent to her in the evening waits too.
        client_for(personas.coordinator).post(reverse("onetoone:match_action", args=[match.public_id, "approve"]))
    assert Notification.objects.filter(user=ana, kind="onetoone.match_offered").exists()  # in Kindred at once
    assert not any(ana.email in m.to for m in mail.outbox)
    (queued,) = _emails_to(ana)
    assert queued.run_after == dt.datetime(2026, 1, 13, 9, 0, tzinfo=dt.UTC)  # 09:00 in London in January
    # The seeker, who set no quiet hours, is emailed at once.
    assert [row.run_after for row in _emails_to(personas.member)] == [None]
    midday = time_machine.travel(dt.datetime(2026, 1, 13, 12, 0, tzinfo=dt.UTC), tick=False)
    services.match_respond(actor=ana, match=match, accept=True)
    services.match_respond(actor=personas.member, match=match, accept=True)
    conversation = Conversation.objects.get(match=match)
    with midday, django_capture_on_commit_callbacks(execute=True):
        client_for(personas.member).post(
            reverse("onetoone:conversation", args=[conversation.public_id]), {"body": "Midday hello"}
        )
    assert _emails_to(ana)[-1].run_after is None  # outside quiet hours: sent straight away
