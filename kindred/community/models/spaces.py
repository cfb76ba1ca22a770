"""Topic spaces, their house rules and membership; threads, posts, reactions and follows."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from kindred.commons.models import Rules
from kindred.commons.rules import rules_current

ARCHIVE_DAYS = 365


class SpaceVisibility(models.TextChoices):
    PUBLIC = "public", "Anyone can read"
    MEMBERS = "members", "Members of the organisation"
    INVITE_ONLY = "invite_only", "By invitation only"


class Governance(models.TextChoices):
    PEER_LED = "peer_led", "Peer-led"
    ORG_MODERATED = "org_moderated", "Moderated by the organisation"


class SpaceStatus(models.TextChoices):
    OPEN = "open", "Open"
    ARCHIVED = "archived", "Archived"


class Space(models.Model):
    """A topic space. Hosted by one organisation; network-wide spaces are shared with partner organisations."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    slug = models.SlugField(max_length=120, unique=True)
    name = models.CharField(max_length=120)
    description = models.TextField(max_length=3000, blank=True)
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="community_spaces"
    )
    partner_organisations = models.ManyToManyField(
        "organisations.Organisation",
        blank=True,
        related_name="shared_community_spaces",
        help_text="Other organisations whose members and moderators share this network-wide space.",
    )
    offer = models.OneToOneField(
        "directory.Offer",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="community_space",
        help_text="The directory listing (kind online_space).",
    )
    visibility = models.CharField(max_length=12, choices=SpaceVisibility.choices, default=SpaceVisibility.MEMBERS)
    governance = models.CharField(max_length=16, choices=Governance.choices, default=Governance.ORG_MODERATED)
    status = models.CharField(max_length=10, choices=SpaceStatus.choices, default=SpaceStatus.OPEN)
    # When it was archived: read-only from then, readable and downloadable by its members for a year.
    archived_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=Q(visibility__in=SpaceVisibility.values), name="space_visibility_valid"),
            models.CheckConstraint(condition=Q(governance__in=Governance.values), name="space_governance_valid"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_archived(self) -> bool:
        return self.status == SpaceStatus.ARCHIVED

    @property
    def archive_until(self) -> datetime | None:
        """Until when members can read and download an archived space."""
        return self.archived_at + timedelta(days=ARCHIVE_DAYS) if self.archived_at else None

    @property
    def archive_open(self) -> bool:
        """Whether its words can still be read: always while open, for a year once archived."""
        until = self.archive_until
        return not self.is_archived or until is None or until > timezone.now()

    @property
    def is_network_wide(self) -> bool:
        return self.partner_organisations.exists()

    @property
    def current_rules(self) -> Rules | None:
        return rules_current(self)


class SpaceRole(models.TextChoices):
    MEMBER = "member", "Member"
    HOST = "host", "Peer host"  # moderates a peer-led space


class SpaceMembership(models.Model):
    """Explicit membership: needed for invite-only spaces; peer hosts moderate peer-led spaces."""

    space = models.ForeignKey(Space, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="space_memberships")
    role = models.CharField(max_length=10, choices=SpaceRole.choices, default=SpaceRole.MEMBER)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["space", "user"], name="spacemembership_unique")]

    def __str__(self) -> str:
        return f"{self.user} in {self.space}"


class SpaceInvite(models.Model):
    """A single-use invitation to an invite-only space. Only the token's keyed digest is stored."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    space = models.ForeignKey(Space, on_delete=models.CASCADE, related_name="invites")
    email = models.EmailField()
    token_digest = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Invitation to {self.space}"


class Thread(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    space = models.ForeignKey(Space, on_delete=models.CASCADE, related_name="threads")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="community_threads"
    )
    title = models.CharField(max_length=150)
    is_locked = models.BooleanField(default=False)
    locked_at = models.DateTimeField(null=True, blank=True)
    lock_note = models.CharField(
        max_length=300, blank=True, help_text="A few kind words from the moderator, shown to everyone reading."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    last_post_at = models.DateTimeField()

    class Meta:
        ordering = ["-last_post_at", "-id"]
        indexes = [models.Index(fields=["space", "last_post_at"])]

    def __str__(self) -> str:
        return self.title


class PostStatus(models.TextChoices):
    VISIBLE = "visible", "Shown"
    HELD = "held", "Held for a moderator"
    HIDDEN = "hidden", "Hidden by a moderator"


class ScreeningLevel(models.TextChoices):
    NONE = "none", "None"
    CONCERN = "concern", "Concern"
    URGENT = "urgent", "Urgent"


class Post(models.Model):
    """The opening post of a thread or a reply. `body` is the author's Markdown; `body_html` is sanitised."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="posts")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="community_posts"
    )
    is_opening = models.BooleanField(default=False)
    body = models.TextField(max_length=10000)
    body_html = models.TextField(blank=True)
    content_warning = models.CharField(max_length=120, blank=True)
    status = models.CharField(max_length=10, choices=PostStatus.choices, default=PostStatus.VISIBLE)
    screening_level = models.CharField(max_length=10, choices=ScreeningLevel.choices, default=ScreeningLevel.NONE)
    screening_triggers = models.JSONField(default=list, blank=True)
    held_reason = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    edited_at = models.DateTimeField(null=True, blank=True)
    deleted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["thread", "created_at"]),
            models.Index(fields=["status", "created_at"]),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=PostStatus.values), name="post_status_valid"),
        ]

    def __str__(self) -> str:
        return f"Post {self.public_id}"

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None

    # The moderation target protocol (kindred.community.moderation): chat messages implement the same three.
    def moderation_context(self) -> dict:
        space = self.thread.space
        return {
            "organisation": space.organisation,
            "space": space,
            "excerpt": self.body,
            "url": f"/online/threads/{self.thread.public_id}/#post-{self.public_id}",
            "where": f"{space.name} — {self.thread.title}",
        }

    def moderation_set_hidden(self, hidden: bool) -> None:
        self.status = PostStatus.HIDDEN if hidden else PostStatus.VISIBLE
        self.save(update_fields=["status"])


class ReactionKind(models.TextChoices):
    ME_TOO = "me_too", "Me too"
    THINKING_OF_YOU = "thinking_of_you", "Thinking of you"
    THIS_HELPED = "this_helped", "This helped"


class Reaction(models.Model):
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="reactions")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20, choices=ReactionKind.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["post", "user", "kind"], name="reaction_unique"),
            models.CheckConstraint(condition=Q(kind__in=ReactionKind.values), name="reaction_kind_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} on {self.post}"


class Follow(models.Model):
    """Following a thread: a notification in Kindred for each reply; optionally a daily email digest."""

    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="follows")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="thread_follows")
    email_digest = models.BooleanField(default=False)
    # Replies created after this moment have not yet been in a digest.
    digest_cursor = models.DateTimeField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["thread", "user"], name="follow_unique")]

    def __str__(self) -> str:
        return f"{self.user} follows {self.thread}"
