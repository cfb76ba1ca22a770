from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models


class Rules(models.Model):
    """One version of a place's rules: a group's ground rules, an online space's house rules.

    A new version asks everyone to acknowledge again. Written only through `kindred.commons.rules`.
    """

    subject_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    subject_id = models.CharField(max_length=64)
    version = models.PositiveIntegerField()
    text = models.TextField(max_length=10000)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["subject_type", "subject_id", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["subject_type", "subject_id", "version"], name="commons_rules_version_once")
        ]

    def __str__(self) -> str:
        return f"Rules v{self.version} of {self.subject_type_id}:{self.subject_id}"


class RulesAcknowledgement(models.Model):
    """A person read and agreed to one version of a place's rules."""

    rules = models.ForeignKey(Rules, on_delete=models.CASCADE, related_name="acknowledgements")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    acknowledged_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["rules", "person"], name="commons_rules_acknowledged_once")]

    def __str__(self) -> str:
        return f"{self.person_id} agreed to {self.rules_id}"
