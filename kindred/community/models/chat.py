"""Live chat rooms: rooms (always open or scheduled), their weekly opening hours, messages and presence.

A message is stored before it is delivered to anyone, with the author's own id for it (`client_msg_id`), so a
resend after a dropped connection finds the stored message instead of making a second one.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q


class RoomSchedule(models.TextChoices):
    ALWAYS_OPEN = "always_open", "Always open"
    SCHEDULED = "scheduled", "Open at set times"


class Room(models.Model):
    """A chat room, in a space or for a whole organisation. Opening times are in Europe/London."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    slug = models.SlugField(max_length=120, unique=True)
    name = models.CharField(max_length=120)
    description = models.TextField(max_length=2000, blank=True)
    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE, related_name="chat_rooms")
    space = models.ForeignKey(
        "community.Space", null=True, blank=True, on_delete=models.CASCADE, related_name="chat_rooms"
    )
    offer = models.ForeignKey(
        "directory.Offer", null=True, blank=True, on_delete=models.SET_NULL, related_name="chat_rooms"
    )
    schedule = models.CharField(max_length=12, choices=RoomSchedule.choices, default=RoomSchedule.SCHEDULED)
    requires_moderator = models.BooleanField(
        default=True, help_text="A scheduled room opens only while one of its moderators is on duty or in the room."
    )
    guests_can_read = models.BooleanField(
        default=False, help_text="Signed-in people who aren't members may follow the conversation without posting."
    )
    messages_per_minute = models.PositiveSmallIntegerField(
        default=60, help_text="Most messages the whole room can take in a minute, to keep it readable."
    )
    is_archived = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=Q(schedule__in=RoomSchedule.values), name="room_schedule_valid"),
            models.CheckConstraint(condition=Q(messages_per_minute__gte=1), name="room_rate_positive"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def group_name(self) -> str:
        """The channel-layer group every open socket for this room joins."""
        return f"chat-room-{self.public_id.hex}"


class OpeningHours(models.Model):
    """One weekly opening of a scheduled room: weekday (0 Monday) from `opens_at` to `closes_at`, London time."""

    room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="opening_hours")
    weekday = models.PositiveSmallIntegerField()
    opens_at = models.TimeField()
    closes_at = models.TimeField()

    class Meta:
        ordering = ["weekday", "opens_at"]
        constraints = [
            models.CheckConstraint(condition=Q(weekday__lte=6), name="openinghours_weekday_valid"),
            models.CheckConstraint(condition=Q(closes_at__gt=F("opens_at")), name="openinghours_closes_after_opening"),
        ]

    def __str__(self) -> str:
        return f"{self.room} day {self.weekday} {self.opens_at:%H:%M}–{self.closes_at:%H:%M}"


class MessageStatus(models.TextChoices):
    VISIBLE = "visible", "Shown"
    HELD = "held", "Held for a moderator"
    HIDDEN = "hidden", "Hidden by a moderator"


class ChatMessage(models.Model):
    """One message. `body` is plain text (control characters removed); pages and sockets never treat it as HTML."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="chat_messages"
    )
    client_msg_id = models.CharField(max_length=64)
    body = models.TextField(max_length=2000)
    status = models.CharField(max_length=10, choices=MessageStatus.choices, default=MessageStatus.VISIBLE)
    screening_level = models.CharField(max_length=10, default="none")
    screening_triggers = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["room", "id"])]
        constraints = [
            models.UniqueConstraint(fields=["room", "author", "client_msg_id"], name="chatmessage_client_id_unique"),
            models.CheckConstraint(condition=Q(status__in=MessageStatus.values), name="chatmessage_status_valid"),
        ]

    def __str__(self) -> str:
        return f"Message {self.public_id}"

    @property
    def is_hidden(self) -> bool:
        return self.status == MessageStatus.HIDDEN

    # The moderation target protocol (kindred.community.moderation), as for forum posts.
    def moderation_context(self) -> dict:
        room = self.room
        return {
            "organisation": room.organisation,
            "space": room.space,
            "excerpt": self.body,
            "url": f"/online/rooms/{room.public_id}/#message-{self.public_id}",
            "where": f"the {room.name} chat room",
        }

    def moderation_set_hidden(self, hidden: bool) -> None:
        from kindred.community.chat import message_visibility_changed

        self.status = MessageStatus.HIDDEN if hidden else MessageStatus.VISIBLE
        self.save(update_fields=["status"])
        message_visibility_changed(self)


class RoomPresence(models.Model):
    """Who has the room open (a count of connections), and whether they let others see their name."""

    room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="presence")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    show_name = models.BooleanField(default=False)
    connections = models.PositiveIntegerField(default=0)
    last_seen = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["room", "user"], name="roompresence_unique")]

    def __str__(self) -> str:
        return f"{self.user} in {self.room}"
