"""Ending well, disclosure and boundary-dilemma logs, caseload caps and the coordinator's practice settings."""

from __future__ import annotations

import html
import re
from datetime import timedelta

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from kindred.commons.models import Engagement
from kindred.core.models import AuditEvent
from kindred.directory.models import Offer
from kindred.onetoone import services
from kindred.onetoone.models import (
    BoundaryDilemma,
    DisclosureLog,
    Ending,
    MatchRequest,
    MatchStatus,
    Scheme,
    Session,
    SupervisionAssignment,
    SupporterProfile,
)
from kindred.onetoone.tests.practice_fixtures import login, make_scheme, make_world

pytestmark = pytest.mark.django_db


def raw(model, column, pk):
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {model._meta.db_table} WHERE id = %s", [pk])  # noqa: S608 - names from the model
        return cursor.fetchone()[0]


def held_session(world):
    return Session.objects.create(
        match=world.match,
        starts_at=timezone.now() - timedelta(days=2),
        duration_minutes=60,
        channel="phone",
        status="held",
        logged_by=world.p.psw,
    )


# --- Ending well ---------------------------------------------------------------------------------------------------


def test_ending_well_closes_the_match_keeps_a_private_reflection_and_suggests_what_next(client, personas):
    world = make_world(personas)
    group = make_scheme(personas, title="Riverside Walking Group Listing", kind="befriending").offer
    Offer.objects.filter(pk=group.pk).update(kind="group")  # a group listed by the same organisation
    url = reverse("onetoone:practice_ending", args=[world.match.public_id])
    login(client, personas.member)
    page = client.get(url)
    assert "Bring this one-to-one to a close" in page.content.decode()

    # Not confirmed: nothing changes.
    response = client.post(url, {"reflection": "Thank you", "suggested_forms": ["group"]})
    assert response.status_code == 400 and "tick the box" in response.content.decode()
    world.match.refresh_from_db()
    assert world.match.status == MatchStatus.ACTIVE

    response = client.post(
        url, {"reflection": "Our walks got me out again", "suggested_forms": ["group", "online"], "confirm": "on"}
    )
    assert response.status_code == 302
    world.match.refresh_from_db()
    assert world.match.status == MatchStatus.ENDED and world.match.ended_by == personas.member
    ending = Ending.objects.get(match=world.match)
    assert ending.suggested_forms == ["group", "online"]
    assert "walks" not in raw(Ending, "reflection", ending.pk)

    page = client.get(url).content.decode()
    assert "Our walks got me out again" in page
    assert "A peer support group" in page and "?kind=group" in page and "?kind=online_space" in page
    assert "Riverside Walking Group Listing" in page  # a real group of the same organisation
    offers = page.split('data-testid="suggested-offers"')[1].split("</ul>")[0]
    assert "Riverside Walking Group Listing" in offers and "Peer Support Workers" not in offers

    # The worker sees the suggestions but not the other person's reflection; no new sessions can be added.
    login(client, personas.psw)
    page = client.get(url).content.decode()
    assert "A peer support group" in page and "Our walks" not in page
    assert personas.psw.notifications.filter(kind="onetoone.match_ended").exists()
    response = client.post(
        reverse("onetoone:session_list", args=[world.match.public_id]),
        {"starts_at": "2026-01-01T10:00", "duration_minutes": "30", "channel": "phone", "status": "held"},
    )
    assert response.status_code == 400 and "has ended" in response.content.decode()
    # Ending again changes nothing.
    client.post(url, {"confirm": "on"})
    assert Ending.objects.count() == 1


def test_ending_closes_the_engagements_of_both_people(client, personas):
    world = make_world(personas)
    from kindred.commons.spine import engagement_record

    for person, role in ((personas.member, "receiving"), (personas.psw, "giving")):
        engagement_record(
            person=person, subject=world.match, form="one_to_one", role=role, organisation=personas.organisation
        )
    login(client, personas.psw)
    client.post(reverse("onetoone:practice_ending", args=[world.match.public_id]), {"confirm": "on"})
    assert not Engagement.objects.filter(ended_at__isnull=True).exists()
    assert Engagement.objects.filter(ended_at__isnull=False).count() == 2


# --- Disclosure log ------------------------------------------------------------------------------------------------


def test_the_worker_logs_a_disclosure_encrypted_and_the_person_supported_cannot(client, personas):
    world = make_world(personas)
    session = held_session(world)
    url = reverse("onetoone:session_disclosure_add", args=[session.public_id])
    login(client, personas.psw)
    response = client.post(
        url,
        {
            "layer": "services",
            "what_i_shared": "That I was sectioned in 2015",
            "why": "To show it can get better",
            "helpful": "helpful",
        },
    )
    assert response.status_code == 302
    entry = DisclosureLog.objects.get()
    assert (entry.layer, entry.helpful, entry.worker) == ("services", "helpful", personas.psw)
    assert "sectioned" not in raw(DisclosureLog, "what_i_shared", entry.pk)
    page = client.get(reverse("onetoone:practice_home")).content.decode()
    assert "That I was sectioned in 2015" in page and "They found it helpful" in page

    # Helpfulness is optional.
    client.post(url, {"layer": "wider_life", "what_i_shared": "I have a dog too"})
    assert DisclosureLog.objects.get(layer="wider_life").helpful == ""
    # A missing description gets a kind message.
    response = client.post(url, {"layer": "distress", "what_i_shared": ""})
    assert response.status_code == 400 and "Please say briefly what you shared" in response.content.decode()

    login(client, personas.member)
    assert client.post(url, {"layer": "distress", "what_i_shared": "x"}).status_code == 403
    login(client, personas.outsider)
    assert client.post(url, {"layer": "distress", "what_i_shared": "x"}).status_code == 404
    assert DisclosureLog.objects.count() == 2


