from __future__ import annotations

from django.conf import settings
from django.db import models


class ReachState(models.Model):
    """What the reach gate must respect about a person beyond their own preferences, in one row.

    - `stepped_back_since`: they are taking a break from giving support. In-Kindred notices only, no emails, and
      nothing that asks them to do something for others.
    - `deceased_at`: recorded as having died. Nothing is sent to them, and nothing that mentions them is sent to
      anyone else.
    """

    person = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reach_state")
    stepped_back_since = models.DateTimeField(null=True, blank=True)
    deceased_at = models.DateTimeField(null=True, blank=True, help_text="When this was recorded in Kindred.")
    deceased_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Reach state of {self.person_id}"


class Unsubscribe(models.Model):
    """A person (or, for someone without an account, an address) has said no to one list of messages."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="unsubscribes"
    )
    address_digest = models.CharField(
        max_length=64, blank=True, help_text="Keyed digest of an address, never the address."
    )
    topic = models.CharField(max_length=120, help_text='e.g. "groups.newsletter:<group id>" or "community.digest".')
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "topic"], condition=models.Q(person__isnull=False), name="commons_unsubscribe_person"
            ),
            models.UniqueConstraint(
                fields=["address_digest", "topic"],
                condition=models.Q(person__isnull=True),
                name="commons_unsubscribe_address",
            ),
            models.CheckConstraint(
                condition=models.Q(person__isnull=False) | ~models.Q(address_digest=""),
                name="commons_unsubscribe_someone",
            ),
        ]

    def __str__(self) -> str:
        return f"Unsubscribed from {self.topic}"
