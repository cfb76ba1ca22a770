"""The signed-in person's own account over the API: names, profile, consents, and what others share."""

from __future__ import annotations

import uuid

import pytest
from django.conf import settings

from kindred.accounts import services
from kindred.accounts.models import PROFILE_FIELDS, ConsentRecord, Profile, Visibility
from kindred.core.models import AuditEvent
from kindred.testing.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(client, personas):
    """A client speaking for the member with a bearer token."""
    _token, raw = services.api_token_create(actor=personas.member, name="Tests")
    client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {raw}"
    return client


def patch(client, path: str, body: dict):
    return client.patch(path, data=body, content_type="application/json")


def post(client, path: str, body: dict):
    return client.post(path, data=body, content_type="application/json")


def assert_kind_error(response, status: int, *phrases: str) -> None:
    assert response.status_code == status, response.content
    detail = response.json()["detail"]
    assert isinstance(detail, str) and detail
    for phrase in phrases:
        assert phrase in detail, detail


# --- /api/me -----------------------------------------------------------------------------------------


def test_me_shows_my_account(api, personas):
    response = api.get("/api/me")

    assert response.status_code == 200
    assert response.json() == {
        "public_id": str(personas.member.public_id),
        "email": "member@example.org",
        "display_name": "Member",
        "real_name": "",
        "email_verified": True,
    }


def test_me_changes_only_the_names_sent(api, personas):
    response = patch(api, "/api/me", {"real_name": "  Robin Ashdown "})

    assert response.status_code == 200
    assert response.json()["real_name"] == "Robin Ashdown"
    personas.member.refresh_from_db()
    assert (personas.member.display_name, personas.member.real_name) == ("Member", "Robin Ashdown")


@pytest.mark.parametrize(
    ("body", "phrase"),
    [
        ({"display_name": "   "}, "Please choose a display name"),
        ({"display_name": None}, "Please choose a display name"),
        ({"display_name": "x" * 51}, "display_name"),
        ({"email": "sneaky@example.org"}, "email"),
        ({"is_staff": True}, "is_staff"),
    ],
)
def test_me_refuses_bad_names_and_unknown_fields_and_changes_nothing(api, personas, body, phrase):
    response = patch(api, "/api/me", body)

    assert_kind_error(response, 422, phrase)
    personas.member.refresh_from_db()
    assert personas.member.display_name == "Member"
    assert personas.member.email == "member@example.org"
    assert personas.member.is_staff is False


def test_a_body_that_is_not_json_gets_a_kind_400(api, personas):
    response = api.patch("/api/me", data="{not json", content_type="application/json")

    assert_kind_error(response, 400, "Please send JSON")


# --- /api/me/profile ---------------------------------------------------------------------------------


def test_profile_starts_private_and_empty(api):
    response = api.get("/api/me/profile")

    assert response.status_code == 200
    body = response.json()
    for field in PROFILE_FIELDS:
        assert body[field] == ""
        assert body[f"{field}_visibility"] == Visibility.ONLY_ME
    assert body["email_notifications"] is True
    assert body["timezone"] == "Europe/London"


def test_profile_update_stores_fields_visibilities_and_contact_preferences(api, personas):
    response = patch(
        api,
        "/api/me/profile",
        {
            "experience": "Hearing voices since my twenties.",
            "experience_visibility": "members",
            "age_band": "35_44",
            "interests": "walking, music",
            "interests_visibility": "anyone",
            "email_notifications": False,
            "quiet_hours_start": "21:00",
            "quiet_hours_end": "08:30",
            "timezone": "Europe/Dublin",
        },
    )

    assert response.status_code == 200, response.content
    assert response.json()["quiet_hours_start"] == "21:00:00"
    profile = Profile.objects.get(user=personas.member)
    assert profile.experience == "Hearing voices since my twenties."
    assert profile.experience_visibility == "members"
    assert profile.age_band == "35_44"
    assert profile.interests_visibility == "anyone"
    assert profile.gender_visibility == "only_me"  # untouched
    assert profile.email_notifications is False
    assert str(profile.quiet_hours_start) == "21:00:00"
    assert profile.timezone == "Europe/Dublin"


def test_quiet_hours_can_be_cleared_with_null(api, personas):
    patch(api, "/api/me/profile", {"quiet_hours_start": "21:00"})

    response = patch(api, "/api/me/profile", {"quiet_hours_start": None})

    assert response.status_code == 200
    assert Profile.objects.get(user=personas.member).quiet_hours_start is None


