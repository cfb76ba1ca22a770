"""Every kind of message Kindred sends is declared to the reach gate, and the gate's rules hold for each one: a
person recorded as having died gets nothing (and nothing about them goes to anyone), a block stops messages
between two people, and someone who has stepped back gets no email — and nothing that asks something of them, and
no mailing."""

from __future__ import annotations

import importlib
import importlib.util

import pytest
from django.conf import settings
from django.core import mail

from kindred.accounts.models import User
from kindred.commons import reach
from kindred.commons.blocks import block_create
from kindred.notifications.models import Notification
from kindred.testing.personas import Personas

pytestmark = pytest.mark.django_db

# Every app's declarations (`<app>/messages.py`), and every app's services, which send them.
for _app in settings.INSTALLED_APPS:
    if _app.startswith("kindred."):
        for _module in (f"{_app}.messages", f"{_app}.services"):
            if importlib.util.find_spec(_module) is not None:
                importlib.import_module(_module)

KINDRED_KINDS = sorted((k for k in reach.KINDS.values() if not k.key.startswith("test")), key=lambda k: k.key)

# The kind strings `notify(kind=…)` was called with before the gate, and the emails sent without a notice.
NOTICES_BEFORE = {
    "care.checkin", "care.come_back", "care.debrief", "care.incident_handler", "care.incident_inform",
    "care.step_back", "care.support_resources", "care.you_stepped_back", "community.appeal", "community.crisis",
    "community.moderation", "community.reply", "community.report", "group.absence_check_in",
    "group.absence_trusted", "group.closing", "group.closing_cancelled", "group.newsletter_item", "groups.added",
    "groups.first_visit_chat", "groups.follow_up", "groups.follow_up_message", "groups.ground_rules",
    "groups.handover", "groups.incident", "groups.meeting_cancelled", "groups.meeting_moved",
    "groups.no_facilitator", "groups.rota_gap", "groups.series_changed", "groups.waitlist_place",
    "onetoone.connection_accepted", "onetoone.connection_ended", "onetoone.connection_paused",
    "onetoone.connection_request", "onetoone.connection_resumed", "onetoone.match_active",
    "onetoone.match_declined", "onetoone.match_ended", "onetoone.match_offered", "onetoone.match_rematching",
    "onetoone.match_request", "onetoone.message", "onetoone.session", "onetoone.supervision",
    "onetoone.supporter_stepping_back", "wellbeing_reminder", "wellbeing_safeguarding", "wellbeing_shared",
}  # fmt: skip
EMAILS_BEFORE = {
    "groups.newsletter", "community.digest", "community.space_invite", "directory.referral_new",
    "directory.listing_submitted", "directory.listing_decided", "organisations.invitation",
}  # fmt: skip


def test_every_kind_kindred_sends_is_declared_once():
    keys = {k.key for k in KINDRED_KINDS}
    assert keys >= NOTICES_BEFORE
    assert keys >= EMAILS_BEFORE
    assert len(keys) >= len(NOTICES_BEFORE | EMAILS_BEFORE) == 56
    for kind in KINDRED_KINDS:
        assert kind.description and kind.purpose in reach.Purpose
        assert reach.KINDS[kind.key] is kind


def deliver(kind: reach.Kind, to: User, *, team: list[User] | None = None, sender: User | None = None, about=()):
    """Send one message of `kind` to `to` as its app would: duties to a team, mailings with their list."""
    words = {"title": f"About {kind.description}", "body": "Words", "url": "/", "email": True}
    if kind.purpose is reach.Purpose.DUTY:
        reach.send_to_team(people=team or [to], kind=kind, sender=sender, about=about, **words)
    elif kind.purpose is reach.Purpose.MAILING:
        reach.send(to=to, kind=kind, topic=f"{kind.key}:1", sender=sender, about=about, **words)
    else:
        reach.send(to=to, kind=kind, sender=sender, about=about, **words)


def got(person: User, kind: reach.Kind) -> tuple[bool, bool]:
    """(a notice in Kindred, an email) for `person`, of this kind."""
    notice = Notification.objects.filter(user=person, kind=kind.key).exists()
    return notice, any(person.email in m.to for m in mail.outbox)


@pytest.fixture
def sent(django_capture_on_commit_callbacks):
    """Run a send and everything it queued after commit (the email task runs at once in tests)."""

    def run(*args, **kwargs):
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            deliver(*args, **kwargs)

    return run


@pytest.mark.parametrize("kind", KINDRED_KINDS, ids=lambda k: k.key)
def test_nothing_reaches_or_mentions_a_person_recorded_as_having_died(kind, personas: Personas, sent):
    reach.state_record_death(person=personas.member, recorded_by=personas.coordinator)
    sent(kind, personas.member)
    assert got(personas.member, kind) == (False, False)
    sent(kind, personas.peer, about=[personas.member])
    assert got(personas.peer, kind) == (False, False)
    sent(kind, personas.peer)  # the gate isn't simply closed: the same message to someone else arrives
    assert got(personas.peer, kind) == (True, True)


@pytest.mark.parametrize("kind", KINDRED_KINDS, ids=lambda k: k.key)
def test_a_block_either_way_stops_it(kind, personas: Personas, sent):
    block_create(actor=personas.member, other=personas.peer)
    sent(kind, personas.member, sender=personas.peer)
    assert got(personas.member, kind) == (False, False)
    sent(kind, personas.peer, sender=personas.member)  # the one blocked hears nothing from them either
    assert got(personas.peer, kind) == (False, False)
    sent(kind, personas.member, about=[personas.peer])  # nor about someone they blocked
    assert got(personas.member, kind) == (False, False)
    sent(kind, personas.member, sender=personas.facilitator)
    assert got(personas.member, kind) == (True, True)


@pytest.mark.parametrize("kind", KINDRED_KINDS, ids=lambda k: k.key)
def test_someone_who_has_stepped_back_gets_no_email_and_no_asks_or_mailings(kind, personas: Personas, sent):
    reach.state_step_back(person=personas.facilitator)
    # A duty goes to the team; one person stepping back leaves it to the others.
    sent(kind, personas.facilitator, team=[personas.facilitator, personas.coordinator])
    notice, email = got(personas.facilitator, kind)
    if kind.purpose is reach.Purpose.RESPONSE:
        assert notice and email  # an answer to their own request still comes
    else:
        assert not email
        assert notice is (kind.purpose not in (reach.Purpose.ASK, reach.Purpose.MAILING))
    reach.state_come_back(person=personas.facilitator)
    sent(kind, personas.facilitator, team=[personas.facilitator, personas.coordinator])
    assert got(personas.facilitator, kind) == (True, True)
