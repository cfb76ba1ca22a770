"""Chat room pages without JavaScript: the list, history and paging, posting, opening hours, guests,
screening, reporting, moderation and appeal, presence, and the demo rooms."""

from __future__ import annotations

import uuid
from datetime import datetime, time
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from kindred.community import chat
from kindred.community.models import (
    ActionKind,
    Appeal,
    ChatMessage,
    MessageStatus,
    ModerationAction,
    OpeningHours,
    Report,
    Room,
    RoomPresence,
)
from kindred.notifications.models import Notification
from kindred.testing.clients import client_for
from kindred.testing.factories import CrisisResourceFactory

from .core_helpers import make_space
from .test_rooms_helpers import make_room, on_duty

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")


def post(client, room, text, client_msg_id=None):
    return client.post(
        reverse("community:room_post", args=[room.public_id]),
        {"text": text, "client_msg_id": client_msg_id or uuid.uuid4().hex},
    )


def say(room, author, text, n):
    return chat.message_post(author=author, room=room, text=text, client_msg_id=f"seed-{n}").message


def test_room_list_shows_only_rooms_people_may_read(personas):
    make_room(personas.organisation, name="Riverside evening")
    make_room(personas.other_organisation, name="Hilltop lounge")
    html = client_for(personas.member).get(reverse("community:rooms")).content.decode()
    assert "Riverside evening" in html and "Hilltop lounge" not in html
    assert client_for(None).get(reverse("community:rooms")).status_code == 302


