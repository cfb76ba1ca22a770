from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.db import IntegrityError, transaction
from django.utils import timezone

from kindred.commons.models import EndReason, Engagement, EngagementRole, Form
from kindred.commons.spine import (
    engagement_end,
    engagement_record,
    engagement_touch,
    engagements_end_for_subject,
    engagements_of,
)
from kindred.testing.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def test_recording_opens_one_engagement_and_repeats_only_touch_it(personas):
    group = OrganisationFactory(name="Thursday Hearing Voices Group")  # any model can be the subject
    with time_machine.travel("2026-03-01 18:00Z", tick=False):
        first = engagement_record(
            person=personas.member, subject=group, form=Form.GROUP, role="receiving", organisation=personas.organisation
        )
    with time_machine.travel("2026-03-08 18:00Z", tick=False):
        again = engagement_record(person=personas.member, subject=group, form="group", role=EngagementRole.RECEIVING)

    assert again.pk == first.pk
    stored = Engagement.objects.get()
    assert stored.subject == group
    assert stored.subject_label == "Thursday Hearing Voices Group"
    assert stored.organisation == personas.organisation
    assert stored.started_at.isoformat().startswith("2026-03-01T18:00")
    assert stored.last_active_at.isoformat().startswith("2026-03-08T18:00")


def test_a_person_can_hold_several_roles_with_one_subject(personas):
    group = OrganisationFactory()
    engagement_record(person=personas.facilitator, subject=group, form="group", role="receiving")
    engagement_record(person=personas.facilitator, subject=group, form="group", role="facilitating")
    assert set(Engagement.objects.values_list("role", flat=True)) == {"receiving", "facilitating"}


def test_pausing_and_returning_shows_a_break_not_a_continuous_bar(personas):
    space = OrganisationFactory()
    with time_machine.travel("2026-01-01 10:00Z", tick=False):
        engagement_record(person=personas.member, subject=space, form="online", role="reading")
    with time_machine.travel("2026-02-01 10:00Z", tick=False):
        assert engagement_end(person=personas.member, subject=space, reason=EndReason.PAUSED) == 1
    with time_machine.travel("2026-04-01 10:00Z", tick=False):
        engagement_record(person=personas.member, subject=space, form="online", role="reading")

    rows = list(engagements_of(personas.member))
    assert len(rows) == 2
    assert rows[0].end_reason == "paused" and rows[0].ended_at is not None
    assert rows[1].is_open
    assert rows[1].started_at - rows[0].ended_at == timedelta(days=59)


def test_touch_updates_only_an_open_engagement(personas):
    space = OrganisationFactory()
    assert engagement_touch(person=personas.member, subject=space, form="online", role="reading") is False
    with time_machine.travel("2026-01-01 10:00Z", tick=False):
        engagement_record(person=personas.member, subject=space, form="online", role="reading")
    with time_machine.travel("2026-01-05 10:00Z", tick=False):
        assert engagement_touch(person=personas.member, subject=space, form="online", role="reading") is True
    assert Engagement.objects.get().last_active_at.day == 5


def test_ending_one_role_leaves_the_others_open(personas):
    group = OrganisationFactory()
    for role in ("receiving", "giving"):
        engagement_record(person=personas.peer, subject=group, form="group", role=role)
    engagement_end(person=personas.peer, subject=group, reason="moved_on", role="giving")
    assert Engagement.objects.get(role="receiving").is_open
    assert Engagement.objects.get(role="giving").end_reason == "moved_on"


def test_closing_a_subject_ends_everyones_engagements_but_keeps_the_history(personas):
    group = OrganisationFactory(name="Tuesday Group")
    for person in (personas.member, personas.peer):
        engagement_record(person=person, subject=group, form="group", role="receiving")
    assert engagements_end_for_subject(subject=group, reason=EndReason.CLOSED) == 2
    group.delete()
    rows = Engagement.objects.all()
    assert [r.end_reason for r in rows] == ["closed", "closed"]
    assert {r.subject_label for r in rows} == {"Tuesday Group"}


def test_unknown_form_or_role_is_refused_and_nothing_is_stored(personas):
    group = OrganisationFactory()
    with pytest.raises(ValueError):
        engagement_record(person=personas.member, subject=group, form="carrier_pigeon", role="receiving")
    with pytest.raises(ValueError):
        engagement_record(person=personas.member, subject=group, form="group", role="lurking_loudly")
    assert not Engagement.objects.exists()


def test_database_refuses_a_second_open_row_for_the_same_role(personas):
    group = OrganisationFactory()
    first = engagement_record(person=personas.member, subject=group, form="group", role="receiving")
    duplicate = Engagement(
        person=personas.member,
        form="group",
        role="receiving",
        subject_type=first.subject_type,
        subject_id=first.subject_id,
        subject_label="dup",
        started_at=timezone.now(),
        last_active_at=timezone.now(),
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        duplicate.save()


def test_database_refuses_an_end_before_the_start(personas):
    first = engagement_record(person=personas.member, subject=OrganisationFactory(), form="group", role="receiving")
    with pytest.raises(IntegrityError), transaction.atomic():
        Engagement.objects.filter(pk=first.pk).update(ended_at=first.started_at - timedelta(days=1))


def test_deleting_an_account_closes_then_erases_its_engagements(personas):
    from kindred.accounts.services import account_delete

    engagement_record(person=personas.member, subject=OrganisationFactory(), form="group", role="receiving")
    account_delete(actor=personas.member)
    assert not Engagement.objects.exists()
