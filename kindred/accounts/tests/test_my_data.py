""" "My data": the download holds every category, nothing about anyone else, and is guarded.

The world: `me` (the personas' member) and `other` (the personas' peer) each have a profile, posts, messages and
a referral; `other` also writes privately to a third person, and a peer support worker keeps private session notes
about `me`. Markers in capitals make "is it there / is it absent" checks exact.
"""

from __future__ import annotations

import html
import json
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from kindred.accounts import my_data
from kindred.accounts import services as account_services
from kindred.accounts.models import ConsentKind, User
from kindred.accounts.personal_data import registered
from kindred.care import services as care
from kindred.commons import reach
from kindred.commons.blocks import block_create
from kindred.community import chat, moderation
from kindred.community import services as community_services
from kindred.community.tests.core_helpers import make_reply, make_space, make_thread
from kindred.community.tests.test_rooms_helpers import make_room
from kindred.core.models import AuditEvent
from kindred.directory import referrals
from kindred.groups import services as group_services
from kindred.groups import stay
from kindred.groups.tests.core_helpers import join, make_group
from kindred.journey import services as journey
from kindred.onetoone import practice
from kindred.onetoone import services as onetoone_services
from kindred.onetoone.tests.practice_fixtures import make_scheme, make_world
from kindred.testing.clients import client_for
from kindred.testing.personas import PASSWORD, Personas
from kindred.wellbeing import services as wellbeing

pytestmark = pytest.mark.django_db

HELLO = reach.Kind("test.hello", reach.Purpose.UPDATE, "A test message")

URL = "/account/settings/my-data/"
API = "/api/me/export"

OTHER_PRIVATE = (
    "peer@example.org",  # the other person's email
    "OTHER-REAL-NAME",
    "OTHER-EXPERIENCE-TEXT",
    "OTHER-SUPPORTER-STORY",
    "OTHER-PRIVATE-TO-THIRD",
    "OTHER-REFERRAL-MESSAGE",
    "OTHER-BOARD-POST",
    "OTHER-CHAT-MESSAGE",
    "OTHER-REPLY-TEXT",  # their reply, which I reported: the report must not carry its words
    "PSW-PRIVATE-NOTE",  # the organisation's record about me: not in my export (subject access request)
    "OTHER-GOAL",  # their goals and notes, even though they share a summary with me
    "OTHER-MOMENT",
    "OTHER-REFLECTION",
    "PSW-CARE-NOTE",
)


@dataclass
class World:
    p: Personas
    me: User
    other: User
    other_checkin: str


def _profile(user: User, *, experience: str, real_name: str) -> None:
    account_services.profile_update(actor=user, changes={"experience": experience, "gender": "woman"})
    account_services.account_update_names(actor=user, display_name=user.display_name, real_name=real_name)