# --- Boundary dilemmas ---------------------------------------------------------------------------------------------


def test_a_worker_logs_a_boundary_dilemma_kindly_validated_and_encrypted(client, personas):
    make_world(personas)
    url = reverse("onetoone:practice_dilemma_add")
    login(client, personas.psw)
    assert client.get(url).status_code == 200
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    response = client.post(url, {"organisation": "riverside", "occurred_on": tomorrow, "what_happened": "A gift"})
    assert response.status_code == 400 and "That date is in the future" in response.content.decode()
    assert not BoundaryDilemma.objects.exists()

    today = timezone.localdate().isoformat()
    response = client.post(
        url,
        {
            "organisation": "riverside",
            "occurred_on": today,
            "what_happened": "Asked me to be their Facebook friend",
            "what_i_did": "Said I'd think about it",
            "bring_to_supervision": "on",
        },
    )
    assert response.status_code == 302
    dilemma = BoundaryDilemma.objects.get()
    assert dilemma.bring_to_supervision and dilemma.organisation == personas.organisation
    assert "Facebook" not in raw(BoundaryDilemma, "what_happened", dilemma.pk)
    assert "Asked me to be their Facebook friend" in client.get(reverse("onetoone:practice_home")).content.decode()

    # Someone who doesn't give support anywhere has no dilemma log; another organisation can't be chosen.
    response = client.post(url, {"organisation": "hilltop", "occurred_on": today, "what_happened": "x"})
    assert response.status_code == 400
    login(client, personas.member)
    assert client.get(url).status_code == 404
    assert BoundaryDilemma.objects.count() == 1


# --- Caseload caps -------------------------------------------------------------------------------------------------


def _request_and_profile(world, seeker, scheme=None):
    scheme = scheme or world.scheme
    profile = SupporterProfile.objects.filter(
        user=world.p.psw, scheme=scheme
    ).first() or services.supporter_profile_save(
        actor=world.p.psw, scheme=scheme, capacity=10, channels=["phone"], languages="English"
    )
    request = MatchRequest.objects.create(seeker=seeker, scheme=scheme, channels=["phone"], languages="English")
    return request, profile


def test_a_coordinator_cannot_assign_past_the_caseload_cap_without_a_recorded_reason(personas):
    from kindred.testing.factories import MembershipFactory, UserFactory

    world = make_world(personas, caseload_cap=1)  # the PSW already has one active match
    newcomer = UserFactory(display_name="Robin")
    MembershipFactory(user=newcomer, organisation=personas.organisation, role="member")
    request, profile = _request_and_profile(world, newcomer)
    with pytest.raises(services.OneToOneError) as excinfo:
        services.match_propose(actor=personas.coordinator, request=request, profile=profile)
    assert "caseload cap" in str(excinfo.value) and "record why" in str(excinfo.value)
    assert world.match.scheme.matches.count() == 1

    match = services.match_propose(
        actor=personas.coordinator, request=request, profile=profile, cap_override_reason="Robin asked for Psw by name"
    )
    assert match.cap_override_reason == "Robin asked for Psw by name"
    assert AuditEvent.objects.filter(action="onetoone.match_propose", detail__cap_override=True).exists()


# --- Settings: note policy and supervision arrangements -----------------------------------------------------------


def _text(response):
    return html.unescape(re.sub(r"<[^>]+>", "", response.content.decode()))


def test_the_coordinator_sets_the_note_policy_and_arranges_supervision(client, personas):
    world = make_world(personas)
    SupervisionAssignment.objects.all().delete()
    url = reverse("onetoone:practice_settings", args=["riverside"])
    held_session(world)
    login(client, personas.coordinator)
    page = _text(client.get(url))
    # One place for the note policy: each scheme's setting, listed here with a link to change it.
    assert f"{world.scheme.title}: notes are for their author only" in page
    assert reverse("onetoone:scheme_settings", args=[world.scheme.public_id]) in client.get(url).content.decode()
    assert "relationships so far: 1 hour" in page
    Scheme.objects.filter(pk=world.scheme.pk).update(supervisor_reads_notes=True)
    assert f"{world.scheme.title}: supervisors may read notes" in _text(client.get(url))

    response = client.post(
        url,
        {
            "action": "assign",
            "supervisor": str(personas.supervisor.public_id),
            "supervisee": str(personas.psw.public_id),
        },
    )
    assert response.status_code == 302
    assignment = SupervisionAssignment.objects.get()
    assert (assignment.supervisor, assignment.supervisee) == (personas.supervisor, personas.psw)

    # Only people with the supervisor role can be chosen as supervisors.
    response = client.post(
        url,
        {"action": "assign", "supervisor": str(personas.member.public_id), "supervisee": str(personas.psw.public_id)},
    )
    assert response.status_code == 400 and "Select a valid choice" in response.content.decode()

    client.post(url, {"action": "end", "assignment": str(assignment.pk)})
    assignment.refresh_from_db()
    assert assignment.ended_at is not None
    login(client, personas.supervisor)
    sessions_url = reverse("onetoone:session_list", args=[world.match.public_id])
    assert client.get(sessions_url).status_code == 404  # no longer supervising: no access


def test_practice_settings_are_for_this_organisations_coordinators_only(client, personas):
    url = reverse("onetoone:practice_settings", args=["riverside"])
    login(client, personas.psw)
    assert client.get(url).status_code == 403
    assert client.post(url, {"action": "end", "assignment": "1"}).status_code == 403
    login(client, personas.outside_coordinator)
    assert client.get(url).status_code == 404
    assert client.get(reverse("onetoone:practice_settings", args=["nowhere"])).status_code == 404
    assert not SupervisionAssignment.objects.filter(ended_at__isnull=False).exists()
