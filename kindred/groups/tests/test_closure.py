"""Closing well: members told with three alternatives, engagements ended, the archive kept for a year."""

from __future__ import annotations

import io
import zipfile
from datetime import timedelta

import pytest
import time_machine
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from kindred.commons.models import Engagement
from kindred.core.models import AuditEvent
from kindred.directory.models import OfferStatus
from kindred.directory.tests.offer_helpers import make_offer
from kindred.groups import services
from kindred.groups.closure import group_closures_run
from kindred.groups.models import BoardPost, Group, GroupClosure, Meeting, NewsletterIssue, NewsletterItem
from kindred.notifications.models import Notification
from kindred.testing.clients import client_for

from .more_helpers import make_group, text

pytestmark = pytest.mark.django_db


def directory_around(personas, group: Group) -> dict[str, object]:
    region = group.offer.region
    org = personas.organisation
    return {
        "leeds": make_offer(
            org,
            title="Leeds Hearing Voices Group",
            town="Leeds",
            region=region,
            experience_focus="hearing voices",
            latitude=53.8,
            longitude=-1.55,
        ),
        "bradford": make_offer(
            org, title="Bradford Tuesday Circle", town="Bradford", region=region, latitude=53.79, longitude=-1.75
        ),
        "video": make_offer(
            personas.other_organisation,
            title="Voices Online Evening",
            town="",
            region="",
            delivery="video",
            experience_focus="hearing voices",
        ),
        "far": make_offer(org, title="Truro Knitting Circle", town="Truro", region="South West"),
        "scheme": make_offer(
            org,
            kind="scheme",
            title="Leeds Hearing Voices Befriending",
            town="Leeds",
            region=region,
            experience_focus="hearing voices",
        ),
        "listed_elsewhere": make_offer(
            org,
            title="Leeds Voices Drop-in",
            town="Leeds",
            region=region,
            experience_focus="hearing voices",
            status=OfferStatus.PENDING_REVIEW,
        ),
    }


def shared_content(personas, group: Group) -> None:
    BoardPost.objects.create(group=group, author=personas.peer, body="Lifts to the hall on Tuesday, anyone?")
    BoardPost.objects.create(group=group, author=personas.member, body="Thank you for last week, everyone.")
    issue = NewsletterIssue.objects.create(
        group=group, title="Winter news", introduction="Hello all.", status="sent", sent_at=timezone.now()
    )
    NewsletterItem.objects.create(
        group=group, author=personas.member, title="A poem", body="Frost on the hill.", status="included", issue=issue
    )


def close_now(personas, group: Group, client=None, **extra):
    client = client or client_for(personas.facilitator)
    return client.post(
        reverse("groups:closure", kwargs={"slug": group.slug}),
        {"when": "now", "message": "Thank you all for six good years.", "confirm": "on", **extra},
    )


def test_closing_now_tells_every_member_with_three_alternatives_and_ends_engagements(
    personas, django_capture_on_commit_callbacks
) -> None:
    group = make_group(personas, experience_focus="hearing voices")
    offers = directory_around(personas, group)
    future = Meeting.objects.create(
        group=group, starts_at=timezone.now() + timedelta(days=3), ends_at=timezone.now() + timedelta(days=3, hours=1)
    )
    group_type = ContentType.objects.get_for_model(Group)
    assert Engagement.objects.filter(subject_type=group_type, subject_id=str(group.pk), ended_at=None).count() >= 3

    with django_capture_on_commit_callbacks(execute=True):
        response = close_now(personas, group)
    assert response.status_code == 302
    group.refresh_from_db()
    assert group.status == "closed" and group.closed_at is not None
    assert group.offer.status == OfferStatus.ARCHIVED
    future.refresh_from_db()
    assert future.status == "cancelled"

    told = Notification.objects.filter(kind="group.closing")
    assert {n.user for n in told} == {personas.member, personas.peer, personas.facilitator}
    note = told.get(user=personas.member)
    assert note.title == f"{group.name} has closed"
    assert "Thank you all for six good years." in note.body
    for name in ("Leeds Hearing Voices Group", "Bradford Tuesday Circle", "Voices Online Evening"):
        assert name in note.body
    for name in ("Truro Knitting Circle", "Befriending", "Drop-in"):
        assert name not in note.body
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        p.email for p in (personas.member, personas.peer, personas.facilitator)
    )
    assert "Leeds Hearing Voices Group" in mail.outbox[0].body

    closure = GroupClosure.objects.get(group=group)
    assert closure.alternatives[0] == offers["leeds"].pk
    assert len(closure.alternatives) == 3

    open_rows = Engagement.objects.filter(subject_type=group_type, subject_id=str(group.pk), ended_at=None)
    assert not open_rows.exists()
    assert set(
        Engagement.objects.filter(subject_type=group_type, subject_id=str(group.pk)).values_list(
            "end_reason", flat=True
        )
    ) == {"closed"}
    assert AuditEvent.objects.filter(action="groups.closed", subject_id=str(group.public_id)).exists()

    page = client_for(personas.member).get(reverse("groups:closure", kwargs={"slug": group.slug}))
    assert page.status_code == 200
    assert "has closed" in text(page)
    assert "Leeds Hearing Voices Group" in text(page)