@pytest.fixture
def world(personas: Personas) -> World:
    p = personas
    me, other, third = p.member, p.peer, p.facilitator
    _profile(me, experience="MY-EXPERIENCE-TEXT", real_name="MY-REAL-NAME")
    _profile(other, experience="OTHER-EXPERIENCE-TEXT", real_name="OTHER-REAL-NAME")
    account_services.consent_set(actor=me, kind=ConsentKind.RESEARCH_CONTACT, granted=True)
    account_services.consent_set(actor=other, kind=ConsentKind.RESEARCH_CONTACT, granted=True)

    # Groups: both join (engagements recorded), both post on the noticeboard, both ask to join (referrals).
    group = make_group(p)
    join(group, me)
    join(group, other)
    for person, text in ((me, "MY-BOARD-POST"), (other, "OTHER-BOARD-POST")):
        _, viewer = stay.member_group_for(person, group.slug)
        stay.board_post_add(actor=person, viewer=viewer, body=text)
    meeting = group_services.meeting_create(
        actor=p.facilitator, group=group, starts_at=timezone.now() + timedelta(minutes=30), title="MY-MEETING"
    )
    group_services.rsvp_set(actor=me, meeting=meeting, answer="going")
    group_services.attendance_mark(
        actor=p.facilitator,
        meeting=meeting,
        marks={str(me.public_id): (True, True), str(other.public_id): (False, False)},
    )
    _, my_view = stay.member_group_for(me, group.slug)
    stay.newsletter_item_submit(actor=me, viewer=my_view, title="MY-NEWSLETTER-TITLE", body="MY-NEWSLETTER-ITEM")
    stay.subscription_set(actor=me, viewer=my_view, subscribed=False)
    stay.absence_check_in_set(actor=me, viewer=my_view, trusted_public_id=str(other.public_id), after_missed=3)
    second = make_group(p, name="Calder walking group")
    referrals.referral_create_self(actor=me, offer=second.offer, kind="join", message="MY-REFERRAL-MESSAGE")
    referrals.referral_create_self(actor=other, offer=second.offer, kind="join", message="OTHER-REFERRAL-MESSAGE")

    # Online: my thread, their reply (which I report), my reply; chat messages from both.
    space = make_space(p)
    thread = make_thread(space, me, title="MY-THREAD-TITLE", body="MY-POST-TEXT")
    their_reply = make_reply(thread, other, body="OTHER-REPLY-TEXT")
    make_reply(thread, me, body="MY-REPLY-TEXT")
    community_services.reaction_toggle(user=me, post=their_reply, kind="thinking_of_you")
    moderation.report_create(reporter=me, target=their_reply, reason="unkind", note="MY-REPORT-NOTE")
    room = make_room(p.organisation)
    chat.message_post(author=me, room=room, text="MY-CHAT-MESSAGE", client_msg_id="me-1", deliver=False)
    chat.message_post(author=other, room=room, text="OTHER-CHAT-MESSAGE", client_msg_id="other-1", deliver=False)

    # One-to-one: me and other talk; other also talks privately with a third person.
    connection = onetoone_services.connection_request(actor=me, recipient=other, note="MY-CONNECTION-NOTE")
    connection = onetoone_services.connection_respond(actor=other, connection=connection, accept=True)
    conversation = connection.conversation
    onetoone_services.message_send(actor=me, conversation=conversation, body="MY-MESSAGE-TO-OTHER")
    onetoone_services.message_send(actor=other, conversation=conversation, body="OTHER-MESSAGE-TO-ME")
    private = onetoone_services.connection_request(actor=other, recipient=third)
    private = onetoone_services.connection_respond(actor=third, connection=private, accept=True)
    onetoone_services.message_send(actor=other, conversation=private.conversation, body="OTHER-PRIVATE-TO-THIRD")
    onetoone_services.supporter_profile_save(
        actor=other, scheme=None, experience_distress="OTHER-SUPPORTER-STORY", capacity=2, languages="English"
    )
    onetoone_services.supporter_profile_save(
        actor=me, scheme=None, experience_distress="MY-SUPPORTER-STORY", capacity=1, languages="English"
    )
    block_create(actor=me, other=p.outsider)

    # A peer support worker supports me: a session with their private note and mine.
    w = make_world(p)
    session = practice.session_log(
        actor=p.psw,
        match=w.match,
        starts_at=timezone.now() - timedelta(days=1),
        duration_minutes=50,
        channel="phone",
    )
    practice.note_add(actor=p.psw, session=session, body="PSW-PRIVATE-NOTE")
    practice.note_add(actor=me, session=session, body="MY-SESSION-NOTE")
    befriending = make_scheme(p, title="Riverside befriending", kind="befriending")
    onetoone_services.match_request_create(actor=me, scheme=befriending, about="MY-MATCH-REQUEST")

    # Well-being: check-ins and goals for both; the other person shares a summary with me (theirs, not mine).
    wellbeing.checkin_submit(
        actor=me, measure="ons4", answers={"life_satisfaction": 7, "worthwhile": 9, "happiness": 4, "anxiety": 6}
    )
    goal = wellbeing.goal_create(actor=me, title="MY-GOAL")
    wellbeing.goal_note_add(actor=me, goal=goal, body="MY-GOAL-NOTE", progress=3)
    other_checkin = wellbeing.checkin_submit(
        actor=other, measure="ucla3", answers={"companionship": 3, "left_out": 3, "isolated": 3}
    )
    other_goal = wellbeing.goal_create(actor=other, title="OTHER-GOAL")
    wellbeing.goal_note_add(actor=other, goal=other_goal, body="OTHER-GOAL-NOTE")
    wellbeing.share_create(actor=other, supporter=me, measures=["ucla3"], include_goals=True)

    # Journey: my moments and reflections, and theirs.
    journey.moment_create(actor=me, happened_on=date(2024, 5, 1), text="MY-MOMENT")
    journey.reflection_create(actor=me, text="MY-REFLECTION")
    journey.moment_create(actor=other, happened_on=date(2024, 5, 1), text="OTHER-MOMENT")
    journey.reflection_create(actor=other, text="OTHER-REFLECTION")

    # Supporter care: the PSW's check-in after our session is theirs; my own "any time" check-in is mine.
    care.checkin_record(actor=p.psw, feeling=2, note="PSW-CARE-NOTE", session=session)
    care.checkin_record(actor=me, feeling=4, note="MY-CARE-NOTE")

    reach.send(to=me, kind=HELLO, title="MY-NOTIFICATION")
    reach.send(to=other, kind=HELLO, title="OTHER-NOTIFICATION")
    return World(p=p, me=me, other=other, other_checkin=str(other_checkin.public_id))


