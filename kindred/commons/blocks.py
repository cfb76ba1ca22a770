"""One block, everywhere. Blocking someone in any form blocks them in every form.

What a block does (the blocked-people page says the same, in plain words):
- the blocked person can't send the blocker one-to-one requests or messages, reply to or mention them online,
  or reach them through anything Kindred sends (the reach gate refuses it);
- the blocker no longer sees the blocked person's posts, chat messages or noticeboard posts;
- matching never proposes the two to each other, and neither appears in the other's supporter lists;
- the blocked person is never told.

Forms that keep something open between two people (a one-to-one connection, say) register a handler with
`on_block`, called inside the same transaction, so a block ends it too.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet

from kindred.accounts.models import User
from kindred.core.errors import AppError
from kindred.core.services import audit_record

from .models import Block

BlockHandler = Callable[[User, User], None]
_handlers: list[BlockHandler] = []


class BlockError(AppError):
    pass


def on_block(handler: BlockHandler) -> BlockHandler:
    """Register `handler(blocker, blocked)`, called inside the block's transaction. Usable as a decorator."""
    if handler not in _handlers:
        _handlers.append(handler)
    return handler


# --- Writes -------------------------------------------------------------------------------------------------------


def block_create(*, actor: User, other: User) -> Block:
    """Block `other` for `actor`, everywhere. Idempotent; the other person is not told."""
    if other.pk == actor.pk:
        raise BlockError("You can't block yourself.", code="invalid")
    with transaction.atomic():
        try:
            with transaction.atomic():
                block, created = Block.objects.get_or_create(blocker=actor, blocked=other)
        except IntegrityError:  # the same block was made at the same moment
            block, created = Block.objects.get(blocker=actor, blocked=other), False
        if created:
            for handler in _handlers:
                handler(actor, other)
            audit_record(actor=actor, action="commons.block", subject=block, detail={"blocked": str(other.public_id)})
    return block


def block_remove(*, actor: User, other: User) -> bool:
    """Unblock. Returns whether there was a block to remove. Nothing that ended because of it comes back."""
    with transaction.atomic():
        deleted, _ = Block.objects.filter(blocker=actor, blocked=other).delete()
        if deleted:
            audit_record(actor=actor, action="commons.unblock", detail={"blocked": str(other.public_id)})
    return bool(deleted)


# --- Reads --------------------------------------------------------------------------------------------------------


def has_blocked(blocker: User | int, blocked: User | int) -> bool:
    return Block.objects.filter(blocker=_pk(blocker), blocked=_pk(blocked)).exists()


def is_blocked_between(a: User | int, b: User | int) -> bool:
    """True if either has blocked the other: then neither may reach the other."""
    a_id, b_id = _pk(a), _pk(b)
    return Block.objects.filter(Q(blocker=a_id, blocked=b_id) | Q(blocker=b_id, blocked=a_id)).exists()


def blocked_ids(user: User | int) -> set[int]:
    """The people `user` has blocked: hide their content from `user`."""
    return set(Block.objects.filter(blocker=_pk(user)).values_list("blocked_id", flat=True))


def blocker_ids(user: User | int) -> set[int]:
    """The people who have blocked `user`: `user` may not reach them."""
    return set(Block.objects.filter(blocked=_pk(user)).values_list("blocker_id", flat=True))


def apart_ids(user: User | int) -> set[int]:
    """Everyone `user` has blocked or been blocked by: never put the two together (matching, supporter lists)."""
    pk = _pk(user)
    rows = Block.objects.filter(Q(blocker=pk) | Q(blocked=pk)).values_list("blocker_id", "blocked_id")
    return {other for pair in rows for other in pair if other != pk}


def apart_pairs(people: Iterable[int]) -> set[tuple[int, int]]:
    """Every (a, b) among `people` where one has blocked the other, in both orders: pairs never to propose."""
    ids = set(people)
    rows = Block.objects.filter(blocker__in=ids, blocked__in=ids).values_list("blocker_id", "blocked_id")
    return {pair for a, b in rows for pair in ((a, b), (b, a))}


def blocks_of(user: User) -> QuerySet[Block]:
    """The blocks `user` has made, newest first, for the blocked-people page."""
    return Block.objects.filter(blocker=user).select_related("blocked")


def blocked_message(person: User) -> str:
    """What the blocker is told, wherever they blocked from."""
    return (
        f"You've blocked {person.display_name} everywhere in Kindred. They can't contact you, you won't see what "
        "they write, and they aren't told."
    )


def _pk(user: User | int) -> int:
    return user if isinstance(user, int) else int(user.pk)
