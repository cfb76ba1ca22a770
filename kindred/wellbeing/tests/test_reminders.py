"""Reminders: off by default, never more often than chosen, not soon after a check-in, never in quiet hours."""

from __future__ import annotations

import re
from datetime import UTC, datetime, time, timedelta
from io import StringIO

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command

from kindred.accounts.models import Profile
from kindred.commons import reach
from kindred.notifications.models import Notification
from kindred.testing.clients import client_for
from kindred.wellbeing import services
from kindred.wellbeing.models import ReminderSettings

from .helpers import ONS4_GOOD

pytestmark = pytest.mark.django_db
START = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)  # a Monday, midday in London


def run(at: datetime) -> str:
    out = StringIO()
    with time_machine.travel(at, tick=False):
        call_command("wellbeing_reminders", stdout=out)
    return out.getvalue()


def reminders_for(user) -> int:
    return Notification.objects.filter(user=user, kind="wellbeing_reminder").count()


def test_off_by_default(personas):
    client_for(personas.member).post("/well-being/check-in/ons4/", ONS4_GOOD)
    for days in (0, 7, 30, 400):
        assert "Sent 0 well-being reminders" in run(START + timedelta(days=days))
    assert reminders_for(personas.member) == 0
    page = client_for(personas.member).get("/well-being/reminders/").content.decode()
    off = re.search(r'<input[^>]*value="off"[^>]*>', page)
    assert off and "checked" in off.group(0)


def test_weekly_frequency_is_respected_across_runs(personas, django_capture_on_commit_callbacks):
    with time_machine.travel(START, tick=False):
        response = client_for(personas.member).post(
            "/well-being/reminders/", {"frequency": "weekly", "measures": ["ons4"]}
        )
        assert response.status_code == 302
    assert run(START + timedelta(hours=1)).startswith("Sent 0")
    assert run(START + timedelta(days=6, hours=23)).startswith("Sent 0")
    with django_capture_on_commit_callbacks(execute=True):
        assert run(START + timedelta(days=7)).startswith("Sent 1 ")
    assert reminders_for(personas.member) == 1 and len(mail.outbox) == 1
    assert "check-in" in mail.outbox[0].subject
    # Running again (hourly cron, or twice at once) sends nothing more until another week has passed.
    for hours in (0, 1, 24, 6 * 24 + 23):
        assert run(START + timedelta(days=7, hours=hours)).startswith("Sent 0")
    assert run(START + timedelta(days=14)).startswith("Sent 1 ")
    assert reminders_for(personas.member) == 2


def test_a_recent_check_in_postpones_the_reminder(personas):
    with time_machine.travel(START, tick=False):
        services.reminders_update(actor=personas.member, frequency="fortnightly", measures=["ons4", "ucla3"])
    with time_machine.travel(START + timedelta(days=10), tick=False):
        client_for(personas.member).post(
            "/well-being/check-in/ucla3/", {"companionship": "1", "left_out": "1", "isolated": "2"}
        )
    assert run(START + timedelta(days=14)).startswith("Sent 0")
    assert run(START + timedelta(days=23, hours=23)).startswith("Sent 0")
    assert run(START + timedelta(days=24)).startswith("Sent 1 ")


def test_monthly_and_turning_off(personas):
    with time_machine.travel(START, tick=False):
        services.reminders_update(actor=personas.member, frequency="monthly", measures=["ons4"])
    assert run(START + timedelta(days=29)).startswith("Sent 0")
    assert run(datetime(2026, 4, 2, 12, 0, tzinfo=UTC)).startswith("Sent 1 ")
    with time_machine.travel(datetime(2026, 4, 3, tzinfo=UTC), tick=False):
        services.reminders_update(actor=personas.member, frequency="off", measures=[])
    assert run(datetime(2026, 9, 1, 12, 0, tzinfo=UTC)).startswith("Sent 0")
    assert reminders_for(personas.member) == 1


def test_no_reminder_in_quiet_hours_but_the_next_run_after_them_sends_it(personas, django_capture_on_commit_callbacks):
    Profile.objects.filter(user=personas.member).update(
        quiet_hours_start=time(21, 0), quiet_hours_end=time(8, 0), timezone="Europe/London"
    )
    with time_machine.travel(START, tick=False):
        services.reminders_update(actor=personas.member, frequency="weekly", measures=["ons4"])
    late = datetime(2026, 3, 9, 22, 30, tzinfo=UTC)  # due since midday, but 22:30 in London is quiet
    assert run(late).startswith("Sent 0")
    assert run(datetime(2026, 3, 10, 7, 59, tzinfo=UTC)).startswith("Sent 0")
    assert reminders_for(personas.member) == 0 and mail.outbox == []
    with django_capture_on_commit_callbacks(execute=True):
        assert run(datetime(2026, 3, 10, 8, 0, tzinfo=UTC)).startswith("Sent 1 ")
    assert reminders_for(personas.member) == 1 and len(mail.outbox) == 1


def test_reminder_settings_are_validated_and_change_nothing_when_wrong(personas):
    client = client_for(personas.member)
    no_measure = client.post("/well-being/reminders/", {"frequency": "weekly"})
    assert "Please choose at least one check-in" in no_measure.content.decode()
    daily = client.post("/well-being/reminders/", {"frequency": "daily", "measures": ["ons4"]})
    assert daily.status_code == 200 and "Select a valid choice" in daily.content.decode()
    phq = client.post("/well-being/reminders/", {"frequency": "weekly", "measures": ["phq9"]})
    assert "Select a valid choice" in phq.content.decode()  # not available to this person
    assert not ReminderSettings.objects.exists()


def test_no_reminder_for_a_person_recorded_as_having_died(personas):
    with time_machine.travel(START, tick=False):
        services.reminders_update(actor=personas.member, frequency="weekly", measures=["ons4"])
    reach.state_record_death(person=personas.member, recorded_by=None, at=START)
    assert run(START + timedelta(days=30)).startswith("Sent 0")
    assert reminders_for(personas.member) == 0
    assert ReminderSettings.objects.get().last_reminded_at is None


def test_reminders_stop_for_a_check_in_the_organisation_no_longer_offers(personas, django_capture_on_commit_callbacks):
    from .helpers import enable

    enable(personas.organisation, phq9=True, gad7=False)
    with time_machine.travel(START, tick=False):
        services.reminders_update(actor=personas.member, frequency="weekly", measures=["phq9"])
    enable(personas.organisation, phq9=False, gad7=False)
    assert run(START + timedelta(days=8)).startswith("Sent 0")
    assert reminders_for(personas.member) == 0
    # With another check-in chosen too, the reminder goes, naming only what they can still use.
    enable(personas.organisation, phq9=True, gad7=False)
    with time_machine.travel(START, tick=False):
        services.reminders_update(actor=personas.member, frequency="fortnightly", measures=["phq9", "ons4"])
    enable(personas.organisation, phq9=False, gad7=False)
    with django_capture_on_commit_callbacks(execute=True):
        assert run(START + timedelta(days=15)).startswith("Sent 1 ")
    body = Notification.objects.get(user=personas.member, kind="wellbeing_reminder").body
    assert "(personal well-being)" in body and "phq" not in body.lower()