def download(client: Client, **extra: str) -> Any:
    return client.post(URL, {"current_password": PASSWORD, "format": "json", **extra})


def body_of(response: Any) -> str:
    return b"".join(response.streaming_content).decode()


def exported(user: User) -> tuple[dict[str, Any], str]:
    response = download(client_for(user))
    assert response.status_code == 200, response.content
    text = body_of(response)
    return json.loads(text), text


# --- the page and who may use it ---------------------------------------------------------------------


def test_account_settings_link_to_the_my_data_page(personas):
    page = client_for(personas.member).get(reverse("accounts:settings")).content.decode()
    assert f'href="{URL}"' in page
    assert "Get a copy of your data" in page


def test_page_explains_what_is_and_is_not_included(personas):
    response = client_for(personas.member).get(URL)
    page = response.content.decode()
    assert response.status_code == 200
    assert response["Cache-Control"].startswith("no-store") or "no-store" in response["Cache-Control"]
    for category in registered():
        assert category.label in page
    assert "subject access request" in page
    assert 'name="current_password"' in page
    assert 'value="json"' in page and 'value="html"' in page


def test_logged_out_people_are_sent_to_log_in_and_nothing_is_exported(personas):
    anonymous = Client()
    for response in (anonymous.get(URL), anonymous.post(URL, {"format": "json"})):
        assert response.status_code == 302
        assert response["Location"].startswith("/account/login/")
    api = anonymous.get(API)
    assert api.status_code == 401
    assert api.json()["detail"].startswith("Please sign in")
    assert not AuditEvent.objects.filter(action="account.export").exists()


def test_wrong_method_is_refused(personas):
    assert client_for(personas.member).put(URL).status_code == 405
    assert client_for(personas.member).post(API).status_code == 405


def test_a_wrong_password_downloads_nothing(personas):
    response = client_for(personas.member).post(URL, {"current_password": "not-it", "format": "json"})
    assert response.status_code == 400
    assert "That password isn't right" in html.unescape(response.content.decode())
    assert "Content-Disposition" not in response
    assert not AuditEvent.objects.filter(action="account.export").exists()


def test_a_request_without_csrf_token_is_refused(personas):
    client = Client(enforce_csrf_checks=True)
    assert client.login(email=personas.member.email, password=PASSWORD)
    response = download(client)
    assert response.status_code == 403
    assert not AuditEvent.objects.filter(action="account.export").exists()


