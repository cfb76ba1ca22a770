from __future__ import annotations

import pytest
from django.urls import reverse

from kindred.testing.factories import CrisisResourceFactory

pytestmark = pytest.mark.django_db

UK_ROUTES = ("116 123", "111 and choose option 2", "999", "85258")


def test_crisis_page_shows_uk_routes_to_anyone(client):
    response = client.get(reverse("safety:crisis"))
    html = response.content.decode()
    assert response.status_code == 200
    for route in UK_ROUTES:
        assert route in html
    assert 'href="tel:116123"' in html
    assert 'href="sms:85258"' in html


def test_signed_in_person_sees_their_organisations_resources_and_not_others(client, personas):
    CrisisResourceFactory(organisation=personas.organisation, name="Riverside night line", phone="0161 496 0000")
    CrisisResourceFactory(organisation=personas.other_organisation, name="Hilltop crisis cafe")
    client.force_login(personas.member)
    html = client.get(reverse("safety:crisis")).content.decode()
    assert "Riverside night line" in html
    assert 'href="tel:01614960000"' in html
    assert "Hilltop crisis cafe" not in html
    assert "What Riverside Peer Support does if it is worried about your safety" in html


def test_visitor_can_choose_an_organisation_for_local_routes(client, personas):
    CrisisResourceFactory(organisation=personas.other_organisation, name="Hilltop crisis cafe")
    html = client.get(reverse("safety:crisis"), {"org": "hilltop"}).content.decode()
    assert "Hilltop crisis cafe" in html
    for route in UK_ROUTES:
        assert route in html


@pytest.mark.parametrize("bad", ["nope", "x" * 5000, "<script>alert(1)</script>", "' OR 1=1 --"])
def test_odd_organisation_choice_still_shows_the_uk_routes(client, bad):
    response = client.get(reverse("safety:crisis"), {"org": bad})
    assert response.status_code == 200
    assert "116 123" in response.content.decode()
    assert "<script>alert(1)</script>" not in response.content.decode()


@pytest.mark.parametrize(
    "url_name",
    ["home", "safety:crisis", "accounts:login", "accounts:signup"],
)
def test_get_help_now_is_in_the_header_of_public_pages(client, url_name):
    html = client.get(reverse(url_name)).content.decode()
    header = html.split("<header", 1)[1].split("</header>", 1)[0]
    assert 'href="/help/"' in header and "Get help now" in header


@pytest.mark.parametrize("url_name", ["dashboard", "accounts:profile", "accounts:settings"])
def test_get_help_now_is_in_the_header_of_signed_in_pages(client, personas, url_name):
    client.force_login(personas.member)
    html = client.get(reverse(url_name)).content.decode()
    header = html.split("<header", 1)[1].split("</header>", 1)[0]
    assert 'href="/help/"' in header and "Get help now" in header


def test_get_help_now_is_in_the_admin_too(admin_client):
    html = admin_client.get("/admin/").content.decode()
    assert 'href="/help/"' in html
