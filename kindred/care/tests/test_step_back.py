from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse

from kindred.care.models import StepBack
from kindred.commons import reach
from kindred.community.access import can_read
from kindred.community.models import SpaceMembership, SpaceVisibility
from kindred.core.models import AuditEvent
from kindred.groups.models import RotaSlot
from kindred.groups.services import rota_gaps_notify
from kindred.onetoone.models import MatchStatus, SupporterProfile
from kindred.organisations.models import Membership, Role
from kindred.testing.factories import MembershipFactory

from .helpers import login, make_care

pytestmark = pytest.mark.django_db

HELLO = reach.Kind("tests.care_hello", reach.Purpose.UPDATE, "A test message")


def test_step_back_cascades_and_coming_back_reverses_it(
    client, personas, mailoutbox, django_capture_on_commit_callbacks
):
    care = make_care(personas)
    login(client, personas.facilitator)
    page = client.get(reverse("care:step_back"))
    assert page.status_code == 200 and "Step back" in page.content.decode()
    assert client.post(reverse("care:step_back"), {"note": "Tired"}).status_code == 302

    record = StepBack.objects.get(person=personas.facilitator)
    assert record.is_open and record.note == "Tired"
    # Rota: both coming slots released; the gap in the rota window is flagged to the co-facilitator (not to them).
    assert RotaSlot.objects.get(meeting=care.soon).facilitator is None
    assert RotaSlot.objects.get(meeting=care.later).facilitator is None
    assert care.co.notifications.filter(kind="groups.rota_gap").count() == 1
    assert not personas.facilitator.notifications.filter(kind="groups.rota_gap").exists()
    # The daily rota run doesn't ask them to fill the gap further out either.
    rota_gaps_notify(now=care.later.starts_at - timedelta(days=5))
    assert not personas.facilitator.notifications.filter(kind="groups.rota_gap").exists()
    # One-to-one: no new matches; their previous status is kept for coming back. Relationships carry on.
    profile = SupporterProfile.objects.get(user=personas.facilitator)
    assert profile.status == "stepping_back"
    assert record.paused["profiles"] == [{"id": profile.pk, "previous": "full"}]
    # Coordinators told; audited.
    assert personas.coordinator.notifications.filter(kind="care.step_back").exists()
    assert AuditEvent.objects.filter(action="care.step_back", actor=personas.facilitator).exists()
    # Notifications: in-app only, no email.
    before = len(mailoutbox)
    with django_capture_on_commit_callbacks(execute=True):
        reach.send(to=personas.facilitator, kind=HELLO, title="Hello", email=True)
    assert personas.facilitator.notifications.filter(kind=HELLO.key).exists() and len(mailoutbox) == before
    home = client.get(reverse("care:home")).content.decode()
    assert "I'm ready to come back" in home
    # Stepping back twice is refused kindly.
    assert client.get(reverse("care:step_back")).status_code == 302

    response = client.post(reverse("care:come_back"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Meetings you could pick up again" in body and care.group.name in body
    profile.refresh_from_db()
    assert profile.status == "full"
    record.refresh_from_db()
    assert not record.is_open
    assert not reach.is_stepped_back(personas.facilitator)
    # Not silently re-assigned.
    assert RotaSlot.objects.get(meeting=care.soon).facilitator is None
    assert personas.coordinator.notifications.filter(kind="care.come_back").exists()
    assert AuditEvent.objects.filter(action="care.come_back", actor=personas.facilitator).exists()
    with django_capture_on_commit_callbacks(execute=True):
        reach.send(to=personas.facilitator, kind=HELLO, title="Hello again", email=True)
    assert len(mailoutbox) == before + 1
    # Nothing to come back from now.
    assert client.post(reverse("care:come_back")).status_code == 302


def test_stepping_back_keeps_relationships_unless_chosen(client, personas):
    care = make_care(personas)
    login(client, personas.psw)
    client.post(reverse("care:step_back"), {})
    care.world.match.refresh_from_db()
    assert care.world.match.status == MatchStatus.ACTIVE
    client.post(reverse("care:come_back"))
    assert SupporterProfile.objects.get(user=personas.psw).status == "available"
    client.post(reverse("care:step_back"), {"end_current_relationships": "on"})
    care.world.match.refresh_from_db()
    assert care.world.match.status == MatchStatus.ENDED


def test_a_person_recorded_as_deceased_gets_nothing(personas, mailoutbox, django_capture_on_commit_callbacks):
    reach.state_record_death(person=personas.member, recorded_by=None)
    with django_capture_on_commit_callbacks(execute=True):
        reach.send(to=personas.member, kind=HELLO, title="Hello", email=True)
    assert not personas.member.notifications.exists() and not mailoutbox
    assert reach.is_deceased(personas.member) and not reach.is_deceased(personas.peer)


def test_the_facilitators_network_follows_roles(client, personas, django_capture_on_commit_callbacks):
    login(client, personas.facilitator)
    response = client.get(reverse("care:network", args=["riverside"]))
    assert response.status_code == 302
    from kindred.care.models import FacilitatorsNetwork

    network = FacilitatorsNetwork.objects.get(organisation=personas.organisation)
    space = network.space
    assert space.visibility == SpaceVisibility.INVITE_ONLY
    assert response.url == reverse("community:space", args=[space.slug])
    assert client.get(response.url).status_code == 200
    members = set(SpaceMembership.objects.filter(space=space).values_list("user_id", flat=True))
    expected = {personas.facilitator.pk, personas.psw.pk, personas.peer.pk, personas.coordinator.pk}
    assert members == expected
    assert not can_read(personas.member, space) and not can_read(personas.outsider, space)
    assert not can_read(personas.outside_coordinator, space) and not can_read(personas.supervisor, space)
    # Losing the role loses access; gaining one gives it.
    with django_capture_on_commit_callbacks(execute=True):
        Membership.objects.filter(user=personas.peer, role=Role.PEER).delete()
        MembershipFactory(user=personas.member, organisation=personas.organisation, role=Role.FACILITATOR)
    assert not can_read(personas.peer, space)
    assert can_read(personas.member, space)
    # Facilitating one of the organisation's groups counts too, though the role was given in the group.
    from kindred.groups.models import GroupRole
    from kindred.groups.tests.core_helpers import add_person, join, make_group

    group = make_group(personas)
    newcomer = add_person(personas, "newfac")
    with django_capture_on_commit_callbacks(execute=True):
        join(group, newcomer)
    assert not can_read(newcomer, space)
    place = group.memberships.get(person=newcomer)
    with django_capture_on_commit_callbacks(execute=True):
        place.role = GroupRole.CO_FACILITATOR
        place.save(update_fields=["role"])
    assert can_read(newcomer, space)
    login(client, newcomer)
    assert reverse("care:network", args=["riverside"]) in client.get(reverse("care:home")).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        place.role = GroupRole.MEMBER
        place.save(update_fields=["role"])
    assert not can_read(newcomer, space)
    assert reverse("care:network", args=["riverside"]) not in client.get(reverse("care:home")).content.decode()
    # Members and outsiders can't create or reach it.
    login(client, personas.outsider)
    assert client.get(reverse("care:network", args=["riverside"])).status_code == 404
    assert client.get(reverse("community:space", args=[space.slug])).status_code == 404
    # Linked from the care page for those in it.
    login(client, personas.psw)
    assert reverse("care:network", args=["riverside"]) in client.get(reverse("care:home")).content.decode()


def test_coming_back_can_take_back_the_rota_slots_in_one_go(client, personas):
    import json

    care = make_care(personas)
    login(client, personas.facilitator)
    url = reverse("care:pick_up")
    assert client.post(url, {"meeting": str(care.soon.public_id)}).status_code == 400  # never stepped back
    client.post(reverse("care:step_back"), {})
    assert client.post(url, {"meeting": str(care.soon.public_id)}).status_code == 400  # still stepped back
    body = client.post(reverse("care:come_back")).content.decode()
    assert f'name="meeting" value="{care.soon.public_id}"' in body and reverse("care:pick_up") in body
    # Bad choices change nothing: none ticked, a meeting that wasn't theirs, one someone took meanwhile.
    RotaSlot.objects.filter(meeting=care.later).update(facilitator=care.co)
    assert client.post(url, {}).status_code == 400
    response = client.post(url, {"meeting": [str(care.soon.public_id), str(care.past.public_id)]})
    assert response.status_code == 400 and "aren&#x27;t yours to pick up" in response.content.decode()
    assert client.post(url, {"meeting": [str(care.soon.public_id), str(care.later.public_id)]}).status_code == 400
    assert RotaSlot.objects.get(meeting=care.soon).facilitator is None
    assert "could pick up again</a> (1)" in client.get(reverse("care:home")).content.decode()
    # Over the API, the same rules.
    bad = client.post("/api/care/pick-up", json.dumps({"meetings": [str(care.later.public_id)]}), "application/json")
    assert bad.status_code == 400
    assert client.post(url, {"meeting": str(care.soon.public_id)}).status_code == 302
    assert RotaSlot.objects.get(meeting=care.soon).facilitator == personas.facilitator
    assert RotaSlot.objects.get(meeting=care.later).facilitator == care.co
    assert AuditEvent.objects.filter(action="care.rota_picked_up", actor=personas.facilitator).exists()
    assert client.get(url).status_code == 302  # nothing left to pick up
    assert "could pick up again" not in client.get(reverse("care:home")).content.decode()
    login(client, personas.member)
    assert client.post(url, {"meeting": str(care.soon.public_id)}).status_code == 400


def test_taking_back_over_the_api(client, personas):
    import json

    care = make_care(personas)
    login(client, personas.facilitator)
    client.post("/api/care/step-back", "{}", "application/json")
    back = client.post("/api/care/come-back", "{}", "application/json").json()
    assert len(back["meetings_to_pick_up"]) == 2
    done = client.post("/api/care/pick-up", json.dumps({"meetings": [str(care.later.public_id)]}), "application/json")
    assert done.status_code == 200
    assert [m["meeting"] for m in done.json()["meetings_to_pick_up"]] == [str(care.soon.public_id)]
    assert RotaSlot.objects.get(meeting=care.later).facilitator == personas.facilitator
