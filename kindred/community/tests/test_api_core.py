"""Spaces, threads, moderation and blocks over the JSON API: the same access rules as the pages."""

from __future__ import annotations

import pytest

from kindred.accounts.services import api_token_create
from kindred.commons.models import Block
from kindred.community import services
from kindred.community.models import Appeal, Post, PostStatus, Report, SpaceVisibility
from kindred.community.services import Screening

from .core_helpers import agree, make_reply, make_space, make_thread

pytestmark = pytest.mark.django_db

API = "/api/online"


def bearer(user):
    _row, raw = api_token_create(actor=user, name="tests")
    return {"Authorization": f"Bearer {raw}"}


def send(client, method, url, user=None, body=None):
    headers = bearer(user) if user is not None else {}
    return getattr(client, method)(url, data=body, content_type="application/json", headers=headers)


def test_public_spaces_read_without_an_account_private_ones_404(client, personas):
    public = make_space(personas, visibility=SpaceVisibility.PUBLIC, name="Open")
    private = make_space(personas, visibility=SpaceVisibility.MEMBERS, name="Members")
    thread = make_thread(private, personas.member)
    slugs = [s["slug"] for s in client.get(f"{API}/spaces").json()]
    assert slugs == [public.slug]
    assert client.get(f"{API}/spaces/{private.slug}").status_code == 404
    assert client.get(f"{API}/threads/{thread.public_id}").status_code == 404
    assert send(client, "get", f"{API}/threads/{thread.public_id}", personas.outsider).status_code == 404
    body = send(client, "get", f"{API}/spaces/{private.slug}", personas.member).json()
    assert body["you_need_to_agree_to_rules"] is False and body["you_can_post"] is True
    assert client.get(f"{API}/spaces", headers={"Authorization": "Bearer nope"}).status_code == 401


def test_post_thread_and_reply_with_rules_first(client, personas):
    space = make_space(personas)
    url = f"{API}/spaces/{space.slug}/threads"
    refused = send(client, "post", url, personas.member, {"title": "Hi", "body": "Hello"})
    assert refused.status_code == 400 and "house rules" in refused.json()["detail"]
    assert (
        send(
            client, "post", f"{API}/spaces/{space.slug}/rules/acknowledge", personas.member, {"version": 1}
        ).status_code
        == 204
    )
    created = send(client, "post", url, personas.member, {"title": "Hi", "body": "Hello <script>x</script>"})
    assert created.status_code == 201
    data = created.json()
    assert data["support"] is None and data["held"] is False
    assert "<script>" not in data["post"]["body_html"]
    thread_id = data["thread_public_id"]
    agree(personas.peer, space)
    reply = send(client, "post", f"{API}/threads/{thread_id}/posts", personas.peer, {"body": "Welcome"})
    assert reply.status_code == 201
    thread = send(client, "get", f"{API}/threads/{thread_id}", personas.member).json()
    assert [p["body"] for p in thread["posts"]] == ["Hello <script>x</script>", "Welcome"]
    assert thread["following"] is True
    assert send(client, "post", url, personas.outsider, {"title": "x", "body": "y"}).status_code == 404
    assert client.post(url, data={"title": "x", "body": "y"}, content_type="application/json").status_code == 401
    assert send(client, "post", url, personas.member, {"title": "x", "body": "y", "extra": 1}).status_code == 422


def test_edit_delete_react_follow(client, personas):
    space = make_space(personas)
    thread = make_thread(space, personas.member)
    post = thread.posts.get()
    assert send(client, "patch", f"{API}/posts/{post.public_id}", personas.peer, {"body": "x"}).status_code == 403
    edited = send(client, "patch", f"{API}/posts/{post.public_id}", personas.member, {"body": "Edited words"})
    assert edited.status_code == 200 and edited.json()["post"]["edited_at"] is not None
    assert send(
        client, "post", f"{API}/posts/{post.public_id}/reactions", personas.peer, {"kind": "me_too"}
    ).json() == {"on": True}
    assert (
        send(client, "post", f"{API}/posts/{post.public_id}/reactions", personas.peer, {"kind": "meh"}).status_code
        == 422
    )
    assert (
        send(
            client,
            "put",
            f"{API}/threads/{thread.public_id}/follow",
            personas.peer,
            {"following": True, "email_digest": True},
        ).status_code
        == 204
    )
    assert send(client, "delete", f"{API}/posts/{post.public_id}", personas.peer).status_code == 403
    assert send(client, "delete", f"{API}/posts/{post.public_id}", personas.member).status_code == 204
    assert Post.objects.get(pk=post.pk).deleted_at is not None
    assert send(client, "get", f"{API}/posts/{post.public_id}", personas.member).status_code == 405


def test_screening_returns_support_and_holds_method_detail(client, personas, monkeypatch):
    monkeypatch.setattr(services, "screen_text", lambda text: Screening("urgent", ["method"], True))
    space = make_space(personas)
    agree(personas.member, space)
    data = send(
        client, "post", f"{API}/spaces/{space.slug}/threads", personas.member, {"title": "t", "body": "b"}
    ).json()
    assert data["held"] is True and "waiting for a moderator" in data["held_reason"]
    assert any(r["name"] == "Samaritans" for r in data["support"]["uk_routes"])
    # Held threads aren't listed for others
    assert send(client, "get", f"{API}/spaces/{space.slug}/threads", personas.peer).json() == []


