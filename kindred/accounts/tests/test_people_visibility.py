"""Each profile field, at each visibility, seen (or not) by each kind of viewer."""

from __future__ import annotations

import uuid

import pytest
from django.urls import reverse

from kindred.accounts.models import PROFILE_FIELDS, Profile, Visibility
from kindred.testing.factories import UserFactory

from .helpers import text

pytestmark = pytest.mark.django_db

# A value per field that appears nowhere else on the page (the age band shows its label).
VALUES = {field: f"{field}-secret-value" for field in PROFILE_FIELDS} | {"age_band": "55_64"}
SHOWN_AS = {field: VALUES[field] for field in PROFILE_FIELDS} | {"age_band": "55–64"}

VIEWERS = ["owner", "coordinator", "psw", "same_org_member", "outsider", "anonymous"]
# Which visibilities each viewer may see.
MAY_SEE = {
    "owner": {Visibility.ONLY_ME, Visibility.STAFF, Visibility.MEMBERS, Visibility.ANYONE},
    "coordinator": {Visibility.STAFF, Visibility.MEMBERS, Visibility.ANYONE},
    "psw": {Visibility.STAFF, Visibility.MEMBERS, Visibility.ANYONE},
    "same_org_member": {Visibility.MEMBERS, Visibility.ANYONE},
    "outsider": {Visibility.ANYONE},
    "anonymous": {Visibility.ANYONE},
}
SHARES_AN_ORGANISATION = {"owner", "coordinator", "psw", "same_org_member"}


def log_in_as(client, personas, viewer: str) -> None:
    people = {
        "owner": personas.member,
        "coordinator": personas.coordinator,
        "psw": personas.psw,
        "same_org_member": personas.peer,
        "outsider": personas.outsider,
    }
    if viewer in people:
        client.force_login(people[viewer])


@pytest.mark.parametrize("viewer", VIEWERS)
@pytest.mark.parametrize("field", PROFILE_FIELDS)
def test_each_field_is_shown_only_to_whom_its_owner_chose(client, personas, field, viewer):
    subject = personas.member
    subject.real_name = "Margaret Oakfield"
    subject.save()
    log_in_as(client, personas, viewer)
    url = reverse("organisations:person", args=[subject.public_id])

    for visibility in Visibility:
        Profile.objects.filter(user=subject).update(**{field: VALUES[field], f"{field}_visibility": visibility})
        response = client.get(url)
        if visibility in MAY_SEE[viewer]:
            assert response.status_code == 200, visibility
            assert SHOWN_AS[field] in text(response), visibility
        elif viewer in SHARES_AN_ORGANISATION:
            assert response.status_code == 200, visibility
            assert SHOWN_AS[field] not in text(response), visibility
        else:
            # Nothing public and no shared organisation: the person is not even admitted to exist.
            assert response.status_code == 404, visibility
            assert SHOWN_AS[field] not in text(response), visibility
        if response.status_code == 200:
            page = text(response)
            assert subject.display_name in page
            assert "member@example.org" not in page
            assert "Margaret Oakfield" not in page


@pytest.mark.parametrize("viewer", ["coordinator", "same_org_member"])
def test_people_who_share_an_organisation_see_the_display_name_even_if_nothing_is_shared(client, personas, viewer):
    log_in_as(client, personas, viewer)
    response = client.get(reverse("organisations:person", args=[personas.member.public_id]))
    assert response.status_code == 200
    assert "Member hasn't shared anything about themselves with you yet" in text(response)


def test_outside_coordinator_is_an_outsider(client, personas):
    Profile.objects.filter(user=personas.member).update(gender="woman", gender_visibility=Visibility.STAFF)
    client.force_login(personas.outside_coordinator)
    assert client.get(reverse("organisations:person", args=[personas.member.public_id])).status_code == 404


def test_someone_with_no_organisation_and_public_fields_can_be_seen_by_anyone(client, db):
    loner = UserFactory(display_name="Heron")
    Profile.objects.filter(user=loner).update(interests="kayaking", interests_visibility=Visibility.ANYONE)
    response = client.get(reverse("organisations:person", args=[loner.public_id]))
    assert response.status_code == 200
    assert "kayaking" in text(response)


def test_unknown_and_deactivated_people_are_not_found(client, personas):
    client.force_login(personas.coordinator)
    assert client.get(reverse("organisations:person", args=[uuid.uuid4()])).status_code == 404
    personas.member.is_active = False
    personas.member.save()
    assert client.get(reverse("organisations:person", args=[personas.member.public_id])).status_code == 404


def test_owner_is_told_this_is_their_own_page(client, personas):
    client.force_login(personas.member)
    response = client.get(reverse("organisations:person", args=[personas.member.public_id]))
    assert "This is your own page" in text(response)
