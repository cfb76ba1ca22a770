"""Shared set-up for the spaces, threads and moderation tests (not a test module)."""

from __future__ import annotations

from typing import Any

from kindred.accounts.models import User
from kindred.community import services
from kindred.community.models import Post, Space, SpaceVisibility, Thread
from kindred.testing.personas import Personas

RULES = "Be kind.\n\nNo details of methods of self-harm."


def make_space(personas: Personas, *, visibility: str = SpaceVisibility.MEMBERS, name: str = "", **kw: Any) -> Space:
    return services.space_create(
        actor=personas.coordinator,
        organisation=personas.organisation,
        name=name or f"Low mood ({visibility})",
        description="Talking about low mood.",
        visibility=visibility,
        house_rules=RULES,
        **kw,
    )


def agree(user: User, space: Space) -> None:
    services.house_rules_acknowledge(user=user, space=space, version=space.current_rules.version)


def make_thread(
    space: Space, author: User, *, title: str = "A hard week", body: str = "It's been a hard week."
) -> Thread:
    agree(author, space)
    thread, _ = services.thread_create(author=author, space=space, title=title, body=body)
    return thread


def make_reply(thread: Thread, author: User, body: str = "I hear you.") -> Post:
    agree(author, thread.space)
    return services.reply_create(author=author, thread=thread, body=body).post
