"""Access to an organisation's facilitators' network follows roles: gaining or losing a role updates it at once."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from kindred.organisations.models import Membership


@receiver(post_save, sender=Membership, dispatch_uid="care.network_role_added")
@receiver(post_delete, sender=Membership, dispatch_uid="care.network_role_removed")
def _membership_changed(sender: Any, instance: Membership, **kwargs: Any) -> None:
    from .services import network_sync_person

    user_id, organisation_id = instance.user_id, instance.organisation_id
    transaction.on_commit(lambda: network_sync_person(user_id, organisation_id))