def test_no_format_chosen_is_a_kind_error(personas):
    response = client_for(personas.member).post(URL, {"current_password": PASSWORD, "format": "pdf"})
    assert response.status_code == 400
    assert "Please choose the file or the page." in response.content.decode()


# --- the download ------------------------------------------------------------------------------------


def test_json_download_is_a_streamed_dated_attachment_and_audited(world):
    response = download(client_for(world.me))
    assert response.status_code == 200
    assert response.streaming
    assert response["Content-Type"] == "application/json"
    today = timezone.localdate().isoformat()
    assert response["Content-Disposition"] == f'attachment; filename="kindred-my-data-{today}.json"'
    assert "no-store" in response["Cache-Control"]
    data = json.loads(body_of(response))
    assert data["about_this_file"]["account"] == str(world.me.public_id)
    event = AuditEvent.objects.get(action="account.export")
    assert event.actor == world.me
    assert event.subject_id == str(world.me.public_id)
    assert event.detail["format"] == "json" and event.detail["via"] == "page"


def test_export_contains_every_category_of_issue_7(world):
    data, text = exported(world.me)
    account = data["account"]
    # profile (all fields with who can see them), consents with versions and times
    assert account["profile"]["experience"] == "MY-EXPERIENCE-TEXT"
    assert account["profile"]["experience_visible_to"] == "Only me"
    assert account["profile"]["gender"] == "woman"
    assert account["account"]["real_name"] == "MY-REAL-NAME"
    assert account["contact_preferences"]["timezone"] == "Europe/London"
    research = [c for c in account["consents"] if c["kind"] == "research_contact"]
    assert research and research[-1]["agreed"] is True and research[-1]["version"] and research[-1]["recorded_at"]
    # check-ins (answers and scores) and goals with their progress notes
    (checkin,) = data["wellbeing"]["checkins"]
    assert checkin["measure"] == "ons4" and checkin["answers"]["worthwhile"] == 9 and checkin["scores"]
    (goal,) = data["wellbeing"]["goals"]
    assert goal["title"] == "MY-GOAL" and goal["progress_notes"][0]["note"] == "MY-GOAL-NOTE"
    # posts, messages (sent and received), referrals
    posts = [p["text"] for p in data["community"]["posts"]]
    assert "MY-POST-TEXT" in posts and "MY-REPLY-TEXT" in posts
    assert [m["text"] for m in data["community"]["chat_messages"]] == ["MY-CHAT-MESSAGE"]
    (conversation,) = data["onetoone"]["conversations"]
    assert conversation["with"] == world.other.display_name
    assert [(m["from"], m["text"]) for m in conversation["messages"]] == [
        ("you", "MY-MESSAGE-TO-OTHER"),
        (world.other.display_name, "OTHER-MESSAGE-TO-ME"),
    ]
    (referral,) = data["directory"]["requests_and_referrals"]
    assert referral["your_message"] == "MY-REFERRAL-MESSAGE"
    # groups, sessions (my own note), notifications, organisations, reports, reactions
    assert [p["text"] for p in data["groups"]["noticeboard_posts"]] == ["MY-BOARD-POST"]
    assert {m["group"] for m in data["groups"]["group_memberships"]} == {"Riverside Hearing Voices"}
    assert [(r["meeting"], r["answer"]) for r in data["groups"]["meeting_replies"]] == [("MY-MEETING", "Going")]
    assert [(a["present"], a["first_visit"]) for a in data["groups"]["your_attendance"]] == [(True, True)]
    (session,) = data["onetoone"]["sessions"]
    assert [n["text"] for n in session["your_own_notes"]] == ["MY-SESSION-NOTE"]
    assert "MY-NOTIFICATION" in [n["title"] for n in data["notifications"]["notifications"]]
    assert {"Member"} <= {m["role"] for m in data["organisations"]["memberships_and_roles"]}
    (report,) = data["community"]["reports_you_made"]
    assert report["your_note"] == "MY-REPORT-NOTE" and report["about"].startswith("a post in ")
    assert data["community"]["reactions"][0]["reaction"] == "Thinking of you"
    # your own recorded actions (audit events where you are the actor)
    assert "community.report_create" in [e["action"] for e in account["your_recorded_actions"]]
    assert "MY-CONNECTION-NOTE" in text
    # the rest of groups, one-to-one and online
    groups = data["groups"]
    assert [i["text"] for i in groups["newsletter_items_you_wrote"]] == ["MY-NEWSLETTER-ITEM"]
    assert [c["subscribed"] for c in groups["newsletter_choices"]] == [False]
    (keep_in_touch,) = groups["keep_in_touch_settings"]
    assert keep_in_touch["ask"] == world.other.display_name and keep_in_touch["after_missed_meetings"] == 3
    assert [r["about_you"] for r in data["onetoone"]["match_requests"]] == ["MY-MATCH-REQUEST"]
    (profile,) = data["onetoone"]["supporter_profiles"]
    assert profile["experience_distress"] == "MY-SUPPORTER-STORY"
    assert [b["name"] for b in data["commons"]["people_you_blocked"]] == [world.p.outsider.display_name]
    assert data["community"]["threads_you_started"][0]["title"] == "MY-THREAD-TITLE"


