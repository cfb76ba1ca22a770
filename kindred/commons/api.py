"""API: the people you've blocked. One block, honoured by every form (see kindred.commons.blocks)."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from django.http import Http404, HttpRequest
from ninja import Router, Schema
from ninja.responses import Status

from kindred.accounts.http import current_user
from kindred.accounts.models import User
from kindred.core.api import InputSchema, responses

from .blocks import block_create, block_remove, blocks_of

router = Router(tags=["Blocks"])


class BlockedPersonOut(Schema):
    id: UUID
    display_name: str


class BlockOut(Schema):
    person: BlockedPersonOut
    created_at: datetime


class BlockIn(InputSchema):
    person: UUID


def _person(public_id: UUID) -> User:
    person = User.objects.filter(public_id=public_id, is_active=True).first()
    if person is None:
        raise Http404
    return person


@router.get("/blocks", response=responses({200: list[BlockOut]}), summary="People you've blocked")
def block_list(request: HttpRequest) -> list[BlockOut]:
    user = current_user(request)
    return [
        BlockOut(
            person=BlockedPersonOut(id=b.blocked.public_id, display_name=b.blocked.display_name),
            created_at=b.created_at,
        )
        for b in blocks_of(user)
    ]


@router.post(
    "/blocks", response=responses({204: None}, 400, 404), summary="Block someone everywhere (they aren't told)"
)
def block_add(request: HttpRequest, payload: BlockIn) -> Status[None]:
    user = current_user(request)
    block_create(actor=user, other=_person(payload.person))
    return Status(204, None)


@router.delete("/blocks/{person}", response=responses({204: None}, 404), summary="Unblock someone")
def block_delete(request: HttpRequest, person: UUID) -> Status[None]:
    user = current_user(request)
    block_remove(actor=user, other=_person(person))
    return Status(204, None)
