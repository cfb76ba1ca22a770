"""Stepping back and a recorded death reach the emails that don't go through notify(): group newsletters,
online digests and the referral emails to coordinators."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from kindred.care.models import CareState
from kindred.community import services as community
from kindred.community.tests.core_helpers import make_reply, make_space, make_thread
from kindred.directory.referrals import coordinator_emails
from kindred.groups.stay import subscribers
from kindred.groups.tests.core_helpers import add_person, join, make_group
from kindred.organisations.models import Membership

pytestmark = pytest.mark.django_db


def test_newsletters_never_reach_a_member_who_has_died(personas):
    group = make_group(personas)
    join(group, personas.member)
    assert personas.member in subscribers(group)
    CareState.objects.create(person=personas.member, deceased_at=timezone.now())
    assert personas.member not in subscribers(group)


def test_digests_pause_while_someone_has_stepped_back(personas, django_capture_on_commit_callbacks):
    space = make_space(personas)
    thread = make_thread(space, personas.member)
    community.follow_set(user=personas.peer, thread=thread, following=True, email_digest=True)
    make_reply(thread, personas.facilitator, "Thinking of you")
    CareState.objects.create(person=personas.peer, stepped_back_since=timezone.now())
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("community_digest")
    assert mail.outbox == []
    CareState.objects.filter(person=personas.peer).update(stepped_back_since=None)  # back again
    with django_capture_on_commit_callbacks(execute=True):
        call_command("community_digest")
    assert [m.to for m in mail.outbox] == [[personas.peer.email]]


def test_referral_emails_skip_stepped_back_coordinators_unless_none_is_left(personas):
    organisation = personas.organisation
    other = add_person(personas, "second")
    Membership.objects.create(user=other, organisation=organisation, role="coordinator")
    coordinator = personas.coordinator
    assert coordinator_emails(organisation) == sorted([coordinator.email, other.email])
    CareState.objects.create(person=coordinator, stepped_back_since=timezone.now())
    assert coordinator_emails(organisation) == [other.email]
    CareState.objects.create(person=other, stepped_back_since=timezone.now())
    # Everyone has stepped back: a request must still reach someone.
    assert coordinator_emails(organisation) == sorted([coordinator.email, other.email])
    CareState.objects.filter(person=other).update(deceased_at=timezone.now())
    assert coordinator_emails(organisation) == [coordinator.email]
