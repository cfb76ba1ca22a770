from __future__ import annotations

import pytest

from kindred.commons import blocks
from kindred.commons.models import Block
from kindred.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_a_block_is_one_row_both_ways_in_reads_and_audited(personas):
    blocks.block_create(actor=personas.member, other=personas.peer)
    blocks.block_create(actor=personas.member, other=personas.peer)  # idempotent
    assert Block.objects.count() == 1
    assert blocks.is_blocked_between(personas.peer, personas.member)
    assert blocks.has_blocked(personas.member, personas.peer) and not blocks.has_blocked(personas.peer, personas.member)
    assert blocks.blocked_ids(personas.member) == {personas.peer.pk}
    assert blocks.blocker_ids(personas.peer) == {personas.member.pk}
    assert blocks.apart_ids(personas.peer) == {personas.member.pk}
    assert AuditEvent.objects.filter(action="commons.block").count() == 1


def test_blocking_yourself_is_refused_kindly(personas):
    with pytest.raises(blocks.BlockError, match="can't block yourself"):
        blocks.block_create(actor=personas.member, other=personas.member)
    assert not Block.objects.exists()


def test_forms_hear_of_a_block_inside_its_transaction(personas):
    heard = []
    handler = blocks.on_block(lambda blocker, blocked: heard.append((blocker.pk, blocked.pk)))
    try:
        blocks.block_create(actor=personas.member, other=personas.peer)
        blocks.block_create(actor=personas.member, other=personas.peer)
    finally:
        blocks._handlers.remove(handler)
    assert heard == [(personas.member.pk, personas.peer.pk)]


def test_unblocking_removes_the_block(personas):
    blocks.block_create(actor=personas.member, other=personas.peer)
    assert blocks.block_remove(actor=personas.member, other=personas.peer)
    assert not blocks.block_remove(actor=personas.member, other=personas.peer)
    assert not blocks.is_blocked_between(personas.member, personas.peer)
