"""A general supporter profile for informal connections; "Ask to connect" from profiles; links from a match."""

from __future__ import annotations

import html
import re

import pytest
from django.urls import reverse

from kindred.accounts.models import Profile
from kindred.commons.blocks import block_create
from kindred.groups.tests.core_helpers import join, make_group
from kindred.onetoone import services
from kindred.onetoone.models import Connection, MatchStatus, SupporterProfile, SupporterStatus
from kindred.onetoone.tests.practice_fixtures import make_world
from kindred.testing.clients import client_for
from kindred.testing.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

URL = "/one-to-one/me/supporter-profile/"


def _text(response) -> str:
    return html.unescape(re.sub(r"<[^>]+>", " ", response.content.decode()))


def _general_form(**overrides):
    data = {
        "experience_distress": "I heard voices for years.",
        "experience_distress_visibility": "matched",
        "experience_services": "Two stays in hospital.",
        "experience_services_visibility": "coordinators",
        "wider_life": "I have two dogs.",
        "wider_life_visibility": "seekers",
        "interests_values": "Allotments.",
        "interests_values_visibility": "seekers",
        "languages": "English",
        "channels": ["messages"],
        "availability": ["tue-evening"],
        "capacity": "1",
        "quiet_hours_start": "21:00",
        "quiet_hours_end": "08:00",
    }
    data.update(overrides)
    return data


def _connected(a, b):
    connection = services.connection_request(actor=a, recipient=b)
    return services.connection_respond(actor=b, connection=connection, accept=True)


def test_the_url_is_where_the_page_says():
    assert reverse("onetoone:general_profile") == URL


def test_a_person_keeps_a_general_profile_in_layers_with_capacity_quiet_hours_and_status(personas):
    client = client_for(personas.member)
    assert client.get(URL).status_code == 200

    response = client.post(URL, _general_form())

    assert response.status_code == 302
    profile = SupporterProfile.objects.get(user=personas.member, scheme__isnull=True)
    assert profile.experience_services_visibility == "coordinators"  # shown as "Only me for now"
    assert (profile.availability, profile.capacity) == (["tue-evening"], 1)
    person = Profile.objects.get(user=personas.member)
    assert (str(person.quiet_hours_start), str(person.quiet_hours_end)) == ("21:00:00", "08:00:00")
    page = _text(client.get(URL))
    assert "Only me for now" in page and "People who share a group, space or organisation with me" in page
    assert "Your status: Available for new matches" in page

    client.post(reverse("onetoone:supporter_status", args=[profile.public_id]), {"status": "stepping_back"})
    profile.refresh_from_db()
    assert profile.status == SupporterStatus.STEPPING_BACK


def test_bad_input_is_explained_and_nothing_is_saved(personas):
    client = client_for(personas.member)
    response = client.post(URL, _general_form(capacity="0", quiet_hours_end=""))
    assert response.status_code == 400
    assert not SupporterProfile.objects.exists()
    assert "Ensure this value is greater than or equal to 1" in _text(response)


def test_outsiders_and_anonymous_visitors(client, personas):
    response = client.get(URL)
    assert response.status_code == 302 and "login" in response["Location"]
    assert client_for(personas.member).put(URL).status_code == 405
    client_for(personas.peer).post(URL, _general_form())
    profile = SupporterProfile.objects.get(user=personas.peer)
    # Someone else can't change another person's status.
    response = client_for(personas.member).post(
        reverse("onetoone:supporter_status", args=[profile.public_id]), {"status": "full"}
    )
    assert response.status_code == 404
    profile.refresh_from_db()
    assert profile.status == SupporterStatus.AVAILABLE


def test_each_layer_is_seen_only_by_the_circle_chosen(personas):
    client_for(personas.peer).post(URL, _general_form(capacity="3"))
    connect_url = reverse("onetoone:connect", args=[personas.peer.public_id])
    # Someone who shares the organisation sees only what is shared that widely.
    page = _text(client_for(personas.member).get(connect_url))
    assert "I have two dogs." in page and "Allotments." in page
    assert "I heard voices for years." not in page and "Two stays in hospital." not in page
    # Once connected, the "people I'm connected with" layer is visible too; "only me" never is.
    _connected(personas.member, personas.peer)
    other = UserFactory(email="other@example.org", display_name="Other")
    MembershipFactory(user=other, organisation=personas.organisation, role="member")
    page = _text(client_for(other).get(connect_url))
    assert "I heard voices for years." not in page
    assert services.open_to_new_connections(personas.peer)
    from kindred.onetoone import selectors

    layers = dict(selectors.visible_layers(personas.peer.supporter_profiles.get(), personas.member))
    assert layers["Experience of distress"] == "I heard voices for years."
    assert "Experience of services" not in layers
    # Another organisation's people can't even open the page.
    assert client_for(personas.outsider).get(connect_url).status_code == 404