def test_room_page_renders_history_without_javascript_and_escapes_script(personas):
    room = make_room(personas.organisation)
    say(room, personas.peer, "<script>alert('x')</script> hello", 1)
    response = client_for(personas.member).get(reverse("community:room", args=[room.public_id]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; hello" in html
    assert "<script>alert" not in html
    assert 'src="/static/kindred/chat.js"' in html and "<script>" not in html
    assert f'data-ws-path="/ws/rooms/{room.public_id}/"' in html


def test_outsiders_get_not_found_and_anonymous_visitors_are_asked_to_sign_in(personas):
    room = make_room(personas.organisation)
    url = reverse("community:room", args=[room.public_id])
    assert client_for(personas.outsider).get(url).status_code == 404
    assert client_for(None).get(url).status_code == 302
    response = client_for(personas.outsider).post(
        reverse("community:room_post", args=[room.public_id]), {"text": "hi", "client_msg_id": "a"}
    )
    assert response.status_code == 404
    assert not ChatMessage.objects.exists()


def test_history_pages_back_through_older_messages(personas):
    room = make_room(personas.organisation, messages_per_minute=500)
    for n in range(60):
        ChatMessage.objects.create(room=room, author=personas.peer, client_msg_id=f"h{n}", body=f"message number {n}")
    client = client_for(personas.member)
    html = client.get(reverse("community:room", args=[room.public_id])).content.decode()
    assert "message number 59" in html and "message number 10<" in html and "message number 9<" not in html
    oldest = ChatMessage.objects.get(client_msg_id="h10")
    assert f"?before={oldest.public_id}" in html
    older = client.get(reverse("community:room", args=[room.public_id]), {"before": str(oldest.public_id)})
    older_html = older.content.decode()
    assert "message number 0<" in older_html and "message number 9<" in older_html
    assert "message number 10<" not in older_html


def test_posting_from_the_form_stores_once_even_if_submitted_twice(personas):
    room = make_room(personas.organisation)
    client = client_for(personas.member)
    first = post(client, room, "Hello everyone", client_msg_id="form-1")
    again = post(client, room, "Hello everyone", client_msg_id="form-1")
    assert first.status_code == again.status_code == 302
    assert ChatMessage.objects.filter(body="Hello everyone").count() == 1
    page = client.get(first["Location"]).content.decode()
    assert "Hello everyone" in page


@pytest.mark.parametrize(
    ("text", "expected"),
    [("", "Please write a message first."), ("x" * 2001, "Messages can be up to 2,000 characters")],
)
def test_bad_messages_get_a_kind_error_and_change_nothing(personas, text, expected):
    room = make_room(personas.organisation)
    response = post(client_for(personas.member), room, text)
    assert response.status_code == 400
    html = response.content.decode()
    assert (
        expected in html
        and 'class="error-summary"' in html
        and 'aria-describedby="chat-text-help chat-text-error"' in html
    )
    assert not ChatMessage.objects.exists()


def test_a_closed_room_shows_when_it_next_opens_in_london_time(personas):
    room = make_room(personas.organisation, schedule="scheduled")
    # Opening on Mondays 19:00-21:00 London time; it is Monday 6 July 2026, 17:30 in London (16:30 UTC, BST).
    OpeningHours.objects.create(room=room, weekday=0, opens_at=time(19), closes_at=time(21))
    with time_machine.travel(datetime(2026, 7, 6, 16, 30, tzinfo=ZoneInfo("UTC")), tick=False):
        client = client_for(personas.member)
        html = client.get(reverse("community:room", args=[room.public_id])).content.decode()
        assert "It next opens on Monday 6 July at 19:00." in html
        response = post(client, room, "Anyone here?")
        assert response.status_code == 403
        assert not ChatMessage.objects.exists()
    # 18:30 UTC is 19:30 in London: within hours, but only open once a moderator is on duty.
    with time_machine.travel(datetime(2026, 7, 6, 18, 30, tzinfo=ZoneInfo("UTC")), tick=False):
        assert "as soon as a moderator joins" in chat.room_state(room).message
        on_duty(personas.moderator, personas.organisation)
        assert chat.room_state(room).is_open
        assert post(client_for(personas.member), room, "Evening!").status_code == 302
    # In winter (GMT) the same hours are the same London clock times.
    with time_machine.travel(datetime(2026, 12, 7, 19, 30, tzinfo=ZoneInfo("UTC")), tick=False):
        assert chat.room_state(room).is_open
    with time_machine.travel(datetime(2026, 12, 7, 21, 0, tzinfo=ZoneInfo("UTC")), tick=False):
        state = chat.room_state(room)
        assert not state.is_open and state.next_opening == datetime(2026, 12, 14, 19, tzinfo=LONDON)


def test_guests_read_along_but_cannot_post(personas):
    room = make_room(personas.organisation, guests_can_read=True)
    say(room, personas.peer, "Welcome, everyone", 1)
    client = client_for(personas.outsider)
    html = client.get(reverse("community:room", args=[room.public_id])).content.decode()
    assert "Welcome, everyone" in html
    assert 'id="chat-form"' not in html and "Only members of the organisation can post" in html
    assert post(client, room, "Hello from a guest").status_code == 403
    assert ChatMessage.objects.count() == 1


def test_a_message_in_distress_brings_the_crisis_panel_and_alerts_moderators(
    personas, django_capture_on_commit_callbacks
):
    CrisisResourceFactory(organisation=personas.organisation, name="Riverside night line", phone="0161 496 0000")
    room = make_room(personas.organisation)
    on_duty(personas.moderator, personas.organisation)
    client = client_for(personas.member)
    with django_capture_on_commit_callbacks(execute=True):
        response = post(client, room, "I can't keep myself safe tonight.")
    html = client.get(response["Location"]).content.decode()
    assert 'data-testid="crisis-panel"' in html
    assert "Riverside night line" in html and "116 123" in html
    assert Notification.objects.filter(user=personas.moderator, kind="community.crisis").exists()
    assert mail.outbox and personas.moderator.email in mail.outbox[-1].to
    # The panel is shown once, not on every later visit.
    assert 'data-testid="crisis-panel"' not in client.get(response["Location"]).content.decode()


def test_a_held_message_is_seen_only_by_its_author_and_moderators_until_released(personas):
    room = make_room(personas.organisation)
    author = client_for(personas.member)
    response = post(author, room, "How many [tablets] would it take to not wake up?")
    message = ChatMessage.objects.get()
    assert message.status == MessageStatus.HELD
    author_html = author.get(response["Location"]).content.decode()
    assert "haven't shown your message to others yet" in author_html and "Waiting for a moderator" in author_html
    assert "[tablets]" not in client_for(personas.peer).get(response["Location"]).content.decode()
    moderator = client_for(personas.moderator)
    assert "[tablets]" in moderator.get(response["Location"]).content.decode()
    moderator.post(
        reverse("community:message_moderate", args=[message.public_id]),
        {"kind": ActionKind.HIDE, "reason": "We keep details like this out of the room, to keep everyone safe."},
    )
    message.refresh_from_db()
    assert message.status == MessageStatus.HIDDEN


def test_report_hide_and_appeal_a_chat_message(personas):
    room = make_room(personas.organisation)
    message = say(room, personas.peer, "You lot are all pathetic.", 1)
    reporter = client_for(personas.member)
    response = reporter.post(
        reverse("community:message_report", args=[message.public_id]), {"reason": "unkind", "note": "Harsh."}
    )
    assert response.status_code == 302
    report = Report.objects.get()
    assert report.target == message and report.organisation == personas.organisation

    moderator = client_for(personas.moderator)
    queue = moderator.get(reverse("community:queue", args=[personas.organisation.slug])).content.decode()
    assert "You lot are all pathetic." in queue
    moderator.post(
        reverse("community:message_moderate", args=[message.public_id]),
        {"kind": ActionKind.HIDE, "reason": "Please be kind: everyone here is finding their way."},
    )
    message.refresh_from_db()
    assert message.status == MessageStatus.HIDDEN
    assert (
        "You lot are all pathetic."
        not in reporter.get(reverse("community:room", args=[room.public_id])).content.decode()
    )

    action = ModerationAction.objects.get(kind=ActionKind.HIDE)
    note = Notification.objects.get(user=personas.peer, kind="community.moderation")
    author = client_for(personas.peer)
    page = author.get(note.url).content.decode()
    assert "Please be kind: everyone here is finding their way." in page
    author.post(note.url, {"text": "I was upset, but I see it was unkind. Sorry."})
    assert Appeal.objects.get(action=action).appellant == personas.peer


def test_only_moderators_may_moderate_a_message(personas):
    room = make_room(personas.organisation)
    message = say(room, personas.peer, "hello", 1)
    url = reverse("community:message_moderate", args=[message.public_id])
    assert client_for(personas.member).get(url).status_code == 403
    assert client_for(personas.outsider).get(url).status_code == 404
    assert client_for(personas.moderator).get(url).status_code == 200


def test_a_space_room_follows_the_spaces_access(personas):
    space = make_space(personas, visibility="invite_only", name="Invite only")
    room = make_room(personas.organisation, name="Inner room", space=space)
    assert client_for(personas.member).get(reverse("community:room", args=[room.public_id])).status_code == 404
    assert client_for(personas.moderator).get(reverse("community:room", args=[room.public_id])).status_code == 200


def test_presence_names_are_shown_only_by_choice(personas):
    room = make_room(personas.organisation)
    RoomPresence.objects.create(room=room, user=personas.peer, connections=1)
    RoomPresence.objects.create(room=room, user=personas.facilitator, connections=1, show_name=True)
    client = client_for(personas.member)
    html = client.get(reverse("community:room", args=[room.public_id])).content.decode()
    assert "2 people here, including Facilitator." in html and "Peer" not in html.split('id="chat-presence"')[1][:200]
    client.post(reverse("community:room_presence", args=[room.public_id]), {"show_name": "1"})
    assert RoomPresence.objects.get(room=room, user=personas.member).show_name is True


def test_room_page_query_count_does_not_grow_with_messages(personas, django_assert_max_num_queries):
    room = make_room(personas.organisation)
    for n in range(40):
        ChatMessage.objects.create(room=room, author=personas.peer, client_msg_id=f"q{n}", body=f"m{n}")
    client = client_for(personas.member)
    client.get(reverse("community:room", args=[room.public_id]))
    with django_assert_max_num_queries(30):
        client.get(reverse("community:room", args=[room.public_id]))


def test_demo_rooms_load_idempotently():
    from kindred.demo import world
    from kindred.demo.rooms import NIGHT_OWLS, VOICES_DROP_IN, load_rooms

    world.load()
    load_rooms()
    load_rooms()
    night_owls = Room.objects.get(slug=NIGHT_OWLS)
    assert night_owls.schedule == "scheduled" and night_owls.opening_hours.count() == 7
    assert Room.objects.get(slug=VOICES_DROP_IN).schedule == "always_open"
    assert Room.objects.filter(slug__in=[NIGHT_OWLS, VOICES_DROP_IN]).count() == 2
    assert ChatMessage.objects.filter(room=night_owls).count() == 5
