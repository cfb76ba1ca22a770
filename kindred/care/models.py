"""Care for the people who give support, and the critical-incident procedure.

- `SupporterCheckIn`: the one "how are you after this?" check-in, after facilitating a group meeting, after a
  one-to-one session, or any time. Private to the person; shared with their supervisor only if they tick the box
  for that check-in (off by default). The note is encrypted at rest. (It replaced kindred.onetoone's
  after-session check-in; the one-to-one practice and supervision pages read these rows.)
- `StepBack`: one "step back" and its way back, with what was paused so it can be reversed.
- Stepping back and a death are recorded in the reach gate's one `kindred.commons.models.ReachState` (through
  `kindred.commons.reach`), which every message respects; the incident that recorded a death keeps its step.
- `Incident` and its steps, debrief offers, handlers and log: visible only to the organisation's coordinators
  and the handlers they add. Free text is encrypted at rest.
- `FacilitatorsNetwork`: the organisation's invite-only community space whose membership follows roles.
- `PostventionResource`: the organisation's own list of support after a death (sensible UK defaults until edited).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q

from kindred.core.crypto import EncryptedTextField


class Feeling(models.IntegerChoices):
    ROUGH = 1, "Rough"
    LOW = 2, "A bit low"
    OK = 3, "OK"
    GOOD = 4, "Good"
    GREAT = 5, "Really good"


# Kind words shown with each answer (the scale is the person's own sense, never scored or compared).
FEELING_KIND_WORDS = {
    1: "Thank you for saying so. Hard sessions take a lot out of anyone — please be gentle with yourself today.",
    2: "That's understandable. A short break, some food or a walk can help; so can talking it over.",
    3: "Thanks for checking in. Look after yourself.",
    4: "Good to hear. Thank you for what you give.",
    5: "Lovely to hear. Thank you for what you give.",
}


class SupporterCheckIn(models.Model):
    """An optional check-in after giving support. Seen by the person, and by their supervisor only if shared."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    worker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="supporter_checkins")
    organisation = models.ForeignKey(
        "organisations.Organisation", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    session = models.ForeignKey("onetoone.Session", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    meeting = models.ForeignKey("groups.Meeting", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    feeling = models.PositiveSmallIntegerField(choices=Feeling.choices)
    note = EncryptedTextField(max_length=1000, blank=True)
    would_like_to_talk = models.BooleanField(default=False)
    shared_with_supervisor = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["worker", "created_at"])]
        constraints = [
            models.CheckConstraint(condition=Q(feeling__gte=1) & Q(feeling__lte=5), name="care_checkin_feeling_range"),
            models.CheckConstraint(
                condition=Q(session__isnull=True) | Q(meeting__isnull=True), name="care_checkin_one_context"
            ),
        ]

    def __str__(self) -> str:
        return f"Check-in {self.public_id}"

    @property
    def kind_words(self) -> str:
        return FEELING_KIND_WORDS.get(self.feeling, "")

    @property
    def context_label(self) -> str:
        if self.meeting_id:
            return "after facilitating a meeting"
        if self.session_id:
            return "after a one-to-one session"
        return ""


class StepBack(models.Model):
    """A supporter stepping back for a while: what was paused, so that coming back can undo it."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="step_backs")
    started_at = models.DateTimeField(auto_now_add=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    # {"profiles": [{"id": pk, "previous": "available"}], "released_meetings": [uuid, ...],
    #  "organisations": [pk, ...], "ended_relationships": bool}
    paused = models.JSONField(default=dict, blank=True)
    note = EncryptedTextField(max_length=1000, blank=True, help_text="Private to the person.")

    class Meta:
        ordering = ["-started_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["person"], condition=Q(ended_at__isnull=True), name="care_one_open_step_back"
            ),
        ]

    def __str__(self) -> str:
        return f"Step back {self.public_id}"

    @property
    def is_open(self) -> bool:
        return self.ended_at is None


class IncidentStatus(models.TextChoices):
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"


class IncidentKind(models.TextChoices):
    DEATH = "death", "The death of a member"
    OTHER = "other", "Another critical incident"


class StepKey(models.TextChoices):
    INFORM_FACILITATORS = "inform_facilitators", "Inform the facilitators"
    OFFER_DEBRIEF = "offer_debrief", "Offer a debrief"
    SHARE_RESOURCES = "share_resources", "Share support resources"
    STOP_REMINDERS = "stop_reminders", "Stop reminders and nudges"
    REMOVE_MAILINGS = "remove_mailings", "Remove them from mailings"


# Steps that only apply when a person is named (for example after a death).
PERSON_STEPS = frozenset({StepKey.STOP_REMINDERS, StepKey.REMOVE_MAILINGS})


class Incident(models.Model):
    """A critical incident in one group or space, handled by the organisation's coordinators and people they add."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="care_incidents"
    )
    group = models.ForeignKey("groups.Group", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    space = models.ForeignKey("community.Space", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10, choices=IncidentKind.choices, default=IncidentKind.DEATH)
    title = models.CharField(max_length=150)
    what_happened = EncryptedTextField(max_length=4000, blank=True)
    person_concerned = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The person who died, if the incident is about a death of someone with an account.",
    )
    status = models.CharField(max_length=10, choices=IncidentStatus.choices, default=IncidentStatus.OPEN)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    opened_at = models.DateTimeField(auto_now_add=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    closing_summary = EncryptedTextField(max_length=4000, blank=True)

    class Meta:
        ordering = ["-opened_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(group__isnull=False) & Q(space__isnull=True))
                | (Q(group__isnull=True) & Q(space__isnull=False)),
                name="care_incident_group_or_space",
            ),
            models.CheckConstraint(condition=Q(status__in=IncidentStatus.values), name="care_incident_status_valid"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def where(self) -> str:
        return self.group.name if self.group_id else self.space.name if self.space_id else ""

    @property
    def is_open(self) -> bool:
        return self.status == IncidentStatus.OPEN


class IncidentHandler(models.Model):
    """Someone a coordinator added to help handle an incident (the organisation's coordinators always can)."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="handlers")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["added_at"]
        constraints = [models.UniqueConstraint(fields=["incident", "person"], name="care_handler_once")]

    def __str__(self) -> str:
        return f"{self.person_id} handles {self.incident_id}"


class IncidentStep(models.Model):
    """A step of the guided procedure, done (once) by a handler."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="steps")
    key = models.CharField(max_length=30, choices=StepKey.choices)
    done_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    done_at = models.DateTimeField(auto_now_add=True)
    detail = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["done_at"]
        constraints = [
            models.UniqueConstraint(fields=["incident", "key"], name="care_step_once"),
            models.CheckConstraint(condition=Q(key__in=StepKey.values), name="care_step_key_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.key} on {self.incident_id}"


class DebriefOffer(models.Model):
    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="debriefs")
    starts_at = models.DateTimeField()
    place = models.CharField(max_length=300, blank=True)
    call_link = models.URLField(blank=True)
    note = models.TextField(max_length=1000, blank=True)
    audience = models.CharField(max_length=20)
    people_told = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["starts_at"]

    def __str__(self) -> str:
        return f"Debrief for {self.incident_id}"


class IncidentLogEntry(models.Model):
    """An action taken, in the handler's words (time and actor recorded). Steps add entries too."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="log")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    text = EncryptedTextField(max_length=2000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"Log entry on {self.incident_id}"


class PostventionResource(models.Model):
    """Support after a death, as the organisation words it. Until it adds its own, Kindred's defaults are shown."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="postvention_resources"
    )
    name = models.CharField(max_length=120)
    description = models.CharField(max_length=300, blank=True)
    phone = models.CharField(max_length=40, blank=True)
    url = models.URLField(blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["organisation", "position", "id"]

    def __str__(self) -> str:
        return self.name


class FacilitatorsNetwork(models.Model):
    """An organisation's facilitators' network: a community space whose membership follows roles."""

    organisation = models.OneToOneField(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="facilitators_network"
    )
    space = models.OneToOneField("community.Space", on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"Facilitators' network of {self.organisation_id}"