@pytest.mark.parametrize(
    ("body", "phrase"),
    [
        ({"experience_visibility": "everyone"}, "experience_visibility"),
        ({"age_band": "ancient"}, "age_band"),
        ({"timezone": "Mars/Olympus"}, "time zone name such as Europe/London"),
        ({"quiet_hours_start": "25:00"}, "quiet_hours_start"),
        ({"gender": "x" * 81}, "gender"),
        ({"gender": None}, "To clear a text field"),
        ({"diagnosis": "anything"}, "diagnosis"),
        ({"faith": "Quaker", "experience_visibility": "everyone"}, "experience_visibility"),
    ],
)
def test_profile_refuses_invalid_values_and_stores_nothing(api, personas, body, phrase):
    before = Profile.objects.filter(user=personas.member).values().get()

    response = patch(api, "/api/me/profile", body)

    assert_kind_error(response, 422, phrase, "Nothing has been changed")
    assert response.json()["errors"]
    assert Profile.objects.filter(user=personas.member).values().get() == before


# --- /api/me/consents --------------------------------------------------------------------------------


def test_consents_list_every_kind_with_my_latest_choice(api, personas):
    services.consent_set(actor=personas.member, kind="research_contact", granted=False)

    response = api.get("/api/me/consents")

    assert response.status_code == 200
    by_kind = {row["kind"]: row for row in response.json()}
    assert set(by_kind) == {"terms", "privacy", "research_contact"}
    assert by_kind["research_contact"]["granted"] is False
    assert by_kind["research_contact"]["version"] == settings.CONSENT_VERSIONS["research_contact"]
    assert by_kind["terms"]["granted"] is None  # this persona never went through signup


def test_research_contact_can_be_given_and_withdrawn_and_each_choice_is_kept(api, personas):
    given = post(api, "/api/me/consents", {"kind": "research_contact", "granted": True})
    withdrawn = post(api, "/api/me/consents", {"granted": False})

    assert given.status_code == withdrawn.status_code == 200
    assert withdrawn.json()["granted"] is False
    rows = ConsentRecord.objects.filter(user=personas.member, kind="research_contact").order_by("id")
    assert [r.granted for r in rows] == [True, False]
    assert AuditEvent.objects.filter(action="consent.recorded", actor=personas.member).count() == 2


@pytest.mark.parametrize(
    ("body", "status", "phrase"),
    [
        ({"kind": "terms", "granted": False}, 400, "delete your account"),
        ({"kind": "research_contact"}, 422, "granted"),
        ({"kind": "research_contact", "granted": "perhaps"}, 422, "granted"),
    ],
)
def test_consent_changes_that_cannot_be_made_here_are_refused(api, personas, body, status, phrase):
    response = post(api, "/api/me/consents", body)

    assert_kind_error(response, status, phrase)
    assert not ConsentRecord.objects.filter(user=personas.member).exists()


# --- /api/people/{public_id} -------------------------------------------------------------------------


def share(user, **fields_and_visibilities: str) -> None:
    profile = user.profile
    for field, value in fields_and_visibilities.items():
        setattr(profile, field, value)
    profile.save()


def test_people_shows_only_what_the_person_shares_with_me(api, personas):
    share(
        personas.peer,
        interests="gardening",
        interests_visibility="members",
        faith="Buddhist",
        faith_visibility="staff",
        gender="Non-binary",
        gender_visibility="only_me",
    )

    response = api.get(f"/api/people/{personas.peer.public_id}")

    assert response.status_code == 200
    assert response.json() == {
        "public_id": str(personas.peer.public_id),
        "display_name": "Peer",
        "profile": {"interests": "gardening"},
    }


def test_staff_see_what_is_shared_with_staff(client, personas):
    share(personas.peer, faith="Buddhist", faith_visibility="staff")
    client.force_login(personas.coordinator)

    response = client.get(f"/api/people/{personas.peer.public_id}")

    assert response.json()["profile"] == {"faith": "Buddhist"}


def test_people_outside_my_organisations_see_only_what_is_shared_with_anyone(client, personas):
    share(
        personas.peer, interests="gardening", interests_visibility="members", faith="Quaker", faith_visibility="anyone"
    )
    client.force_login(personas.outsider)

    response = client.get(f"/api/people/{personas.peer.public_id}")

    assert response.json()["profile"] == {"faith": "Quaker"}


def test_people_gives_404_when_nothing_is_shared_or_no_such_person(api, personas):
    share(personas.peer, gender="Non-binary", gender_visibility="only_me")
    UserFactory(email="stranger@example.org")

    hidden = api.get(f"/api/people/{personas.peer.public_id}")
    missing = api.get(f"/api/people/{uuid.uuid4()}")

    assert_kind_error(hidden, 404, "couldn't find")
    assert hidden.json() == missing.json()  # no way to tell "exists but private" from "doesn't exist"
    assert "Non-binary" not in hidden.content.decode()


def test_people_with_a_malformed_id_gets_a_kind_422(api):
    assert_kind_error(api.get("/api/people/not-a-uuid"), 422, "public_id")


def test_i_can_see_all_of_my_own_profile(api, personas):
    share(personas.member, gender="Woman", gender_visibility="only_me")

    response = api.get(f"/api/people/{personas.member.public_id}")

    assert response.json()["profile"] == {"gender": "Woman"}
