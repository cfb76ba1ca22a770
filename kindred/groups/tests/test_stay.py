"""Staying in touch: the absence check-in a member opts into, the noticeboard, and the newsletter."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from kindred.groups.models import (
    AbsenceCheckIn,
    BoardPost,
    GroupMembership,
    NewsletterIssue,
    NewsletterItem,
    NewsletterSubscription,
    NewsletterUnsubscribeToken,
)
from kindred.groups.stay import absence_check_ins_run
from kindred.notifications.models import Notification
from kindred.testing.clients import client_for

from .more_helpers import make_group, past_meeting, present, text

pytestmark = pytest.mark.django_db


# --- Absence check-in ----------------------------------------------------------------------------------------


def opt_in(personas, group, *, after: int = 2, days_ago: int = 30) -> None:
    """Opt in as the member did a month ago: only meetings since then count."""
    with time_machine.travel(timezone.now() - timedelta(days=days_ago)):
        response = client_for(personas.member).post(
            reverse("groups:stay", kwargs={"slug": group.slug}),
            {"trusted": str(personas.peer.public_id), "after_missed": str(after)},
        )
    assert response.status_code == 302


def test_after_the_chosen_number_of_missed_meetings_only_the_trusted_member_is_prompted(
    personas, django_capture_on_commit_callbacks
) -> None:
    group = make_group(personas)
    with django_capture_on_commit_callbacks(execute=True):
        opt_in(personas, group, after=2)
    assert AbsenceCheckIn.objects.get().trusted == personas.peer
    Notification.objects.all().delete()
    mail.outbox.clear()

    first = past_meeting(group, days_ago=14)
    present(first, personas.peer)
    with django_capture_on_commit_callbacks(execute=True):
        assert absence_check_ins_run() == 0  # one missed meeting: not yet
    second = past_meeting(group, days_ago=7)
    present(second, personas.peer)
    with django_capture_on_commit_callbacks(execute=True):
        assert absence_check_ins_run() == 1

    prompt = Notification.objects.get(user=personas.peer)
    assert prompt.kind == "group.absence_check_in"
    assert "Member hasn't been at" in prompt.title
    assert "Kindred hasn't contacted them" in prompt.body
    assert [m.to for m in mail.outbox] == [[personas.peer.email]]
    # Never the absent person: no notification, no email, nothing.
    assert not Notification.objects.filter(user=personas.member).exists()
    assert all(personas.member.email not in m.to for m in mail.outbox)

    # The same run of absences prompts once.
    past_meeting(group, days_ago=1)
    with django_capture_on_commit_callbacks(execute=True):
        assert absence_check_ins_run() == 0
    assert Notification.objects.filter(user=personas.peer).count() == 1


def test_coming_back_starts_the_count_again(personas) -> None:
    group = make_group(personas)
    opt_in(personas, group, after=1)
    past_meeting(group, days_ago=20)
    assert absence_check_ins_run() == 1
    back = past_meeting(group, days_ago=13)
    present(back, personas.member)
    assert absence_check_ins_run() == 0
    past_meeting(group, days_ago=6)
    assert absence_check_ins_run() == 1
    assert Notification.objects.filter(user=personas.peer, kind="group.absence_check_in").count() == 2
    assert not Notification.objects.filter(user=personas.member).exists()


def test_nobody_is_prompted_for_a_member_taking_a_break_or_without_opting_in(personas) -> None:
    group = make_group(personas)
    opt_in(personas, group, after=1)
    GroupMembership.objects.filter(group=group, person=personas.member).update(status="paused")
    past_meeting(group, days_ago=7)
    past_meeting(group, days_ago=14, cancelled=True)
    assert absence_check_ins_run() == 0
    GroupMembership.objects.filter(group=group, person=personas.member).update(status="active")
    AbsenceCheckIn.objects.all().delete()
    assert absence_check_ins_run() == 0
    assert not Notification.objects.filter(kind="group.absence_check_in").exists()


def test_the_check_in_form_checks_who_and_how_many(personas) -> None:
    group = make_group(personas)
    client = client_for(personas.member)
    url = reverse("groups:stay", kwargs={"slug": group.slug})
    page = client.get(url)
    assert page.status_code == 200
    assert "Kindred never messages you about it" in text(page)
    for bad in (
        {"trusted": str(personas.member.public_id), "after_missed": "2"},  # yourself
        {"trusted": str(personas.outsider.public_id), "after_missed": "2"},  # not in the group
        {"trusted": str(personas.peer.public_id), "after_missed": "40"},
        {"trusted": str(personas.peer.public_id), "after_missed": "-1"},
        {"trusted": "", "after_missed": "2"},
    ):
        response = client.post(url, bad)
        assert response.status_code == 400
        assert "There's a problem" in text(response)
    assert not AbsenceCheckIn.objects.exists()
    opt_in(personas, group)
    assert client.post(reverse("groups:stay_remove", kwargs={"slug": group.slug})).status_code == 302
    assert not AbsenceCheckIn.objects.exists()


def test_check_in_pages_are_for_members_only(personas) -> None:
    group = make_group(personas)
    url = reverse("groups:stay", kwargs={"slug": group.slug})
    assert client_for(personas.outsider).get(url).status_code == 404
    assert client_for(personas.outside_coordinator).get(url).status_code == 404
    assert client_for(personas.moderator).get(url).status_code == 404  # same organisation, not in the group
    assert client_for(personas.member).delete(url).status_code == 405
    assert (
        client_for(personas.member).get(reverse("groups:stay_remove", kwargs={"slug": group.slug})).status_code == 405
    )
    assert (
        client_for(personas.outsider).post(reverse("groups:stay_remove", kwargs={"slug": group.slug})).status_code
        == 404
    )


# --- Noticeboard ---------------------------------------------------------------------------------------------


def test_members_post_on_the_noticeboard_and_others_in_the_group_read_it(personas) -> None:
    group = make_group(personas)
    url = reverse("groups:board", kwargs={"slug": group.slug})
    assert client_for(personas.member).post(url, {"body": "Anyone fancy a walk on Sunday?"}).status_code == 302
    page = client_for(personas.peer).get(url)
    assert page.status_code == 200
    assert "Anyone fancy a walk on Sunday?" in text(page)
    empty = client_for(personas.member).post(url, {"body": "   "})
    assert empty.status_code == 400
    assert "Please write something to post." in text(empty)
    assert BoardPost.objects.count() == 1
    assert client_for(personas.outsider).get(url).status_code == 404
    assert client_for(personas.outsider).post(url, {"body": "hi"}).status_code == 404
    assert client_for(personas.member).put(url).status_code == 405
    assert BoardPost.objects.count() == 1


def test_a_post_is_taken_down_by_its_author_or_a_facilitator_only(personas) -> None:
    group = make_group(personas)
    client_for(personas.member).post(reverse("groups:board", kwargs={"slug": group.slug}), {"body": "Mine"})
    post = BoardPost.objects.get()
    url = reverse("groups:board_remove", kwargs={"slug": group.slug, "post_id": post.public_id})
    assert client_for(personas.peer).post(url).status_code == 403
    assert client_for(personas.member).get(url).status_code == 405
    assert client_for(personas.facilitator).post(url).status_code == 302
    post.refresh_from_db()
    assert post.removed_at is not None
    assert "Mine" not in text(client_for(personas.peer).get(reverse("groups:board", kwargs={"slug": group.slug})))


# --- Newsletter ----------------------------------------------------------------------------------------------


def unsubscribe_link(message) -> str:
    match = re.search(r"https?://[^/\s]+(/groups/newsletter-unsubscribe/[^\s]+/)", message.body)
    assert match, message.body
    return match.group(1)


def test_a_member_item_is_edited_sent_to_subscribers_and_archived(personas, django_capture_on_commit_callbacks) -> None:
    group = make_group(personas)
    slug = {"slug": group.slug}
    member, facilitator = client_for(personas.member), client_for(personas.facilitator)

    assert (
        member.post(
            reverse("groups:newsletter_submit", kwargs=slug), {"title": "Our walk", "body": "We walked to the lake"}
        ).status_code
        == 302
    )
    item = NewsletterItem.objects.get()
    assert (
        facilitator.post(
            reverse("groups:newsletter_edit", kwargs=slug), {"title": "Spring news", "introduction": "Hello all."}
        ).status_code
        == 302
    )
    assert (
        facilitator.post(
            reverse("groups:newsletter_item", kwargs={**slug, "item_id": item.public_id}),
            {"title": "Our walk to the lake", "body": "We walked to the lake and had a picnic.", "decision": "include"},
        ).status_code
        == 302
    )

    # The peer would rather read it in Kindred.
    peer = client_for(personas.peer)
    assert peer.post(reverse("groups:newsletter_subscription", kwargs=slug), {"subscribed": "no"}).status_code == 302
    assert "You don't get the newsletter by email" in text(peer.get(reverse("groups:newsletter", kwargs=slug)))

    with django_capture_on_commit_callbacks(execute=True):
        response = facilitator.post(reverse("groups:newsletter_send", kwargs=slug))
    assert response.status_code == 302
    issue = NewsletterIssue.objects.get()
    assert issue.status == "sent" and issue.recipients == 2
    assert sorted(m.to[0] for m in mail.outbox) == sorted([personas.member.email, personas.facilitator.email])
    to_member = next(m for m in mail.outbox if m.to == [personas.member.email])
    assert to_member.subject == f"Spring news — {group.name}"
    assert "We walked to the lake and had a picnic." in to_member.body

    # The archive, for every member — including the one who reads it here.
    archive = peer.get(reverse("groups:newsletter_issue", kwargs={**slug, "issue_id": issue.public_id}))
    assert archive.status_code == 200
    assert "Our walk to the lake" in text(archive)

    # The unsubscribe link works without signing in: a GET asks, a POST does.
    link = unsubscribe_link(to_member)
    token = link.rstrip("/").rsplit("/", 1)[1]
    assert not NewsletterUnsubscribeToken.objects.filter(digest=token).exists()  # only digests are stored
    from django.test import Client

    anonymous = Client()
    ask = anonymous.get(link)
    assert ask.status_code == 200
    assert "Stop getting the" in text(ask)
    assert NewsletterSubscription.objects.get(group=group, person=personas.member).subscribed
    done = anonymous.post(link)
    assert done.status_code == 200
    assert "You won't get these emails any more" in text(done)
    assert not NewsletterSubscription.objects.get(group=group, person=personas.member).subscribed

    # The next issue goes to the facilitator only.
    mail.outbox.clear()
    facilitator.post(reverse("groups:newsletter_edit", kwargs=slug), {"title": "Summer news", "introduction": "Hi."})
    with django_capture_on_commit_callbacks(execute=True):
        facilitator.post(reverse("groups:newsletter_send", kwargs=slug))
    assert [m.to for m in mail.outbox] == [[personas.facilitator.email]]
    # And the member sees, and can change, that choice.
    page = member.get(reverse("groups:newsletter", kwargs=slug))
    assert "You don't get the newsletter by email" in text(page)


def test_a_broken_unsubscribe_link_says_so_kindly(personas, client) -> None:
    response = client.get(reverse("groups:newsletter_unsubscribe", kwargs={"token": "not-a-real-token"}))
    assert response.status_code == 404
    assert "That link doesn't work" in text(response)
    assert client.post(reverse("groups:newsletter_unsubscribe", kwargs={"token": "nope"})).status_code == 404


def test_only_facilitators_edit_and_send_and_an_empty_issue_is_not_sent(
    personas, django_capture_on_commit_callbacks
) -> None:
    group = make_group(personas)
    slug = {"slug": group.slug}
    assert client_for(personas.member).get(reverse("groups:newsletter_edit", kwargs=slug)).status_code == 403
    assert client_for(personas.member).post(reverse("groups:newsletter_send", kwargs=slug)).status_code == 403
    assert client_for(personas.outsider).get(reverse("groups:newsletter", kwargs=slug)).status_code == 404
    assert client_for(personas.facilitator).get(reverse("groups:newsletter_send", kwargs=slug)).status_code == 405
    facilitator = client_for(personas.facilitator)
    bad = facilitator.post(reverse("groups:newsletter_edit", kwargs=slug), {"title": "", "introduction": ""})
    assert bad.status_code == 400
    facilitator.post(reverse("groups:newsletter_edit", kwargs=slug), {"title": "Empty", "introduction": ""})
    with django_capture_on_commit_callbacks(execute=True):
        response = facilitator.post(reverse("groups:newsletter_send", kwargs=slug), follow=True)
    assert "This issue is empty" in text(response)
    assert not mail.outbox
    assert NewsletterIssue.objects.get().status == "draft"


def test_the_daily_command_prompts_the_trusted_member(personas) -> None:
    import io

    from django.core.management import call_command

    group = make_group(personas)
    opt_in(personas, group, after=1)
    past_meeting(group, days_ago=2)
    out = io.StringIO()
    call_command("groups_daily", stdout=out)
    assert "Absence check-in prompts: 1." in out.getvalue()
    assert Notification.objects.filter(user=personas.peer, kind="group.absence_check_in").exists()
    assert not Notification.objects.filter(user=personas.member).exists()


def test_the_noticeboard_and_ledger_take_the_same_number_of_queries_however_long(personas) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from kindred.groups.models import LedgerEntry

    group = make_group(personas)
    client = client_for(personas.facilitator)
    urls = [reverse("groups:board", kwargs={"slug": group.slug}), reverse("groups:funds", kwargs={"slug": group.slug})]

    def counts() -> list[int]:
        out = []
        for url in urls:
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            out.append(len(queries))
        return out

    def add(n: int) -> None:
        for i in range(n):
            author = (personas.member, personas.peer, personas.facilitator)[i % 3]
            BoardPost.objects.create(group=group, author=author, body=f"Post {i}")
            LedgerEntry.objects.create(
                group=group, direction="spending", category="other", amount_pence=100 + i, on=timezone.localdate()
            )

    add(2)
    few = counts()
    add(30)
    assert counts() == few
