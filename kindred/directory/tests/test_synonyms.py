"""Coordinators keep the shared synonyms list; search follows it straight away."""

from __future__ import annotations

import html

import pytest
from django.test import Client
from django.urls import reverse

from kindred.core.models import AuditEvent
from kindred.directory.models import Synonym
from kindred.testing.personas import Personas

from .search_data import ensure_default_synonyms, make_offer

pytestmark = pytest.mark.django_db

LIST = reverse("directory:synonyms")
SEARCH = reverse("directory:search")


def text(response: object) -> str:
    return html.unescape(response.content.decode())  # type: ignore[attr-defined]


def found(client: Client, q: str) -> list[str]:
    return [r.offer.slug for r in client.get(SEARCH, {"q": q}).context["page"].results]


@pytest.fixture
def befriending(personas: Personas):  # type: ignore[no-untyped-def]
    return make_offer(
        personas.organisation,
        "befriending-by-phone",
        kind="scheme",
        scheme_type="befriending",
        delivery="phone",
        title="Befriending by Phone",
        summary="A volunteer rings you once a week.",
    )


def test_adding_a_synonym_changes_what_search_finds(client: Client, personas: Personas, befriending) -> None:  # type: ignore[no-untyped-def]
    Synonym.objects.filter(terms__icontains="natter").delete()
    assert found(client, "natter") == []
    client.force_login(personas.coordinator)
    response = client.post(LIST, {"terms": "  natter ,  befriending,chinwag "})
    assert response.status_code == 302
    synonym = Synonym.objects.get(terms="natter, befriending, chinwag")
    assert synonym.updated_by == personas.coordinator
    event = AuditEvent.objects.get(action="directory.synonym_created")
    assert event.actor == personas.coordinator and event.subject_id == str(synonym.public_id)
    assert event.detail == {"terms": "natter, befriending, chinwag"}
    client.logout()
    assert found(client, "natter") == ["befriending-by-phone"]
    assert found(client, "a chinwag") == ["befriending-by-phone"]


def test_editing_and_removing_a_synonym(client: Client, personas: Personas, befriending) -> None:  # type: ignore[no-untyped-def]
    synonym = Synonym.objects.create(terms="natter, befriending")
    client.force_login(personas.outside_coordinator)  # a coordinator of any organisation may
    edit = reverse("directory:synonym_edit", args=[synonym.public_id])
    assert "natter, befriending" in text(client.get(edit))
    assert client.post(edit, {"terms": "gossip, befriending"}).status_code == 302
    synonym.refresh_from_db()
    assert synonym.terms == "gossip, befriending"
    assert AuditEvent.objects.get(action="directory.synonym_updated").detail == {
        "before": "natter, befriending",
        "after": "gossip, befriending",
    }
    assert found(client, "natter") == []
    assert found(client, "gossip") == ["befriending-by-phone"]

    delete = reverse("directory:synonym_delete", args=[synonym.public_id])
    assert "Remove this set?" in text(client.get(delete))
    assert client.post(delete).status_code == 302
    assert not Synonym.objects.filter(pk=synonym.pk).exists()
    assert AuditEvent.objects.get(action="directory.synonym_deleted").detail == {"terms": "gossip, befriending"}
    assert found(client, "gossip") == []


def test_coordinators_find_the_list_from_the_search_page(client: Client, personas: Personas) -> None:
    assert LIST not in text(client.get(SEARCH))
    client.force_login(personas.member)
    assert LIST not in text(client.get(SEARCH))
    client.force_login(personas.coordinator)
    assert f'href="{LIST}"' in text(client.get(SEARCH))


def test_the_list_shows_every_set(client: Client, personas: Personas) -> None:
    ensure_default_synonyms()
    Synonym.objects.create(terms="natter, chinwag")
    client.force_login(personas.coordinator)
    response = client.get(LIST)
    assert response.status_code == 200
    page = text(response)
    assert "natter, chinwag" in page
    assert "hearing voices, voice hearers" in page  # a default set (the data migration seeds them)


@pytest.mark.parametrize(
    ("terms", "message"),
    [
        ("", "Please type at least two words or phrases"),
        ("natter", "Please give at least two words or phrases"),
        ("natter, , ,", "Please give at least two words or phrases"),
        ("natter, Natter", "“Natter” is in the list twice"),
        ("walk, walking", "count as the same word for search"),
        ("natter, " + "x" * 70, "is a bit long for one term"),
        ("natter, !!!", "has no letters or numbers we can search for"),
        (", ".join(f"word{n}" for n in range(16)), "Please keep a set to 15"),
        ("chinwag, natter", "There is already a set with exactly these words"),
        ("x" * 301, "Please keep the whole set under 300 characters"),
    ],
)
def test_invalid_sets_are_refused_kindly_and_change_nothing(
    client: Client, personas: Personas, terms: str, message: str
) -> None:
    Synonym.objects.create(terms="natter, chinwag")
    before = set(Synonym.objects.values_list("terms", flat=True))
    client.force_login(personas.coordinator)
    response = client.post(LIST, {"terms": terms})
    assert response.status_code == 400
    page = text(response)
    assert "There's a problem" in page
    assert message in page
    assert set(Synonym.objects.values_list("terms", flat=True)) == before
    assert not AuditEvent.objects.filter(action__startswith="directory.synonym").exists()


def test_editing_to_a_duplicate_of_another_set_is_refused(client: Client, personas: Personas) -> None:
    Synonym.objects.create(terms="natter, chinwag")
    other = Synonym.objects.create(terms="gossip, chat")
    client.force_login(personas.coordinator)
    response = client.post(reverse("directory:synonym_edit", args=[other.public_id]), {"terms": "Chinwag, natter"})
    assert response.status_code == 400
    assert "There is already a set with exactly these words" in text(response)
    other.refresh_from_db()
    assert other.terms == "gossip, chat"


@pytest.mark.parametrize("who", ["member", "peer", "facilitator", "psw", "moderator", "supervisor", "outsider"])
def test_people_who_are_not_coordinators_get_403(client: Client, personas: Personas, who: str) -> None:
    synonym = Synonym.objects.create(terms="natter, chinwag")
    client.force_login(getattr(personas, who))
    assert client.get(LIST).status_code == 403
    assert client.post(LIST, {"terms": "gossip, chat"}).status_code == 403
    assert client.get(reverse("directory:synonym_edit", args=[synonym.public_id])).status_code == 403
    assert client.post(reverse("directory:synonym_delete", args=[synonym.public_id])).status_code == 403
    assert Synonym.objects.filter(pk=synonym.pk, terms="natter, chinwag").exists()
    assert not Synonym.objects.filter(terms="gossip, chat").exists()


def test_anonymous_people_are_sent_to_log_in(client: Client) -> None:
    synonym = Synonym.objects.create(terms="natter, chinwag")
    for url in (LIST, reverse("directory:synonym_edit", args=[synonym.public_id])):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))
    client.post(LIST, {"terms": "gossip, chat"})
    client.post(reverse("directory:synonym_delete", args=[synonym.public_id]))
    assert Synonym.objects.filter(pk=synonym.pk).exists()
    assert not Synonym.objects.filter(terms="gossip, chat").exists()


def test_wrong_methods_and_unknown_sets(client: Client, personas: Personas) -> None:
    client.force_login(personas.coordinator)
    assert client.put(LIST).status_code == 405
    assert client.delete(LIST).status_code == 405
    missing = "00000000-0000-0000-0000-000000000000"
    assert client.get(reverse("directory:synonym_edit", args=[missing])).status_code == 404
    assert client.post(reverse("directory:synonym_delete", args=[missing])).status_code == 404