def test_export_contains_engagements_moments_and_reflections(world):
    data, text = exported(world.me)
    journey_text = json.dumps(data["journey"])
    # engagements (the journey's spine): the group I joined, the space I posted in, my one-to-one match
    assert "Riverside Hearing Voices" in journey_text
    assert "MY-MOMENT" in journey_text and "MY-REFLECTION" in journey_text
    for marker in ("OTHER-MOMENT", "OTHER-REFLECTION"):
        assert marker not in text


def test_export_contains_my_supporter_care_checkins(world):
    data, text = exported(world.me)
    assert "MY-CARE-NOTE" in json.dumps(data["care"])
    assert "PSW-CARE-NOTE" not in text


def test_nothing_about_other_people(world):
    data, text = exported(world.me)
    for marker in OTHER_PRIVATE:
        assert marker not in text, marker
    # Their check-in (shared with me as a summary) is theirs: not in my export.
    assert world.other_checkin not in text
    assert [c["measure"] for c in data["wellbeing"]["checkins"]] == ["ons4"]
    # And the other way round: their export holds nothing private of mine, and not their conversation partner's
    # email either.
    _, theirs = exported(world.other)
    for marker in ("member@example.org", "MY-REAL-NAME", "MY-EXPERIENCE-TEXT", "MY-SESSION-NOTE", "MY-REPORT-NOTE"):
        assert marker not in theirs, marker
    assert "OTHER-PRIVATE-TO-THIRD" in theirs  # their own message is theirs
    assert "facilitator@example.org" not in theirs


def test_api_tokens_are_listed_by_name_never_by_secret(personas):
    token, raw = account_services.api_token_create(actor=personas.member, name="My script")
    data, text = exported(personas.member)
    assert [t["name"] for t in data["account"]["api_tokens"]] == ["My script"]
    assert raw not in text and token.digest not in text


def test_every_app_with_personal_data_has_an_exporter(personas):
    assert {entry.key for entry in registered()} >= {"account", "organisations", "commons", "journey", "groups"}
    data, _ = exported(personas.member)
    assert data["about_this_file"]["could_not_gather"] == []


def test_every_app_holding_personal_data_is_in_the_export():
    assert {"accounts", "groups", "onetoone", "community", "core"} <= my_data.apps_holding_personal_data()
    assert my_data.uncovered_apps() == []


def test_each_exporter_returns_plain_json(world):
    for category in registered():
        json.dumps(category.export(world.me))  # no encoder help: the contract is JSON-serialisable data


# --- the readable page -------------------------------------------------------------------------------


