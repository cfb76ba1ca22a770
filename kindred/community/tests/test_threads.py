"""Threads and replies: posting, editing, deleting, reactions, content notes, pseudonyms, following and digests,
engagements, and crisis screening before anything is shown."""

from __future__ import annotations

import html
from datetime import time

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from kindred.commons.models import Engagement
from kindred.community import services
from kindred.community.models import Follow, Post, PostStatus, Reaction, SpaceVisibility
from kindred.community.services import Screening
from kindred.core.models import AuditEvent
from kindred.notifications.models import Notification
from kindred.organisations.models import CrisisResource
from kindred.testing.clients import client_for

from .core_helpers import agree, make_reply, make_space, make_thread

pytestmark = pytest.mark.django_db


@pytest.fixture
def space(personas):
    return make_space(personas)


def test_member_starts_a_thread_and_another_replies_under_pseudonyms(personas, space):
    personas.member.real_name = "Margaret Realname"
    personas.member.save()
    agree(personas.member, space)
    member = client_for(personas.member)
    response = member.post(
        reverse("community:thread_create", args=[space.slug]),
        {"title": "Can't sleep", "body": "Anyone else **awake** at 3am?"},
    )
    post = Post.objects.get(thread__title="Can't sleep")
    assert response["Location"].endswith(f"#post-{post.public_id}")
    agree(personas.peer, space)
    reply = client_for(personas.peer).post(
        reverse("community:thread", args=[post.thread.public_id]), {"body": "Me too, most nights."}
    )
    assert reply.status_code == 302
    page = (
        client_for(personas.outsider if False else personas.facilitator)
        .get(reverse("community:thread", args=[post.thread.public_id]))
        .content.decode()
    )
    assert "<strong>awake</strong>" in page
    assert "Me too, most nights." in page
    assert personas.member.display_name in page and "Margaret Realname" not in page


def test_empty_or_overlong_posts_are_refused_kindly(personas, space):
    agree(personas.member, space)
    member = client_for(personas.member)
    page = member.post(reverse("community:thread_create", args=[space.slug]), {"title": "", "body": ""})
    assert "Please give your post a title." in page.content.decode()
    page = member.post(reverse("community:thread_create", args=[space.slug]), {"title": "t", "body": "x" * 10001})
    assert "10000 characters or fewer" in page.content.decode()
    assert not Post.objects.exists()


def test_edit_own_post_shows_edited_and_others_cannot_edit(personas, space):
    thread = make_thread(space, personas.member)
    post = thread.posts.get()
    url = reverse("community:post_edit", args=[post.public_id])
    assert client_for(personas.peer).post(url, {"body": "hijack"}).status_code == 403
    assert client_for(personas.outsider).get(url).status_code == 404
    client_for(personas.member).post(url, {"body": "It's been a hard month, actually."})
    post.refresh_from_db()
    assert post.body == "It's been a hard month, actually." and post.edited_at is not None
    page = client_for(personas.peer).get(reverse("community:thread", args=[thread.public_id])).content.decode()
    assert 'data-testid="edited">edited<' in page


def test_delete_own_post_leaves_a_placeholder(personas, space):
    thread = make_thread(space, personas.member)
    reply = make_reply(thread, personas.peer, "Something I regret saying")
    url = reverse("community:post_delete", args=[reply.public_id])
    assert client_for(personas.member).post(url).status_code == 403
    assert client_for(personas.peer).get(url).status_code == 200
    client_for(personas.peer).post(url)
    page = client_for(personas.member).get(reverse("community:thread", args=[thread.public_id])).content.decode()
    assert "Something I regret saying" not in page
    assert "This post was deleted by the person who wrote it." in page


def test_supportive_reactions_toggle_and_show_counts(personas, space):
    thread = make_thread(space, personas.member)
    post = thread.posts.get()
    url = reverse("community:post_react", args=[post.public_id])
    peer = client_for(personas.peer)
    peer.post(url, {"kind": "thinking_of_you"})
    client_for(personas.facilitator).post(url, {"kind": "thinking_of_you"})
    assert Reaction.objects.filter(post=post, kind="thinking_of_you").count() == 2
    page = client_for(personas.member).get(reverse("community:thread", args=[thread.public_id])).content.decode()
    assert "Thinking of you · 2" in page
    peer.post(url, {"kind": "thinking_of_you"})  # take it back
    assert Reaction.objects.filter(post=post).count() == 1
    peer.post(url, {"kind": "angry"})
    assert Reaction.objects.filter(post=post).count() == 1
    assert peer.get(url).status_code == 405
    client_for(personas.member).post(url, {"kind": "me_too"})  # not on your own post
    assert not Reaction.objects.filter(user=personas.member).exists()


