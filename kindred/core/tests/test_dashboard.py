"""My Kindred: each person sees the ways in to every form, and the tools their roles give them — no more."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def dashboard_for(client, person) -> str:
    client.force_login(person)
    response = client.get(reverse("dashboard"))
    assert response.status_code == 200
    return response.content.decode()


def test_a_member_finds_groups_one_to_one_and_online_but_no_staff_tools(client, personas):
    html = dashboard_for(client, personas.member)
    for name in ("groups:mine", "groups:near", "onetoone:home", "community:spaces", "community:rooms"):
        assert f'href="{reverse(name)}"' in html
    assert reverse("groups:follow_ups") not in html
    assert reverse("onetoone:practice_home") not in html
    assert reverse("community:queue", args=[personas.organisation.slug]) not in html
    assert reverse("onetoone:scheme_create", args=[personas.organisation.slug]) not in html


def test_roles_bring_their_own_tools(client, personas):
    slug = personas.organisation.slug
    assert reverse("groups:follow_ups") in dashboard_for(client, personas.facilitator)
    assert reverse("onetoone:practice_home") in dashboard_for(client, personas.psw)
    assert reverse("onetoone:supervision_home") in dashboard_for(client, personas.supervisor)
    assert reverse("community:queue", args=[slug]) in dashboard_for(client, personas.moderator)
    coordinator = dashboard_for(client, personas.coordinator)
    assert reverse("onetoone:scheme_create", args=[slug]) in coordinator
    assert reverse("community:queue", args=[slug]) in coordinator
    # Another organisation's coordinator sees only their own organisation's tools.
    other = dashboard_for(client, personas.outside_coordinator)
    assert reverse("community:queue", args=[slug]) not in other
    assert reverse("community:queue", args=[personas.other_organisation.slug]) in other


def test_every_linked_page_opens_for_the_person_it_is_shown_to(client, personas):
    for person in (personas.member, personas.facilitator, personas.psw, personas.supervisor, personas.coordinator):
        html = dashboard_for(client, person)
        links = {part.split('"', 1)[0] for part in html.split('href="')[1:] if part.startswith("/")}
        for link in sorted(links):
            if link.startswith(("/static/", "/api/")) or link.endswith(".ics"):
                continue
            assert client.get(link).status_code == 200, (person.email, link)
