from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from kindred.accounts.models import PROFILE_FIELDS, Profile, Visibility

from .helpers import text

pytestmark = pytest.mark.django_db

PROFILE = reverse("accounts:profile")
EDIT = reverse("accounts:profile_edit")


def profile_form(**overrides: str) -> dict[str, str]:
    """Everything the edit page posts, as it first shows it (all private, all empty)."""
    data = {field: "" for field in PROFILE_FIELDS}
    data.update({f"{field}_visibility": Visibility.ONLY_ME for field in PROFILE_FIELDS})
    data.update(email_notifications="on", quiet_hours_start="", quiet_hours_end="", timezone="Europe/London")
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def test_edit_page_pairs_each_field_with_who_can_see_it(client, personas):
    client.force_login(personas.member)
    page = text(client.get(EDIT))
    assert page.count("<fieldset>") >= len(PROFILE_FIELDS)
    for field in PROFILE_FIELDS:
        assert f'name="{field}"' in page
        assert f'name="{field}_visibility"' in page
        assert f'for="id_{field}_visibility"' in page
    assert "<legend>My experience</legend>" in page
    assert "mental or emotional distress" in page


def test_profile_edit_saves_fields_visibilities_and_contact_preferences(client, personas):
    client.force_login(personas.member)
    response = client.post(
        EDIT,
        profile_form(
            experience="Low times after losing my job.\nWalking helps.",
            experience_visibility=Visibility.MEMBERS,
            age_band="35_44",
            age_band_visibility=Visibility.ANYONE,
            interests="walking, birdsong",
            email_notifications=None,
            quiet_hours_start="21:30",
            quiet_hours_end="07:00",
            timezone="Europe/Dublin",
        ),
        follow=True,
    )
    assert response.redirect_chain[-1][0] == PROFILE
    page = text(response)
    assert "Your profile is saved" in page
    assert "Walking helps." in page
    assert "35–44" in page
    assert "21:30 to 07:00" in page

    profile = Profile.objects.get(user=personas.member)
    assert profile.experience.startswith("Low times")
    assert profile.experience_visibility == Visibility.MEMBERS
    assert profile.age_band == "35_44"
    assert profile.age_band_visibility == Visibility.ANYONE
    assert profile.interests_visibility == Visibility.ONLY_ME
    assert profile.email_notifications is False
    assert (profile.quiet_hours_start, profile.quiet_hours_end) == (datetime.time(21, 30), datetime.time(7, 0))
    assert profile.timezone == "Europe/Dublin"


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"timezone": "Mars/Olympus_Mons"}, "We don't recognise that time zone"),
        ({"timezone": ""}, "This field is required"),
        ({"quiet_hours_start": "22:00"}, "Please give both a start and an end"),
        ({"quiet_hours_end": "06:00"}, "Please give both a start and an end"),
        ({"quiet_hours_start": "22:00", "quiet_hours_end": "22:00"}, "need to end at a different time"),
        ({"quiet_hours_start": "25:99", "quiet_hours_end": "06:00"}, "Enter a valid time"),
        ({"gender": "g" * 81}, "Please keep this to 80 characters or fewer (it has 81)"),
        ({"experience": "e" * 4001}, "Please keep this to 4000 characters or fewer"),
        ({"age_band": "ancient"}, "Select a valid choice"),
        ({"faith_visibility": "everyone-everywhere"}, "Select a valid choice"),
    ],
)
def test_bad_profile_input_is_explained_and_nothing_saved(client, personas, overrides, message):
    client.force_login(personas.member)
    before = Profile.objects.get(user=personas.member)
    response = client.post(EDIT, profile_form(**{"gender": "woman", **overrides}))
    assert response.status_code == 400
    assert message in text(response)
    after = Profile.objects.get(user=personas.member)
    assert after.gender == before.gender == ""
    assert after.updated_at == before.updated_at


def test_my_profile_shows_who_can_see_each_part(client, personas):
    Profile.objects.filter(user=personas.member).update(faith="Quaker", faith_visibility=Visibility.STAFF)
    client.force_login(personas.member)
    page = text(client.get(PROFILE))
    assert "Quaker" in page
    assert "Who can see this: Staff of my organisations" in page
