from __future__ import annotations

import html

import pytest
from django.urls import reverse

from kindred.accounts.models import Profile
from kindred.notifications.models import Notification
from kindred.onetoone import services
from kindred.onetoone.models import MatchStatus, SupporterProfile, SupporterStatus
from kindred.testing.clients import client_for

from .core_helpers import make_scheme, make_supporter

pytestmark = pytest.mark.django_db


def _profile_form(**overrides):
    data = {
        "experience_distress": "I heard voices for years.",
        "experience_distress_visibility": "matched",
        "experience_services": "Inpatient stays.",
        "experience_services_visibility": "coordinators",
        "wider_life": "",
        "wider_life_visibility": "matched",
        "interests_values": "Music, walking.",
        "interests_values_visibility": "seekers",
        "experience_tags": "hearing voices",
        "interest_tags": "music",
        "value_tags": "",
        "languages": "English, Polish",
        "channels": ["messages"],
        "availability": ["tue-evening", "sat-morning"],
        "postcode": "",
        "capacity": "2",
        "quiet_hours_start": "21:00",
        "quiet_hours_end": "08:00",
    }
    data.update(overrides)
    return data


def test_supporter_shares_in_layers_with_availability_and_quiet_hours(personas):
    scheme = make_scheme(personas.coordinator, personas.organisation)
    client = client_for(personas.peer)
    response = client.post(reverse("onetoone:supporter_profile", args=[scheme.public_id]), _profile_form())
    assert response.status_code == 302
    profile = SupporterProfile.objects.get(user=personas.peer, scheme=scheme)
    assert profile.experience_services_visibility == "coordinators"
    assert profile.availability == ["tue-evening", "sat-morning"]
    # Quiet hours are the person's own, for all of Kindred: the same setting as in their profile.
    person = Profile.objects.get(user=personas.peer)
    assert (str(person.quiet_hours_start), str(person.quiet_hours_end)) == ("21:00:00", "08:00:00")
    page = client.get(reverse("onetoone:supporter_profile", args=[scheme.public_id])).content.decode()
    assert 'value="21:00"' in page or 'value="21:00:00"' in page
    assert profile.status == SupporterStatus.AVAILABLE


def test_members_without_a_supporting_role_cannot_register(personas):
    scheme = make_scheme(personas.coordinator, personas.organisation)
    assert (
        client_for(personas.member).get(reverse("onetoone:supporter_profile", args=[scheme.public_id])).status_code
        == 403
    )
    psw_scheme = make_scheme(personas.coordinator, personas.organisation, kind="psw", title="PSW service")
    assert (
        client_for(personas.peer).get(reverse("onetoone:supporter_profile", args=[psw_scheme.public_id])).status_code
        == 403
    )
    assert (
        client_for(personas.psw).get(reverse("onetoone:supporter_profile", args=[psw_scheme.public_id])).status_code
        == 200
    )


def _active_match(personas, scheme, profile):
    request = services.match_request_create(actor=personas.member, scheme=scheme, languages="English")
    match = services.match_propose(actor=personas.coordinator, request=request, profile=profile)
    services.match_approve(actor=personas.coordinator, match=match)
    services.match_respond(actor=personas.member, match=match, accept=True)
    services.match_respond(actor=personas.peer, match=match, accept=True)
    match.refresh_from_db()
    return match


def test_capacity_below_current_load_is_refused_kindly(personas):
    scheme = make_scheme(personas.coordinator, personas.organisation)
    profile = make_supporter(personas.peer, scheme, capacity=2)
    _active_match(personas, scheme, profile)
    services.match_request_create(actor=personas.facilitator, scheme=scheme, languages="English")
    request2 = scheme.requests.get(seeker=personas.facilitator)
    services.match_propose(actor=personas.coordinator, request=request2, profile=profile)
    response = client_for(personas.peer).post(
        reverse("onetoone:supporter_profile", args=[scheme.public_id]), _profile_form(capacity="1")
    )
    assert response.status_code == 200
    assert "capacity can't be lower than 2" in html.unescape(response.content.decode())
    profile.refresh_from_db()
    assert profile.capacity == 2


def test_stepping_back_pauses_new_matches_tells_coordinator_and_keeps_current(
    personas, django_capture_on_commit_callbacks
):
    scheme = make_scheme(personas.coordinator, personas.organisation)
    profile = make_supporter(personas.peer, scheme, capacity=3)
    match = _active_match(personas, scheme, profile)
    with django_capture_on_commit_callbacks(execute=True):
        client_for(personas.peer).post(
            reverse("onetoone:supporter_status", args=[profile.public_id]), {"status": "stepping_back"}
        )
    profile.refresh_from_db()
    assert profile.status == SupporterStatus.STEPPING_BACK
    match.refresh_from_db()
    assert match.status == MatchStatus.ACTIVE  # the current relationship carries on
    assert Notification.objects.filter(user=personas.coordinator, kind="onetoone.supporter_stepping_back").exists()
    # No new matches while stepping back.
    other = services.match_request_create(actor=personas.facilitator, scheme=scheme, languages="English")
    with pytest.raises(services.OneToOneError):
        services.match_propose(actor=personas.coordinator, request=other, profile=profile)
    from kindred.onetoone.matching.adapter import suggestions_for

    assert suggestions_for(other) == []


def test_stepping_back_can_end_current_matches_if_the_supporter_chooses(personas):
    scheme = make_scheme(personas.coordinator, personas.organisation)
    profile = make_supporter(personas.peer, scheme, capacity=3)
    match = _active_match(personas, scheme, profile)
    client_for(personas.peer).post(
        reverse("onetoone:supporter_status", args=[profile.public_id]), {"status": "stepping_back", "end_current": "on"}
    )
    match.refresh_from_db()
    assert match.status == MatchStatus.ENDED and match.end_reason == "stepping_back"
    assert Notification.objects.filter(user=personas.member, kind="onetoone.match_ended").exists()


def test_someone_else_cannot_change_a_supporters_status(personas):
    scheme = make_scheme(personas.coordinator, personas.organisation)
    profile = make_supporter(personas.peer, scheme)
    response = client_for(personas.coordinator).post(
        reverse("onetoone:supporter_status", args=[profile.public_id]), {"status": "full"}
    )
    assert response.status_code == 404
    profile.refresh_from_db()
    assert profile.status == SupporterStatus.AVAILABLE


def test_layers_are_shown_only_to_the_circle_chosen(personas):
    scheme = make_scheme(personas.coordinator, personas.organisation, matching_mode="chooses")
    client_for(personas.peer).post(reverse("onetoone:supporter_profile", args=[scheme.public_id]), _profile_form())
    request = services.match_request_create(
        actor=personas.member, scheme=scheme, languages="English", interest_tags="music"
    )
    page = html.unescape(
        client_for(personas.member).get(reverse("onetoone:request", args=[request.public_id])).content.decode()
    )
    assert "Music, walking." in page  # shared with people looking for a match
    assert "I heard voices for years." not in page  # only once matched
    assert "Inpatient stays." not in page  # coordinators only
    coordinator_page = html.unescape(
        client_for(personas.coordinator).get(reverse("onetoone:request", args=[request.public_id])).content.decode()
    )
    assert "Inpatient stays." in coordinator_page
