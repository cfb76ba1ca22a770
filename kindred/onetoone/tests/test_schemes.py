from __future__ import annotations

import html

import pytest
from django.urls import reverse

from kindred.core.models import AuditEvent
from kindred.directory.models import Offer, OfferKind
from kindred.notifications.models import Notification
from kindred.onetoone.models import MatchRequest, Scheme
from kindred.testing.clients import client_for

from .core_helpers import make_scheme

pytestmark = pytest.mark.django_db


def _scheme_form(**overrides):
    data = {
        "title": "Pen-friends by email",
        "summary": "Write to someone who understands.",
        "description": "",
        "kind": "pen_friends",
        "matching_mode": "chooses",
        "channels": ["messages"],
        "default_capacity": "3",
        "session_limit": "",
        "eligibility": "",
        "caseload_cap": "",
        "town": "",
    }
    data.update(overrides)
    return data


def test_coordinator_sets_up_a_scheme_listed_as_an_offer(personas):
    client = client_for(personas.coordinator)
    response = client.post(reverse("onetoone:scheme_create", args=["riverside"]), _scheme_form())
    assert response.status_code == 302
    scheme = Scheme.objects.get()
    assert scheme.session_limit is None  # off by default
    assert scheme.eligibility == ""  # open by default
    assert scheme.offer.kind == OfferKind.SCHEME and scheme.offer.scheme_type == "pen_friends"
    assert scheme.channels == ["messages"] and scheme.default_capacity == 3
    assert AuditEvent.objects.filter(action="onetoone.scheme_create").exists()
    # The directory lists it, and its page offers a match request.
    page = client_for(personas.member).get(reverse("onetoone:scheme", args=[scheme.public_id])).content.decode()
    assert "Ask for a match" in page and "Open to anyone" in page


def test_psw_service_is_listed_as_a_psw_offer(personas):
    scheme = make_scheme(
        personas.coordinator, personas.organisation, kind="psw", title="Peer support workers", caseload_cap=8
    )
    assert scheme.offer.kind == OfferKind.PSW_SERVICE
    assert scheme.caseload_cap == 8


def test_bad_scheme_input_changes_nothing(personas):
    client = client_for(personas.coordinator)
    response = client.post(
        reverse("onetoone:scheme_create", args=["riverside"]), _scheme_form(channels=[], default_capacity="0")
    )
    assert response.status_code == 200
    assert "There&#x27;s a problem" in response.content.decode() or "There's a problem" in html.unescape(
        response.content.decode()
    )
    assert not Scheme.objects.exists() and not Offer.objects.exists()


def test_only_coordinators_set_up_or_manage_schemes(personas):
    url = reverse("onetoone:scheme_create", args=["riverside"])
    assert client_for(personas.member).get(url).status_code == 403
    assert client_for(personas.outside_coordinator).get(url).status_code == 404
    scheme = make_scheme(personas.coordinator, personas.organisation)
    manage = reverse("onetoone:scheme_manage", args=[scheme.public_id])
    assert client_for(personas.coordinator).get(manage).status_code == 200
    assert client_for(personas.peer).get(manage).status_code == 403
    assert client_for(personas.outside_coordinator).get(manage).status_code == 404
    settings_url = reverse("onetoone:scheme_settings", args=[scheme.public_id])
    assert client_for(personas.outside_coordinator).post(settings_url, {"default_capacity": "5"}).status_code == 404


def test_settings_update_and_session_limit_is_optional(personas):
    scheme = make_scheme(personas.coordinator, personas.organisation)
    client = client_for(personas.coordinator)
    response = client.post(
        reverse("onetoone:scheme_settings", args=[scheme.public_id]),
        {
            "matching_mode": "batch",
            "channels": ["messages", "video"],
            "default_capacity": "4",
            "session_limit": "12",
            "eligibility": "Adults in Riverside",
            "caseload_cap": "",
            "accepting_requests": "on",
        },
    )
    assert response.status_code == 302
    scheme.refresh_from_db()
    assert (scheme.matching_mode, scheme.default_capacity, scheme.session_limit) == ("batch", 4, 12)
    assert scheme.offer.eligibility == "Adults in Riverside"


def test_person_requests_a_match_and_coordinators_are_told(personas):
    scheme = make_scheme(personas.coordinator, personas.organisation)
    client = client_for(personas.member)
    response = client.post(
        reverse("onetoone:request_create", args=[scheme.public_id]),
        {
            "about": "I hear voices and would like someone to talk to",
            "experience_tags": "hearing voices",
            "interest_tags": "music",
            "languages": "English",
            "channels": ["messages"],
            "availability": ["tue-evening"],
            "pref_gender": "woman",
            "pref_gender_strength": "prefer",
        },
    )
    assert response.status_code == 302
    request = MatchRequest.objects.get()
    assert request.preferences == {"gender": {"value": "woman", "strength": "prefer"}}
    assert request.availability == ["tue-evening"]
    assert Notification.objects.filter(user=personas.coordinator, kind="onetoone.match_request").exists()
    duplicate = client.post(reverse("onetoone:request_create", args=[scheme.public_id]), {"languages": "English"})
    assert "already asked this scheme" in html.unescape(duplicate.content.decode())
    assert MatchRequest.objects.count() == 1


def test_request_preference_without_value_is_explained(personas):
    scheme = make_scheme(personas.coordinator, personas.organisation)
    response = client_for(personas.member).post(
        reverse("onetoone:request_create", args=[scheme.public_id]),
        {"languages": "English", "pref_faith": "", "pref_faith_strength": "must"},
    )
    assert response.status_code == 200
    assert "No preference" in html.unescape(response.content.decode())
    assert not MatchRequest.objects.exists()


def test_offer_page_links_to_the_match_request(personas):
    scheme = make_scheme(personas.coordinator, personas.organisation)
    page = client_for(personas.member).get(reverse("directory:offer", args=[scheme.offer.slug])).content.decode()
    assert reverse("onetoone:request_create", args=[scheme.public_id]) in page
