"""Stepping back and a recorded death reach the mailings and emails without a notice: group newsletters, online
digests and the referral emails to coordinators."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.management import call_command

from kindred.commons import reach
from kindred.community import services as community
from kindred.community.tests.core_helpers import make_reply, make_space, make_thread
from kindred.directory.messages import REFERRAL_NEW
from kindred.directory.referrals import coordinators
from kindred.groups.stay import subscribers
from kindred.groups.tests.core_helpers import add_person, join, make_group
from kindred.organisations.models import Membership

pytestmark = pytest.mark.django_db


def test_newsletters_never_reach_a_member_who_has_died(personas):
    group = make_group(personas)
    join(group, personas.member)
    assert personas.member in subscribers(group)
    reach.state_record_death(person=personas.member, recorded_by=None)
    assert personas.member not in subscribers(group)


def test_digests_pause_while_someone_has_stepped_back(personas, django_capture_on_commit_callbacks):
    space = make_space(personas)
    thread = make_thread(space, personas.member)
    community.follow_set(user=personas.peer, thread=thread, following=True, email_digest=True)
    make_reply(thread, personas.facilitator, "Thinking of you")
    reach.state_step_back(person=personas.peer)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("community_digest")
    assert mail.outbox == []
    reach.state_come_back(person=personas.peer)  # back again
    with django_capture_on_commit_callbacks(execute=True):
        call_command("community_digest")
    assert [m.to for m in mail.outbox] == [[personas.peer.email]]


def test_referral_emails_skip_stepped_back_coordinators_unless_none_is_left(
    personas, django_capture_on_commit_callbacks
):
    organisation = personas.organisation
    other = add_person(personas, "second")
    Membership.objects.create(user=other, organisation=organisation, role="coordinator")
    coordinator = personas.coordinator

    def emailed() -> list[str]:
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            reach.send_to_team(people=coordinators(organisation), kind=REFERRAL_NEW, title="A request", email=True)
        return sorted(m.to[0] for m in mail.outbox)

    assert emailed() == sorted([coordinator.email, other.email])
    reach.state_step_back(person=coordinator)
    assert emailed() == [other.email]
    reach.state_step_back(person=other)
    # Everyone has stepped back: a request must still reach someone.
    assert emailed() == sorted([coordinator.email, other.email])
    reach.state_record_death(person=other, recorded_by=None)
    assert emailed() == [coordinator.email]
