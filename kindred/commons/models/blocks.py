from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q


class Block(models.Model):
    """One block, honoured by every form: `blocked` can't reach `blocker`, and `blocker` no longer sees them.

    Written only through `kindred.commons.blocks`; the blocked person is never told.
    """

    blocker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    blocked = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["blocker", "blocked"], name="commons_block_once"),
            models.CheckConstraint(condition=~Q(blocker=F("blocked")), name="commons_block_not_self"),
        ]

    def __str__(self) -> str:
        return f"{self.blocker_id} blocks {self.blocked_id}"