def test_content_warning_keeps_text_folded_in_details(personas, space):
    agree(personas.member, space)
    services.thread_create(
        author=personas.member, space=space, title="About last year", body="The hard part.", content_warning="self-harm"
    )
    thread = space.threads.get()
    page = client_for(personas.peer).get(reverse("community:thread", args=[thread.public_id])).content.decode()
    folded = page[page.index("<details") : page.index("</details>")]
    assert "Content note: self-harm" in folded and "The hard part." in folded


def test_follow_notifies_in_kindred_and_blocked_authors_do_not(personas, space):
    thread = make_thread(space, personas.member)
    client_for(personas.peer).post(reverse("community:thread_follow", args=[thread.public_id]), {"following": "on"})
    assert Follow.objects.filter(thread=thread, user=personas.peer).exists()
    make_reply(thread, personas.facilitator, "Sending strength.")
    titles = list(Notification.objects.filter(kind="community.reply").values_list("user__email", flat=True))
    assert sorted(titles) == sorted([personas.member.email, personas.peer.email])  # author follows automatically
    client_for(personas.peer).post(reverse("community:thread_follow", args=[thread.public_id]), {})
    assert not Follow.objects.filter(thread=thread, user=personas.peer).exists()
    assert (
        client_for(personas.outsider).post(reverse("community:thread_follow", args=[thread.public_id])).status_code
        == 404
    )


def test_email_digest_is_idempotent_and_respects_quiet_hours(
    personas, space, time_machine, django_capture_on_commit_callbacks
):
    time_machine.move_to("2026-11-20 12:00Z")
    thread = make_thread(space, personas.member)
    services.follow_set(user=personas.peer, thread=thread, following=True, email_digest=True)
    time_machine.move_to("2026-11-20 13:00Z")
    make_reply(thread, personas.facilitator, "One")
    make_reply(thread, personas.member, "Two")
    profile = personas.peer.profile
    profile.quiet_hours_start, profile.quiet_hours_end, profile.timezone = time(21, 0), time(8, 0), "Europe/London"
    profile.save()
    time_machine.move_to("2026-11-20 23:00Z")  # in quiet hours: nothing
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("community_digest")
    assert mail.outbox == []
    time_machine.move_to("2026-11-21 09:00Z")
    with django_capture_on_commit_callbacks(execute=True):
        call_command("community_digest")
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [personas.peer.email]
    assert "2 new" in mail.outbox[0].body and thread.title in mail.outbox[0].body
    with django_capture_on_commit_callbacks(execute=True):
        call_command("community_digest")  # again: nothing new, nothing sent
    assert len(mail.outbox) == 1


def test_engagements_receiving_and_giving(personas, space):
    thread = make_thread(space, personas.member)
    make_reply(thread, personas.peer)
    assert Engagement.objects.filter(person=personas.member, form="online", role="receiving").exists()
    assert Engagement.objects.filter(person=personas.peer, form="online", role="giving").exists()
    make_reply(thread, personas.member, "Thanks")  # replying in your own thread isn't giving
    assert not Engagement.objects.filter(person=personas.member, role="giving").exists()


def test_only_members_may_post_in_members_space_and_muted_cannot(personas, space):
    thread = make_thread(space, personas.member)
    url = reverse("community:thread", args=[thread.public_id])
    assert client_for(personas.outsider).post(url, {"body": "hi"}).status_code == 404
    public = make_space(personas, visibility=SpaceVisibility.PUBLIC, name="Public")
    agree(personas.outsider, public)
    # Anyone signed in may post in a public space once they agree to the rules.
    assert (
        client_for(personas.outsider)
        .post(reverse("community:thread_create", args=[public.slug]), {"title": "Hi", "body": "Hello all"})
        .status_code
        == 302
    )


# ---------------------------------------------------------------- screening


@pytest.fixture
def screening(monkeypatch):
    """Drive the screening result so these tests check the flow, not the detector."""
    holder = {"result": Screening()}
    monkeypatch.setattr(services, "screen_text", lambda text: holder["result"])
    return holder


