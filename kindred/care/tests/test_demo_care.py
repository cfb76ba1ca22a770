"""The demo supporter-care data loads through the services, makes sense, and loads only once."""

from __future__ import annotations

import io

import pytest

from kindred.care.models import FacilitatorsNetwork, Incident, StepBack, SupporterCheckIn
from kindred.commons.models import ReachState
from kindred.demo import world
from kindred.demo.care import load_care

pytestmark = pytest.mark.django_db


def test_demo_care():
    world.load(io.StringIO())  # the whole demo world, supporter care included
    first = (
        SupporterCheckIn.objects.count(),
        Incident.objects.count(),
        FacilitatorsNetwork.objects.count(),
        StepBack.objects.count(),
    )
    facilitator = world.User.objects.get(email=world.demo_email("facilitator"))
    psw = world.User.objects.get(email=world.demo_email("psw"))
    assert SupporterCheckIn.objects.filter(worker=facilitator, meeting__isnull=False).count() >= 2
    assert SupporterCheckIn.objects.filter(worker=psw, session__isnull=False, shared_with_supervisor=True).exists()
    past = StepBack.objects.get(person=facilitator)  # as in their journey: stepped back, then came back
    assert past.ended_at is not None and past.started_at < past.ended_at
    assert not ReachState.objects.filter(stepped_back_since__isnull=False).exists()
    incident = Incident.objects.get()
    assert incident.status == "closed" and incident.person_concerned is None and incident.log.count() >= 3
    network = FacilitatorsNetwork.objects.get()
    assert network.organisation.slug == world.VOICES
    assert network.space.memberships.filter(user=facilitator).exists()
    assert not ReachState.objects.filter(deceased_at__isnull=False).exists()  # no demo account is silenced
    assert load_care(io.StringIO()) == 0
    again = (
        SupporterCheckIn.objects.count(),
        Incident.objects.count(),
        FacilitatorsNetwork.objects.count(),
        StepBack.objects.count(),
    )
    assert again == first