def test_members_read_and_download_what_was_shared_for_a_year(personas) -> None:
    group = make_group(personas)
    shared_content(personas, group)
    close_now(personas, group)

    member = client_for(personas.member)
    board = member.get(reverse("groups:board", kwargs={"slug": group.slug}))
    assert board.status_code == 200
    assert "Lifts to the hall on Tuesday, anyone?" in text(board)
    issue = NewsletterIssue.objects.get()
    assert (
        member.get(
            reverse("groups:newsletter_issue", kwargs={"slug": group.slug, "issue_id": issue.public_id})
        ).status_code
        == 200
    )
    refused = member.post(reverse("groups:board", kwargs={"slug": group.slug}), {"body": "Still here?"})
    assert refused.status_code == 400
    assert "This group has closed" in text(refused)
    assert BoardPost.objects.count() == 2

    download = member.get(reverse("groups:closure_download", kwargs={"slug": group.slug}))
    assert download.status_code == 200
    assert download["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(download.content))
    assert set(archive.namelist()) >= {"README.txt", "noticeboard.txt", "my-posts.txt"}
    assert "Lifts to the hall on Tuesday" in archive.read("noticeboard.txt").decode()
    mine = archive.read("my-posts.txt").decode()
    assert "Thank you for last week" in mine and "Frost on the hill." in mine
    assert "Lifts to the hall" not in mine  # the peer's post is not "mine"
    newsletters = [n for n in archive.namelist() if n.startswith("newsletters/")]
    assert len(newsletters) == 1
    assert "Frost on the hill." in archive.read(newsletters[0]).decode()
    assert AuditEvent.objects.filter(action="groups.archive_downloaded").exists()

    assert (
        client_for(personas.outsider).get(reverse("groups:closure_download", kwargs={"slug": group.slug})).status_code
        == 404
    )
    assert (
        client_for(personas.moderator).get(reverse("groups:closure_download", kwargs={"slug": group.slug})).status_code
        == 404
    )

    with time_machine.travel(timezone.now() + timedelta(days=366)):
        member = client_for(personas.member)  # a year on, a fresh sign-in
        assert member.get(reverse("groups:closure_download", kwargs={"slug": group.slug})).status_code == 404
        assert member.get(reverse("groups:board", kwargs={"slug": group.slug})).status_code == 404
        page = member.get(reverse("groups:closure", kwargs={"slug": group.slug}))
        assert "more than a year since the group closed" in text(page)


def test_a_closure_can_be_scheduled_members_are_told_and_it_happens_on_the_day(
    personas, django_capture_on_commit_callbacks
) -> None:
    group = make_group(personas)
    day = timezone.localdate() + timedelta(days=14)
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(personas.coordinator).post(
            reverse("groups:closure", kwargs={"slug": group.slug}),
            {"when": "later", "on": day.isoformat(), "message": "", "confirm": "on"},
        )
    assert response.status_code == 302
    group.refresh_from_db()
    assert group.status == "closing" and group.closes_on == day
    assert Notification.objects.filter(
        kind="group.closing", user=personas.member, title__contains="will close on"
    ).exists()
    assert len(mail.outbox) == 3

    assert group_closures_run(today=day - timedelta(days=1)) == 0
    assert group_closures_run(today=day) == 1
    group.refresh_from_db()
    assert group.status == "closed"
    assert Notification.objects.filter(
        kind="group.closing", user=personas.member, title__endswith="has closed"
    ).exists()
    group_type = ContentType.objects.get_for_model(Group)
    assert not Engagement.objects.filter(subject_type=group_type, subject_id=str(group.pk), ended_at=None).exists()


def test_closing_needs_a_facilitator_or_coordinator_a_confirmation_and_a_sensible_date(personas) -> None:
    group = make_group(personas)
    url = reverse("groups:closure", kwargs={"slug": group.slug})
    assert close_now(personas, group, client=client_for(personas.member)).status_code == 403
    assert close_now(personas, group, client=client_for(personas.outsider)).status_code == 404
    assert close_now(personas, group, client=client_for(personas.outside_coordinator)).status_code == 404
    assert client_for(personas.facilitator).put(url).status_code == 405
    facilitator = client_for(personas.facilitator)
    for bad in (
        {"when": "now"},  # not confirmed
        {"when": "later", "confirm": "on"},  # no date
        {"when": "later", "on": (timezone.localdate() - timedelta(days=1)).isoformat(), "confirm": "on"},
        {"when": "later", "on": "next tuesday", "confirm": "on"},
    ):
        response = facilitator.post(url, bad)
        assert response.status_code == 400
        assert "There's a problem" in text(response)
    group.refresh_from_db()
    assert group.status == "active"
    assert not Notification.objects.filter(kind="group.closing").exists()


def test_when_the_last_facilitator_steps_back_the_coordinator_is_warned(personas) -> None:
    group = make_group(personas)
    services.group_leave(actor=personas.facilitator, group=group)
    warning = Notification.objects.get(user=personas.coordinator)
    assert "has no facilitator now" in warning.title
    assert not Notification.objects.filter(user=personas.outside_coordinator).exists()


def test_the_daily_command_closes_groups_whose_day_has_come(personas) -> None:
    from django.core.management import call_command

    group = make_group(personas)
    client_for(personas.facilitator).post(
        reverse("groups:closure", kwargs={"slug": group.slug}),
        {"when": "later", "on": (timezone.localdate() + timedelta(days=7)).isoformat(), "confirm": "on"},
    )
    out = io.StringIO()
    call_command("groups_daily", stdout=out)
    assert "Groups closed: 0." in out.getvalue()
    with time_machine.travel(timezone.now() + timedelta(days=8)):
        out = io.StringIO()
        call_command("groups_daily", stdout=out)
    assert "Groups closed: 1." in out.getvalue()
    group.refresh_from_db()
    assert group.status == "closed"
