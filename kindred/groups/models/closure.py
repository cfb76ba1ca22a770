"""Closing a group well: what was said, the alternatives offered and how long the archive stays."""

from __future__ import annotations

from django.conf import settings
from django.db import models

__all__ = ["GroupClosure"]


class GroupClosure(models.Model):
    """The story of one closure. The group's own `status`, `closes_on` and `closed_at` say where it has got to."""

    group = models.OneToOneField("groups.Group", on_delete=models.CASCADE, related_name="closure")
    message = models.TextField(max_length=3000, blank=True, help_text="A few words to members, from the group.")
    scheduled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Offer ids suggested to members when the group closed, kept so the archive page shows the same ones.
    alternatives = models.JSONField(default=list, blank=True)
    members_told_at = models.DateTimeField(null=True, blank=True)
    archive_until = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Closure of {self.group}"
