from __future__ import annotations

from datetime import time

import pytest
import time_machine
from django.core import mail
from django.test import override_settings
from django.urls import reverse

from kindred.commons import reach
from kindred.notifications.models import Notification

pytestmark = pytest.mark.django_db

TEST = reach.Kind("test", reach.Purpose.UPDATE, "A test message")


def test_a_notice_shows_in_kindred_and_emails_after_commit(client, personas, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        reach.send(to=personas.member, kind=TEST, title="Thursday's meeting is moved", url="/groups/x/", email=True)
    assert len(mail.outbox) == 1
    assert "http://127.0.0.1:8000/groups/x/" in mail.outbox[0].body
    client.force_login(personas.member)
    page = client.get(reverse("notifications:list")).content.decode()
    assert "Thursday&#x27;s meeting is moved" in page
    header = client.get(reverse("home")).content.decode().split("</header>")[0]
    assert '1<span class="visually-hidden"> unread</span>' in header


def test_people_who_turned_emails_off_get_none(personas, django_capture_on_commit_callbacks):
    personas.member.profile.email_notifications = False
    personas.member.profile.save()
    with django_capture_on_commit_callbacks(execute=True):
        reach.send(to=personas.member, kind=TEST, title="Hello", email=True)
    assert mail.outbox == []
    assert Notification.objects.filter(user=personas.member).count() == 1


@override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}})
@pytest.mark.django_db(transaction=True)
def test_email_in_quiet_hours_waits_until_they_end(personas):
    from django_tasks_db.models import DBTaskResult

    profile = personas.member.profile
    profile.quiet_hours_start, profile.quiet_hours_end = time(21, 0), time(8, 0)
    profile.save()
    with time_machine.travel("2026-11-20 23:30Z", tick=False):  # 23:30 in London, in quiet hours
        reach.send(to=personas.member, kind=TEST, title="A reply", email=True)
    queued = DBTaskResult.objects.get()
    assert queued.run_after.isoformat() == "2026-11-21T08:00:00+00:00"
    assert mail.outbox == []


def test_outside_quiet_hours_the_email_goes_now(personas, django_capture_on_commit_callbacks):
    profile = personas.member.profile
    profile.quiet_hours_start, profile.quiet_hours_end = time(21, 0), time(8, 0)
    profile.save()
    with time_machine.travel("2026-11-20 12:00Z", tick=False), django_capture_on_commit_callbacks(execute=True):
        reach.send(to=personas.member, kind=TEST, title="A reply", email=True)
    assert len(mail.outbox) == 1


def test_notifications_are_private_and_mark_read_is_post_only(client, personas):
    reach.send(to=personas.member, kind=TEST, title="Only for member")
    client.force_login(personas.outsider)
    assert "Only for member" not in client.get(reverse("notifications:list")).content.decode()
    assert client.get(reverse("notifications:mark_all_read")).status_code == 405
    client.force_login(personas.member)
    client.post(reverse("notifications:mark_all_read"))
    assert Notification.objects.get().read_at is not None


def test_anonymous_is_sent_to_login(client):
    assert client.get(reverse("notifications:list")).status_code == 302
