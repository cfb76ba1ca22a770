"""Access to an organisation's facilitators' network follows roles: gaining or losing a supporting role in the
organisation, or a facilitating role in one of its groups, updates it at once."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from kindred.groups.models import GroupMembership
from kindred.organisations.models import Membership


@receiver(post_save, sender=Membership, dispatch_uid="care.network_role_added")
@receiver(post_delete, sender=Membership, dispatch_uid="care.network_role_removed")
def _membership_changed(sender: Any, instance: Membership, **kwargs: Any) -> None:
    from .services import network_sync_person

    user_id, organisation_id = instance.user_id, instance.organisation_id
    transaction.on_commit(lambda: network_sync_person(user_id, organisation_id))


@receiver(post_save, sender=GroupMembership, dispatch_uid="care.network_group_role_changed")
@receiver(post_delete, sender=GroupMembership, dispatch_uid="care.network_group_role_removed")
def _group_membership_changed(sender: Any, instance: GroupMembership, **kwargs: Any) -> None:
    from kindred.groups.models import Group

    from .services import network_sync_person

    organisation_id = Group.objects.filter(pk=instance.group_id).values_list("organisation_id", flat=True).first()
    if organisation_id is None:
        return
    person_id = instance.person_id
    transaction.on_commit(lambda: network_sync_person(person_id, organisation_id))
