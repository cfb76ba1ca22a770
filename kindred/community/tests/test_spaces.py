"""Spaces: who can read, who can post, house rules, creation with a directory listing, invitations."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from kindred.commons.models import RulesAcknowledgement
from kindred.community.models import Space, SpaceMembership, SpaceVisibility, Thread
from kindred.core.models import AuditEvent
from kindred.directory.models import OfferKind
from kindred.testing.clients import client_for
from kindred.testing.factories import UserFactory

from .core_helpers import agree, make_space, make_thread

pytestmark = pytest.mark.django_db


def test_public_space_is_readable_without_an_account(personas):
    space = make_space(personas, visibility=SpaceVisibility.PUBLIC)
    thread = make_thread(space, personas.member, title="Mornings are the worst")
    anon = client_for(None)
    page = anon.get(reverse("community:space", args=[space.slug]))
    assert page.status_code == 200
    assert "Mornings are the worst" in page.content.decode()
    assert "Log in" in anon.get(reverse("community:thread", args=[thread.public_id])).content.decode()
    assert space.name in anon.get(reverse("community:spaces")).content.decode()


def test_public_space_reply_needs_sign_in(personas):
    space = make_space(personas, visibility=SpaceVisibility.PUBLIC)
    thread = make_thread(space, personas.member)
    response = client_for(None).post(reverse("community:thread", args=[thread.public_id]), {"body": "hi"})
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]
    assert thread.posts.count() == 1


@pytest.mark.parametrize("visibility", [SpaceVisibility.MEMBERS, SpaceVisibility.INVITE_ONLY])
def test_private_spaces_are_404_to_outsiders_and_anonymous(personas, visibility):
    space = make_space(personas, visibility=visibility)
    thread = make_thread(space, personas.coordinator)
    for client in (client_for(None), client_for(personas.outsider)):
        assert client.get(reverse("community:space", args=[space.slug])).status_code == 404
        assert client.get(reverse("community:thread", args=[thread.public_id])).status_code == 404
        assert space.name not in client.get(reverse("community:spaces")).content.decode()


def test_invite_only_space_is_404_to_ordinary_members_until_invited(personas, django_capture_on_commit_callbacks):
    space = make_space(personas, visibility=SpaceVisibility.INVITE_ONLY)
    member = client_for(personas.member)
    assert member.get(reverse("community:space", args=[space.slug])).status_code == 404
    # The moderator invites them by email; the link works once.
    moderator = client_for(personas.moderator)
    with django_capture_on_commit_callbacks(execute=True):
        with_email = moderator.post(
            reverse("community:space_manage", args=[space.slug]), {"form": "invite", "email": personas.member.email}
        )
    assert with_email.status_code == 302
    body = mail.outbox[-1].body
    link = next(line for line in body.splitlines() if "/online/invitations/" in line).strip()
    path = link[link.index("/online/") :]
    offer = member.get(path)
    assert offer.status_code == 200 and space.name in offer.content.decode()
    assert member.get("/online/invitations/not-a-real-link/").status_code == 404
    assert member.post(path).status_code == 302
    assert SpaceMembership.objects.filter(space=space, user=personas.member).exists()
    assert member.get(reverse("community:space", args=[space.slug])).status_code == 200
    # Used once: a second person can't reuse it.
    other = UserFactory()
    assert client_for(other).post(path).status_code == 400
    assert client_for(other).get(path).status_code == 404  # used: the link says so kindly


def test_members_space_is_readable_by_members_and_moderators_not_others(personas):
    space = make_space(personas, visibility=SpaceVisibility.MEMBERS)
    assert client_for(personas.member).get(reverse("community:space", args=[space.slug])).status_code == 200
    assert (
        client_for(personas.outside_coordinator).get(reverse("community:space", args=[space.slug])).status_code == 404
    )


def test_network_wide_space_is_shared_with_partner_organisations(personas):
    space = make_space(personas, partner_organisations=[personas.other_organisation])
    assert client_for(personas.outsider).get(reverse("community:space", args=[space.slug])).status_code == 200
    # and the partner's coordinator moderates it
    assert (
        client_for(personas.outside_coordinator).get(reverse("community:space_manage", args=[space.slug])).status_code
        == 200
    )


def test_house_rules_must_be_acknowledged_before_first_post(personas):
    space = make_space(personas)
    member = client_for(personas.member)
    new_thread = reverse("community:thread_create", args=[space.slug])
    response = member.get(new_thread)
    assert response.status_code == 302 and reverse("community:space_rules", args=[space.slug]) in response["Location"]
    # Not ticking the box says what's wrong and changes nothing.
    rules = reverse("community:space_rules", args=[space.slug])
    page = member.post(rules, {"version": 1})
    assert "Please tick the box" in page.content.decode()
    assert not RulesAcknowledgement.objects.filter(person=personas.member).exists()
    assert member.post(rules, {"version": 1, "agree": "on", "next": new_thread})["Location"] == new_thread
    response = member.post(new_thread, {"title": "Hello", "body": "First time here."})
    assert response.status_code == 302
    assert Thread.objects.filter(space=space, title="Hello").exists()


def test_changed_rules_need_agreeing_again(personas):
    space = make_space(personas)
    agree(personas.member, space)
    moderator = client_for(personas.moderator)
    moderator.post(reverse("community:space_manage", args=[space.slug]), {"form": "rules", "text": "New rules."})
    assert space.current_rules.version == 2
    response = client_for(personas.member).get(reverse("community:thread_create", args=[space.slug]))
    assert response.status_code == 302 and "rules" in response["Location"]


def test_reading_never_requires_posting_but_reading_is_recorded_once_a_day(personas, time_machine):
    from kindred.commons.models import Engagement

    time_machine.move_to("2026-11-20 10:00Z")
    space = make_space(personas)
    member = client_for(personas.member)
    member.get(reverse("community:space", args=[space.slug]))
    rows = Engagement.objects.filter(person=personas.member, role="reading", form="online")
    assert rows.count() == 1
    first = rows.get().last_active_at
    time_machine.move_to("2026-11-20 15:00Z")
    member.get(reverse("community:space", args=[space.slug]))
    assert rows.get().last_active_at == first  # coarse: at most one update a day
    time_machine.move_to("2026-11-21 09:00Z")
    member.get(reverse("community:space", args=[space.slug]))
    assert rows.count() == 1 and rows.get().last_active_at > first


def test_coordinator_creates_a_space_listed_in_the_directory(personas):
    coordinator = client_for(personas.coordinator)
    response = coordinator.post(
        reverse("community:space_create", args=["riverside"]),
        {
            "name": "Hearing voices",
            "description": "A space for people who hear voices.",
            "visibility": "public",
            "governance": "peer_led",
            "house_rules": "Be kind.",
        },
    )
    assert response.status_code == 302
    space = Space.objects.get(name="Hearing voices")
    assert space.offer.kind == OfferKind.ONLINE_SPACE and space.offer.organisation == personas.organisation
    assert space.current_rules.version == 1
    assert AuditEvent.objects.filter(action="community.space_create").exists()


def test_space_creation_permissions(personas):
    url = reverse("community:space_create", args=["riverside"])
    assert client_for(None).get(url).status_code == 302
    assert client_for(personas.outsider).get(url).status_code == 404
    assert client_for(personas.member).get(url).status_code == 403
    assert client_for(personas.peer).post(url, {"name": "x"}).status_code == 403
    assert not Space.objects.exists()


def test_space_manage_permissions_and_methods(personas):
    space = make_space(personas)
    url = reverse("community:space_manage", args=[space.slug])
    assert client_for(personas.member).get(url).status_code == 403
    assert client_for(personas.outsider).get(url).status_code == 404
    assert client_for(personas.moderator).put(url).status_code == 405
    assert client_for(personas.member).put(reverse("community:space", args=[space.slug])).status_code == 405


def test_archived_space_can_be_read_not_posted(personas):
    space = make_space(personas)
    space.status = "archived"
    space.save()
    agree(personas.member, space)
    assert client_for(personas.member).get(reverse("community:thread_create", args=[space.slug])).status_code == 403


def test_moderator_adds_a_peer_host_and_a_member(personas):
    space = make_space(personas, visibility=SpaceVisibility.INVITE_ONLY, governance="peer_led")
    url = reverse("community:space_manage", args=[space.slug])
    moderator = client_for(personas.moderator)
    moderator.post(url, {"form": "person", "email": personas.peer.email, "role": "host"})
    moderator.post(url, {"form": "person", "email": personas.member.email, "role": "member"})
    page = moderator.post(url, {"form": "person", "email": "nobody@example.org", "role": "member"})
    assert "nobody with that email" in page.content.decode()
    roles = dict(SpaceMembership.objects.filter(space=space).values_list("user__email", "role"))
    assert roles == {personas.peer.email: "host", personas.member.email: "member"}
    assert client_for(personas.member).get(reverse("community:space", args=[space.slug])).status_code == 200
    assert client_for(personas.peer).get(url).status_code == 200  # the host manages it too
    moderator.post(url, {"form": "person", "email": personas.member.email, "role": ""})
    assert client_for(personas.member).get(reverse("community:space", args=[space.slug])).status_code == 404