def test_report_queue_action_appeal_by_another_moderator(client, personas):
    space = make_space(personas)
    thread = make_thread(space, personas.member)
    reply = make_reply(thread, personas.peer, "Rude words")
    assert (
        send(
            client, "post", f"{API}/posts/{reply.public_id}/reports", personas.member, {"reason": "unkind"}
        ).status_code
        == 201
    )
    assert send(client, "get", f"{API}/moderation/riverside/queue", personas.member).status_code == 403
    assert send(client, "get", f"{API}/moderation/riverside/queue", personas.outsider).status_code == 404
    queue = send(client, "get", f"{API}/moderation/riverside/queue", personas.moderator).json()
    report_id = queue["reports"][0]["public_id"]
    assert queue["reports"][0]["target_excerpt"] == "Rude words"
    assert (
        send(
            client, "post", f"{API}/reports/{report_id}/actions", personas.member, {"kind": "hide", "reason": "x"}
        ).status_code
        == 403
    )
    action = send(
        client,
        "post",
        f"{API}/reports/{report_id}/actions",
        personas.moderator,
        {"kind": "hide", "reason": "Please be kind."},
    )
    assert action.status_code == 201
    assert Post.objects.get(pk=reply.pk).status == PostStatus.HIDDEN
    mine = send(client, "get", f"{API}/decisions", personas.peer).json()
    assert mine[0]["reason"] == "Please be kind." and mine[0]["can_appeal"] is True
    decision = mine[0]["public_id"]
    assert send(client, "post", f"{API}/decisions/{decision}/appeal", personas.member, {"text": "x"}).status_code == 404
    assert (
        send(
            client, "post", f"{API}/decisions/{decision}/appeal", personas.peer, {"text": "It wasn't rude"}
        ).status_code
        == 201
    )
    again = send(client, "post", f"{API}/decisions/{decision}/appeal", personas.peer, {"text": "again"})
    assert again.status_code == 400 and "once" in again.json()["detail"]
    appeal = Appeal.objects.get()
    same = send(
        client,
        "post",
        f"{API}/appeals/{appeal.public_id}/decision",
        personas.moderator,
        {"overturn": True, "reason": "ok"},
    )
    assert same.status_code == 400
    other = send(
        client,
        "post",
        f"{API}/appeals/{appeal.public_id}/decision",
        personas.coordinator,
        {"overturn": True, "reason": "Fair enough."},
    )
    assert other.status_code == 200 and other.json()["status"] == "overturned"
    assert Post.objects.get(pk=reply.pk).status == PostStatus.VISIBLE
    assert Report.objects.get().status == "actioned"


def test_mute_via_api_needs_hours(client, personas):
    space = make_space(personas)
    thread = make_thread(space, personas.member)
    reply = make_reply(thread, personas.peer)
    no_hours = send(
        client,
        "post",
        f"{API}/posts/{reply.public_id}/actions",
        personas.moderator,
        {"kind": "mute", "reason": "Pause"},
    )
    assert no_hours.status_code == 400
    ok = send(
        client,
        "post",
        f"{API}/posts/{reply.public_id}/actions",
        personas.moderator,
        {"kind": "mute", "reason": "Pause", "hours": 2},
    )
    assert ok.status_code == 201 and ok.json()["until"] is not None


def test_duty_and_blocks(client, personas):
    assert (
        send(client, "put", f"{API}/moderation/riverside/duty", personas.moderator, {"on_duty": True}).status_code
        == 204
    )
    queue = send(client, "get", f"{API}/moderation/riverside/queue", personas.coordinator).json()
    assert [m["display_name"] for m in queue["on_duty"]] == [personas.moderator.display_name]
    assert (
        send(client, "put", f"{API}/moderation/riverside/duty", personas.member, {"on_duty": True}).status_code == 403
    )
    assert (
        send(client, "post", "/api/blocks", personas.member, {"person": str(personas.peer.public_id)}).status_code
        == 204
    )
    assert Block.objects.filter(blocker=personas.member, blocked=personas.peer).exists()
    listed = send(client, "get", "/api/blocks", personas.member).json()
    assert listed[0]["person"]["display_name"] == personas.peer.display_name
    assert (
        send(client, "post", "/api/blocks", personas.member, {"person": str(personas.member.public_id)}).status_code
        == 400
    )
    assert send(client, "delete", f"/api/blocks/{personas.peer.public_id}", personas.member).status_code == 204
    assert not Block.objects.exists()


def test_openapi_documents_the_online_endpoints(client):
    schema = client.get("/api/openapi.json").json()
    assert "/api/online/spaces/{slug}/threads" in schema["paths"]
    assert "/api/online/moderation/{org_slug}/queue" in schema["paths"]
