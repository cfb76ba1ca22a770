from __future__ import annotations

from django_tasks import task

from .services import digest_send


@task()
def community_digest() -> int:
    """The daily digest as a task, for a scheduler to enqueue. Idempotent, like the command."""
    return digest_send()
