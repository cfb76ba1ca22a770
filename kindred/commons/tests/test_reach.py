"""The reach gate's rules, each one through `reach.send` and what reaches the person's inbox and email."""

from __future__ import annotations

from datetime import time

import pytest
import time_machine
from django.core import mail
from django.test import override_settings
from django_tasks_db.models import DBTaskResult

from kindred.commons import blocks, reach
from kindred.notifications.models import Notification
from kindred.testing.factories import UserFactory

pytestmark = pytest.mark.django_db

NEWS = reach.Kind("tests.news", reach.Purpose.UPDATE, "News about something you take part in")
ASKING = reach.Kind("tests.asking", reach.Purpose.ASK, "Could you help someone?")
LETTER = reach.Kind("tests.letter", reach.Purpose.MAILING, "A newsletter")
DECISION = reach.Kind("tests.decision", reach.Purpose.RESPONSE, "An answer to your request")
REFERRAL = reach.Kind("tests.referral", reach.Purpose.DUTY, "A request for the coordinators")


def send(person, kind=NEWS, **extra):
    return reach.send(to=person, kind=kind, title="Thursday's meeting moved", url="/groups/x/", email=True, **extra)


def test_a_notice_in_kindred_and_an_email_after_commit(personas, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        outcome = send(personas.member)
    assert outcome.delivered and outcome.email == "queued"
    assert Notification.objects.get(user=personas.member).kind == "tests.news"
    assert [m.to for m in mail.outbox] == [[personas.member.email]]
    assert "http://127.0.0.1:8000/groups/x/" in mail.outbox[0].body


def test_nothing_reaches_or_mentions_someone_recorded_as_having_died(personas, django_capture_on_commit_callbacks):
    reach.state_record_death(person=personas.member, recorded_by=personas.coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        to_them = send(personas.member)
        about_them = send(personas.peer, about=[personas.member])
    assert to_them.refused == reach.REFUSED_DECEASED
    assert about_them.refused == reach.REFUSED_ABOUT_DECEASED
    assert not Notification.objects.exists() and mail.outbox == []
    assert reach.is_deceased(personas.member) and personas.member.pk in reach.deceased_ids()


def test_a_block_either_way_stops_messages_between_two_people(personas, django_capture_on_commit_callbacks):
    blocks.block_create(actor=personas.member, other=personas.peer)
    with django_capture_on_commit_callbacks(execute=True):
        from_blocked = send(personas.member, sender=personas.peer)
        to_blocked = send(personas.peer, sender=personas.member)
        about_blocked = send(personas.member, about=[personas.peer])
        unrelated = send(personas.member, sender=personas.facilitator)
    assert from_blocked.refused == to_blocked.refused == about_blocked.refused == reach.REFUSED_BLOCKED
    assert unrelated.delivered
    assert Notification.objects.count() == 1 and len(mail.outbox) == 1


def test_stepping_back_leaves_notices_but_no_emails_and_no_asks(personas, django_capture_on_commit_callbacks):
    reach.state_step_back(person=personas.facilitator)
    with django_capture_on_commit_callbacks(execute=True):
        news = send(personas.facilitator)
        ask = send(personas.facilitator, kind=ASKING)
        answer = send(personas.facilitator, kind=DECISION)
    assert news.delivered and news.email_refused == reach.REFUSED_STEPPED_BACK
    assert ask.refused == reach.REFUSED_STEPPED_BACK
    assert answer.email == "queued"  # an answer to their own request still comes
    assert len(mail.outbox) == 1
    reach.state_come_back(person=personas.facilitator)
    assert send(personas.facilitator, kind=ASKING).delivered


def test_a_duty_reaches_someone_even_if_everyone_in_the_role_has_stepped_back(
    personas, django_capture_on_commit_callbacks
):
    other = UserFactory()
    for person in (personas.coordinator, other):
        reach.state_step_back(person=person)
    with django_capture_on_commit_callbacks(execute=True):
        reach.send_to_team(people=[personas.coordinator, other], kind=REFERRAL, title="A new request", email=True)
    assert len(mail.outbox) == 2
    reach.state_come_back(person=other)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        reach.send_to_team(people=[personas.coordinator, other], kind=REFERRAL, title="Another", email=True)
    assert [m.to for m in mail.outbox] == [[other.email]]


def test_mailings_need_a_topic_and_stop_when_the_person_unsubscribes(personas, django_capture_on_commit_callbacks):
    with pytest.raises(ValueError, match="topic"):
        send(personas.member, kind=LETTER)
    topic = "groups.newsletter:test"
    with django_capture_on_commit_callbacks(execute=True):
        send(personas.member, kind=LETTER, topic=topic)
    assert "To stop these emails: http://127.0.0.1:8000/unsubscribe/" in mail.outbox[0].body
    token = mail.outbox[0].body.rsplit("/unsubscribe/", 1)[1].split("/")[0]
    assert reach.read_unsubscribe_token(token) == (personas.member, topic)
    assert reach.read_unsubscribe_token(token + "x") is None
    reach.unsubscribe(person=personas.member, topic=topic)
    assert send(personas.member, kind=LETTER, topic=topic).refused == reach.REFUSED_UNSUBSCRIBED
    assert send(personas.member).delivered  # other messages carry on


def test_people_who_turned_emails_off_get_the_notice_only(personas, django_capture_on_commit_callbacks):
    personas.member.profile.email_notifications = False
    personas.member.profile.save()
    with django_capture_on_commit_callbacks(execute=True):
        outcome = send(personas.member)
    assert outcome.email_refused == "preferences" and mail.outbox == []
    assert Notification.objects.filter(user=personas.member).count() == 1


@override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}})
@pytest.mark.django_db(transaction=True)
def test_an_email_in_quiet_hours_waits_until_they_end_and_is_checked_again_then(personas):
    profile = personas.member.profile
    profile.quiet_hours_start, profile.quiet_hours_end = time(21, 0), time(8, 0)
    profile.save()
    with time_machine.travel("2026-11-20 23:30Z", tick=False):  # 23:30 in London, in quiet hours
        assert send(personas.member).email == "deferred"
    queued = DBTaskResult.objects.get()
    assert queued.run_after.isoformat() == "2026-11-21T08:00:00+00:00"
    assert mail.outbox == []
    reach.state_record_death(person=personas.member, recorded_by=None)
    assert reach.deliver_email.call(**queued.args_kwargs["kwargs"]) == 0  # recorded meanwhile: still not sent
    assert mail.outbox == []


def test_an_address_without_an_account_is_emailed_and_an_account_behind_it_is_respected(
    personas, django_capture_on_commit_callbacks
):
    words = reach.Email(subject="You're invited", body="Follow the link to join.")
    with django_capture_on_commit_callbacks(execute=True):
        assert reach.send_to_address(address="New.Person@Example.org", kind=DECISION, email=words).email == "queued"
    assert mail.outbox[0].to == ["new.person@example.org"]
    reach.state_record_death(person=personas.member, recorded_by=None)
    assert reach.send_to_address(address=personas.member.email, kind=DECISION, email=words).refused


def test_reachable_leaves_out_who_may_not_be_asked(personas):
    reach.state_step_back(person=personas.peer)
    assert reach.reachable([personas.peer, personas.member], ASKING) == [personas.member]
