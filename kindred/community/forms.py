"""Forms for spaces, posts and moderation. They check input and say kindly what is wrong; services write."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django import forms
from django.utils import timezone

from .models import ActionKind, Governance, ReactionKind, ReportReason, SpaceVisibility
from .services import MAX_CW_CHARS, MAX_POST_CHARS, MAX_TITLE_CHARS

_TOO_LONG = "Please keep this to %(limit_value)d characters or fewer (it has %(show_value)d)."

BODY_HELP = (
    "You can use light formatting: **bold**, *italics*, lists and links. You post as your chosen name; your "
    "real name is never shown."
)
CW_HELP = (
    "Optional. If your post talks about something others may find hard to read (for example self-harm or "
    "abuse), name it here and your words stay folded until a reader chooses to open them."
)


def _body_field(label: str = "Your message") -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=MAX_POST_CHARS,
        help_text=BODY_HELP,
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={"required": "Please write something before posting.", "max_length": _TOO_LONG},
    )


def _cw_field() -> forms.CharField:
    return forms.CharField(
        label="Content note",
        max_length=MAX_CW_CHARS,
        required=False,
        help_text=CW_HELP,
        error_messages={"max_length": _TOO_LONG},
    )


class ThreadForm(forms.Form):
    title = forms.CharField(
        label="Title",
        max_length=MAX_TITLE_CHARS,
        error_messages={"required": "Please give your post a title.", "max_length": _TOO_LONG},
    )
    body = _body_field()
    content_warning = _cw_field()


class ReplyForm(forms.Form):
    body = _body_field("Your reply")
    content_warning = _cw_field()


class PostEditForm(forms.Form):
    body = _body_field("Your post")
    content_warning = _cw_field()


class RulesAcknowledgeForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    agree = forms.BooleanField(
        label="I've read the house rules and I'll follow them",
        error_messages={"required": "Please tick the box to say you've read the house rules."},
    )


class SpaceForm(forms.Form):
    name = forms.CharField(label="Name", max_length=120, error_messages={"required": "Please give the space a name."})
    description = forms.CharField(
        label="What it's for",
        max_length=3000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="A sentence or two, in plain words. The first line is shown in the directory.",
    )
    visibility = forms.ChoiceField(label="Who can read it", choices=SpaceVisibility.choices, widget=forms.RadioSelect)
    governance = forms.ChoiceField(label="How it is moderated", choices=Governance.choices, widget=forms.RadioSelect)
    house_rules = forms.CharField(
        label="House rules",
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="People agree to these before their first post. Markdown works here.",
        error_messages={"required": "Please write the house rules people agree to before they post."},
    )
    partner_organisations = forms.ModelMultipleChoiceField(
        label="Share with other organisations (network-wide)",
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Their members can read and post, and their moderators help keep it safe.",
    )

    def __init__(self, *args: Any, partners: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["partner_organisations"].queryset = partners


class HouseRulesForm(forms.Form):
    text = forms.CharField(
        label="House rules",
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text="Saving a change asks everyone to agree again before they next post.",
        error_messages={"required": "House rules can't be empty."},
    )


class InviteForm(forms.Form):
    email = forms.EmailField(
        label="Email address",
        error_messages={"required": "Please enter an email address.", "invalid": "Please enter an email address."},
    )


class SpacePersonForm(forms.Form):
    email = forms.EmailField(
        label="Their email address",
        error_messages={"required": "Please enter an email address.", "invalid": "Please enter an email address."},
    )
    role = forms.ChoiceField(
        label="Their part in this space",
        choices=[("host", "Peer host (moderates this peer-led space)"), ("member", "Member"), ("", "Remove")],
        required=False,
        widget=forms.RadioSelect,
    )


class ReactionForm(forms.Form):
    kind = forms.ChoiceField(choices=ReactionKind.choices)


class FollowForm(forms.Form):
    following = forms.BooleanField(required=False)
    email_digest = forms.BooleanField(
        label="Also send me a daily email digest of new replies",
        required=False,
        help_text="Never during your quiet hours.",
    )


class ReportForm(forms.Form):
    reason = forms.ChoiceField(
        label="What worries you about this?",
        choices=ReportReason.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Please choose what worries you about this."},
    )
    note = forms.CharField(
        label="Anything else the moderators should know (optional)",
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"max_length": _TOO_LONG},
        help_text="The person you're reporting won't see who reported them.",
    )


DURATIONS = [
    ("1h", "1 hour"),
    ("24h", "24 hours"),
    ("3d", "3 days"),
    ("7d", "7 days"),
    ("30d", "30 days"),
]
_DURATION_DELTAS = {
    "1h": timedelta(hours=1),
    "24h": timedelta(hours=24),
    "3d": timedelta(days=3),
    "7d": timedelta(days=7),
    "30d": timedelta(days=30),
}


class ActionForm(forms.Form):
    kind = forms.ChoiceField(
        label="What to do",
        choices=ActionKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Please choose an action."},
    )
    reason = forms.CharField(
        label="Reason",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="The person will see this. Please keep it kind and plain.",
        error_messages={"required": "Please write a reason. The person will see it."},
    )
    duration = forms.ChoiceField(
        label="For how long (mute and suspend)",
        choices=[("", "—"), *DURATIONS],
        required=False,
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        kind = data.get("kind")
        if kind in {ActionKind.MUTE, ActionKind.SUSPEND}:
            if not data.get("duration"):
                self.add_error("duration", "Please choose how long this lasts.")
            else:
                data["until"] = timezone.now() + _DURATION_DELTAS[data["duration"]]
        return data


class DismissForm(forms.Form):
    note = forms.CharField(label="Note for the record (optional)", max_length=500, required=False)


class AppealForm(forms.Form):
    text = forms.CharField(
        label="Why should the decision change?",
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Another moderator, not the one who decided, will read this. You can appeal each decision once.",
        error_messages={"required": "Please say in a few words why the decision should change."},
    )


class AppealDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label="Your decision",
        choices=[("uphold", "The decision stands"), ("overturn", "Reverse the decision")],
        widget=forms.RadioSelect,
        error_messages={"required": "Please choose a decision."},
    )
    reason = forms.CharField(
        label="Reason",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="The person will see this.",
        error_messages={"required": "Please write a reason. The person will see it."},
    )
