from __future__ import annotations

import pytest
from django.conf import settings as django_settings
from django.urls import reverse

from kindred.accounts.models import ConsentKind, ConsentRecord, User
from kindred.core.models import AuditEvent

from .helpers import text

pytestmark = pytest.mark.django_db

SETTINGS = reverse("accounts:settings")
CONSENT = reverse("accounts:consent_update")


@pytest.fixture
def joined(client, django_capture_on_commit_callbacks) -> User:
    """Someone who signed up through the page, so they have real consent records."""
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("accounts:signup"),
            {
                "email": "kit@example.org",
                "display_name": "Kit",
                "password1": "kettle-harbour-lantern",
                "password2": "kettle-harbour-lantern",
                "accept_terms": "on",
                "accept_privacy": "on",
            },
        )
    return User.objects.get(email="kit@example.org")


def test_settings_shows_consents_with_version_and_date(client, joined):
    page = text(client.get(SETTINGS))
    for kind in ConsentKind:
        assert kind.label in page
    assert django_settings.CONSENT_VERSIONS["terms"] in page
    record = ConsentRecord.objects.filter(user=joined, kind=ConsentKind.TERMS).get()
    assert record.recorded_at.strftime("%Y") in page
    assert "Agreed" in page and "Not agreed" in page
    assert reverse("accounts:tokens") in page
    assert reverse("accounts:delete") in page


def test_research_contact_can_be_turned_on_and_off(client, joined):
    client.post(CONSENT, {"research_contact": "on"})
    client.post(CONSENT, {})
    rows = list(
        ConsentRecord.objects.filter(user=joined, kind=ConsentKind.RESEARCH_CONTACT)
        .order_by("recorded_at", "id")
        .values_list("granted", flat=True)
    )
    assert rows == [False, True, False], "each decision is kept: the record is append-only"
    assert AuditEvent.objects.filter(action="consent.recorded").count() == 2
    checkbox = text(client.get(SETTINGS)).split('name="research_contact"')[1].split(">")[0]
    assert "checked" not in checkbox


def test_saving_the_same_research_choice_records_nothing_new(client, joined):
    response = client.post(CONSENT, {}, follow=True)
    assert "No change" in text(response)
    assert ConsentRecord.objects.filter(user=joined, kind=ConsentKind.RESEARCH_CONTACT).count() == 1


def test_consent_update_is_post_only(client, joined):
    assert client.get(CONSENT).status_code == 405


def test_names_can_be_changed(client, joined):
    response = client.post(SETTINGS, {"display_name": "  Kestrel ", "real_name": "Kit Marlowe"}, follow=True)
    assert "Your names are saved" in text(response)
    joined.refresh_from_db()
    assert (joined.display_name, joined.real_name) == ("Kestrel", "Kit Marlowe")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"display_name": "", "real_name": ""}, "Please choose a display name"),
        ({"display_name": "k" * 51, "real_name": ""}, "Please keep this to 50 characters or fewer"),
        ({"display_name": "Kit", "real_name": "r" * 151}, "Please keep this to 150 characters or fewer"),
    ],
)
def test_bad_names_are_refused(client, joined, data, message):
    response = client.post(SETTINGS, data)
    assert response.status_code == 400
    assert message in text(response)
    joined.refresh_from_db()
    assert (joined.display_name, joined.real_name) == ("Kit", "")


@pytest.mark.parametrize(
    "name",
    ["settings", "consent_update", "email_change", "password_change", "delete", "profile", "profile_edit"],
)
def test_account_pages_need_login(client, name):
    response = client.get(reverse(f"accounts:{name}"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))