def test_stepping_back_or_a_full_capacity_stops_new_requests_kindly(personas):
    client_for(personas.peer).post(URL, _general_form(capacity="1"))
    _connected(personas.facilitator, personas.peer)  # her one place is taken
    client = client_for(personas.member)
    url = reverse("onetoone:connect", args=[personas.peer.public_id])
    assert "isn't taking new connections just now" in _text(client.get(url))

    response = client.post(url, {"where_met": "Tuesday group", "note": "Hello", "role": "both"})

    assert response.status_code == 200
    assert "That's about their own capacity, not about you." in _text(response)
    assert not Connection.objects.filter(requester=personas.member).exists()
    # Stepping back works the same way, even with room.
    profile = SupporterProfile.objects.get(user=personas.peer)
    SupporterProfile.objects.filter(pk=profile.pk).update(capacity=5, status=SupporterStatus.STEPPING_BACK)
    client.post(url, {"where_met": "Tuesday group", "note": "Hello", "role": "both"})
    assert not Connection.objects.filter(requester=personas.member).exists()
    SupporterProfile.objects.filter(pk=profile.pk).update(status=SupporterStatus.AVAILABLE)
    client.post(url, {"where_met": "Tuesday group", "note": "Hello", "role": "both"})
    assert Connection.objects.filter(requester=personas.member, recipient=personas.peer).exists()


def test_ask_to_connect_is_offered_on_the_profile_of_someone_in_the_same_group(personas):
    group = make_group(personas)
    join(group, personas.member)
    person_url = reverse("organisations:person", args=[personas.peer.public_id])
    Profile.objects.update_or_create(
        user=personas.peer, defaults={"interests": "Walking", "interests_visibility": "members"}
    )
    client = client_for(personas.member)
    connect_url = reverse("onetoone:connect", args=[personas.peer.public_id])
    # Same organisation but no shared group or space: no button.
    page = client.get(person_url).content.decode()
    assert connect_url not in page
    join(group, personas.peer)
    page = client.get(person_url).content.decode()
    assert connect_url in page and "Ask to connect" in page
    assert client.get(connect_url).status_code == 200
    # Never on your own page; never once a request is open between them.
    assert (
        connect_url
        not in client_for(personas.peer)
        .get(reverse("organisations:person", args=[personas.peer.public_id]))
        .content.decode()
    )
    services.connection_request(actor=personas.member, recipient=personas.peer)
    assert connect_url not in client.get(person_url).content.decode()


def test_ask_to_connect_is_not_offered_when_either_has_blocked_the_other(personas):
    group = make_group(personas)
    join(group, personas.member)
    join(group, personas.peer)
    Profile.objects.update_or_create(
        user=personas.peer, defaults={"interests": "Walking", "interests_visibility": "members"}
    )
    block_create(actor=personas.peer, other=personas.member)
    page = client_for(personas.member).get(reverse("organisations:person", args=[personas.peer.public_id]))
    assert reverse("onetoone:connect", args=[personas.peer.public_id]) not in page.content.decode()


def test_a_match_page_links_to_sessions_and_ending_for_the_two_people(personas):
    world = make_world(personas)
    match_url = reverse("onetoone:match", args=[world.match.public_id])
    sessions = reverse("onetoone:session_list", args=[world.match.public_id])
    ending = reverse("onetoone:practice_ending", args=[world.match.public_id])
    for person in (personas.member, personas.psw):
        client = client_for(person)
        page = client.get(match_url).content.decode()
        assert sessions in page and ending in page
        assert client.get(sessions).status_code == 200 and client.get(ending).status_code == 200
    # The coordinator sees the sessions link (dates only), not the ending.
    page = client_for(personas.coordinator).get(match_url).content.decode()
    assert sessions in page and ending not in page
    # Before both have said yes there is nothing to log: no links.
    world.match.status = MatchStatus.APPROVED
    world.match.save(update_fields=["status"])
    page = client_for(personas.member).get(match_url).content.decode()
    assert sessions not in page and ending not in page


API_ME = "/api/one-to-one/me/supporter-profile"


def test_the_general_profile_over_the_api(client, personas):
    assert client.get(API_ME).status_code == 401
    assert client.put(API_ME, {}, content_type="application/json").status_code == 401
    api = client_for(personas.member)
    assert api.get(API_ME).status_code == 404  # none yet
    response = api.put(
        API_ME,
        {"wider_life": "Two dogs.", "capacity": 3, "availability": ["tue-evening"], "quiet_hours_start": "22:00",
         "quiet_hours_end": "07:00"},
        content_type="application/json",
    )  # fmt: skip
    assert response.status_code == 200
    body = response.json()
    assert body["scheme"] is None and body["capacity"] == 3 and body["quiet_hours_start"] == "22:00:00"
    assert api.get(API_ME).json()["public_id"] == body["public_id"]
    # Bad input: a kind message, nothing changed.
    response = api.put(API_ME, {"capacity": 0}, content_type="application/json")
    assert response.status_code == 422
    response = api.put(API_ME, {"availability": ["someday"]}, content_type="application/json")
    assert response.status_code == 400 and "We don't recognise these times" in response.json()["detail"]
    assert SupporterProfile.objects.get(user=personas.member).capacity == 3
    assert api.post(API_ME, {}, content_type="application/json").status_code == 405