def test_readable_page_has_headings_and_tables_and_escapes_what_people_wrote(world):
    account_services.profile_update(actor=world.me, changes={"interests": "<script>alert(1)</script>"})
    response = client_for(world.me).post(URL, {"current_password": PASSWORD, "format": "html"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert "<h1>Everything Kindred holds about you</h1>" in page
    for category in registered():
        assert f'<h2 id="data-{category.key}">{category.label}</h2>' in page
    assert "<table>" in page and '<th scope="col">Text</th>' in page
    assert "MY-EXPERIENCE-TEXT" in page and "MY-MESSAGE-TO-OTHER" in page
    # A conversation's messages are a table of their own, under a heading that says whose conversation it is.
    assert ">Conversations 1 (Peer): Messages</h3>" in page
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "subject access request" in page
    for marker in OTHER_PRIVATE:
        assert marker not in page, marker
    assert AuditEvent.objects.get(action="account.export").detail["format"] == "html"


# --- recent confirmation and rate limit --------------------------------------------------------------


def test_password_confirmation_lasts_ten_minutes_in_the_same_session(personas):
    client = client_for(personas.member)
    assert download(client).status_code == 200
    page = client.get(URL).content.decode()
    assert 'name="current_password"' not in page and "you don't need to type it again" in html.unescape(page)
    assert client.post(URL, {"format": "html"}).status_code == 200
    with time_machine.travel(timezone.now() + timedelta(minutes=11)):
        again = client.post(URL, {"format": "json"})
        assert again.status_code == 400
        assert "This field is required" in again.content.decode()
    # Another session (another device) is not confirmed by this one.
    assert client_for(personas.member).post(URL, {"format": "json"}).status_code == 400
    assert AuditEvent.objects.filter(action="account.export").count() == 2


def test_downloads_are_rate_limited_kindly(personas, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "data_export": (2, 3600)}
    client = client_for(personas.member)
    assert download(client).status_code == 200
    assert download(client).status_code == 200
    response = download(client)
    assert response.status_code == 429
    assert "paused this to keep your account safe" in html.unescape(response.content.decode())
    assert response["Retry-After"] == "3600"
    assert AuditEvent.objects.filter(action="account.export").count() == 2


# --- the API -----------------------------------------------------------------------------------------


def test_api_export_with_a_personal_token(world):
    _, raw = account_services.api_token_create(actor=world.me, name="Backup script")
    response = Client().get(API, HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="kindred-my-data-')
    data = json.loads(body_of(response))
    assert data["account"]["profile"]["experience"] == "MY-EXPERIENCE-TEXT"
    text = json.dumps(data)
    for marker in OTHER_PRIVATE:
        assert marker not in text, marker
    event = AuditEvent.objects.get(action="account.export")
    assert event.actor == world.me and event.detail["via"] == "api"


def test_api_export_from_a_browser_session_needs_the_password_confirmed_first(personas):
    client = client_for(personas.member)
    refused = client.get(API)
    assert refused.status_code == 403
    assert "confirm your password" in refused.json()["detail"]
    assert not AuditEvent.objects.filter(action="account.export").exists()
    download(client)
    assert client.get(API).status_code == 200


def test_api_export_is_rate_limited(personas, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "data_export": (1, 3600)}
    _, raw = account_services.api_token_create(actor=personas.member, name="Backup script")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert client.get(API).status_code == 200
    limited = client.get(API)
    assert limited.status_code == 429
    assert limited.json()["detail"]


def test_api_export_is_in_the_openapi_schema(personas):
    schema = Client().get("/api/openapi.json").json()
    assert "get" in schema["paths"]["/api/me/export"]


def test_alerts_about_someone_else_are_listed_but_not_their_details(world):
    moderation.screening_alert(
        author=world.other,
        organisation=world.p.organisation,
        level="urgent",
        triggers=["x"],
        held=False,
        url="/online/",
        where="OTHER-SPACE-NAME",
    )
    data, text = exported(world.p.moderator)
    (alert,) = [n for n in data["notifications"]["notifications"] if n["kind"] == "community.crisis"]
    assert alert["title"].startswith("An alert about someone else") and alert["text"] == ""
    assert "may need support" not in text and "OTHER-SPACE-NAME" not in text