def test_concern_shows_the_author_a_kind_panel_and_alerts_moderators_on_duty(
    personas, space, screening, django_capture_on_commit_callbacks
):
    from kindred.community.moderation import shift_start

    CrisisResource.objects.create(organisation=personas.organisation, name="Riverside crisis line", phone="0161 000")
    shift_start(moderator=personas.moderator, organisation=personas.organisation)
    thread = make_thread(space, personas.peer)
    agree(personas.member, space)
    screening["result"] = Screening("concern", ["want to die"], False)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(personas.member).post(
            reverse("community:thread", args=[thread.public_id]), {"body": "Some days I want to die."}, follow=True
        )
    page = response.content.decode()
    assert 'data-testid="support-panel"' in page
    assert "Riverside crisis line" in page and "Samaritans" in page and "NHS 111" in page
    post = Post.objects.get(body="Some days I want to die.")
    assert post.status == PostStatus.VISIBLE and post.screening_level == "concern"
    alert = Notification.objects.get(kind="community.crisis")
    assert alert.user == personas.moderator  # on duty; the coordinator isn't
    assert [m.to for m in mail.outbox if "may need support" in m.subject] == [[personas.moderator.email]]
    assert AuditEvent.objects.filter(action="community.crisis_alert").exists()
    # Others don't see a panel
    other = client_for(personas.peer).get(
        reverse("community:thread", args=[thread.public_id]) + f"?posted={post.public_id}"
    )
    assert 'data-testid="support-panel"' not in other.content.decode()


def test_method_detail_is_held_for_a_moderator_and_the_author_is_told(personas, space, screening):
    thread = make_thread(space, personas.peer)
    agree(personas.member, space)
    screening["result"] = Screening("urgent", ["method"], True)
    response = client_for(personas.member).post(
        reverse("community:thread", args=[thread.public_id]), {"body": "detail about a method"}, follow=True
    )
    page = html.unescape(response.content.decode())
    assert "Your post is waiting for a moderator" in page and "You haven't done anything wrong" in page
    post = Post.objects.get(body="detail about a method")
    assert post.status == PostStatus.HELD
    # Others don't see it at all; followers aren't told yet.
    other = client_for(personas.peer).get(reverse("community:thread", args=[thread.public_id])).content.decode()
    assert "detail about a method" not in other
    assert not Notification.objects.filter(kind="community.reply").exists()
    # It's in the moderators' queue; a moderator lets it through; then followers hear.
    queue = client_for(personas.moderator).get(reverse("community:queue", args=["riverside"])).content.decode()
    assert "Held post" in queue and "detail about a method" in queue
    client_for(personas.moderator).post(
        reverse("community:post_moderate", args=[post.public_id]),
        {"kind": "restore", "reason": "Checked in with them; it's OK to show with a content note."},
    )
    post.refresh_from_db()
    assert post.status == PostStatus.VISIBLE
    assert Notification.objects.filter(kind="community.reply", user=personas.peer).exists()


def test_the_real_screening_service_is_called_when_present(personas, space):
    # Without monkeypatching: whatever the detector, an ordinary post goes straight through.
    thread = make_thread(space, personas.member, body="Had a lovely walk by the canal today.")
    assert thread.posts.get().status == PostStatus.VISIBLE
    assert thread.posts.get().screening_level == "none"


def test_the_real_screener_answers_a_person_in_distress_at_once(personas, space):
    agree(personas.member, space)
    response = client_for(personas.member).post(
        reverse("community:thread_create", args=[space.slug]),
        {"title": "Tonight", "body": "I want to kill myself tonight. I can't do this any more."},
        follow=True,
    )
    assert 'data-testid="support-panel"' in response.content.decode()
    assert Post.objects.get().screening_level in {"concern", "urgent"}


def test_an_idiom_is_not_flagged_by_the_real_screener(personas, space):
    thread = make_thread(space, personas.member, body="This traffic is killing me, I'm dying to get home.")
    assert thread.posts.get().screening_level == "none"


def test_thread_page_queries_do_not_grow_with_replies(personas, space):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    thread = make_thread(space, personas.member)
    for n in range(3):
        make_reply(thread, personas.peer, f"Reply {n}")
    reader = client_for(personas.facilitator)
    url = reverse("community:thread", args=[thread.public_id])
    reader.get(url)
    with CaptureQueriesContext(connection) as few:
        reader.get(url)
    for n in range(10):
        make_reply(thread, personas.psw, f"More {n}")
    with CaptureQueriesContext(connection) as many:
        reader.get(url)
    assert len(many) == len(few)
