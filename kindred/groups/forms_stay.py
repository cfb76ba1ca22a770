"""Forms for staying in touch between meetings. They check input kindly; services do the writing."""

from __future__ import annotations

from typing import Any

from django import forms

from .stay import MAX_AFTER_MISSED


class AbsenceCheckInForm(forms.Form):
    trusted = forms.ChoiceField(
        label="Who should we ask to get in touch?",
        help_text="Someone in this group you trust. Only they are told — we never message you about it.",
        error_messages={
            "required": "Please choose someone from the group.",
            "invalid_choice": "Please choose someone from the group.",
        },
    )
    after_missed = forms.TypedChoiceField(
        label="After how many missed meetings in a row?",
        coerce=int,
        choices=[(n, str(n)) for n in range(1, MAX_AFTER_MISSED + 1)],
        initial=3,
        error_messages={
            "required": "Please choose a number of meetings.",
            "invalid_choice": "Please choose a number from the list.",
        },
    )

    def __init__(self, *args: Any, people: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        trusted = self.fields["trusted"]
        assert isinstance(trusted, forms.ChoiceField)
        trusted.choices = [("", "Choose someone…"), *people]


class BoardPostForm(forms.Form):
    body = forms.CharField(
        label="Your message",
        max_length=4000,
        help_text="Only members of this group can see the noticeboard.",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "required": "Please write something to post.",
            "max_length": "Please keep a post to 4,000 characters or fewer.",
        },
    )


class NewsletterItemForm(forms.Form):
    title = forms.CharField(
        label="Title",
        max_length=150,
        error_messages={"required": "Please give your item a title."},
    )
    body = forms.CharField(
        label="Your item",
        max_length=4000,
        help_text="News, a poem, a walk you enjoyed, a thank-you… The facilitators may tidy it before it goes out.",
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": "Please write a few words."},
    )


class NewsletterIssueForm(forms.Form):
    title = forms.CharField(
        label="Title of this issue",
        max_length=150,
        error_messages={"required": "Please give this issue a title, for example “Spring news”."},
    )
    introduction = forms.CharField(
        label="Introduction",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="A few words from the facilitators at the top of the newsletter.",
    )


class NewsletterItemEditForm(forms.Form):
    title = forms.CharField(label="Title", max_length=150, required=False)
    body = forms.CharField(label="Text", max_length=4000, required=False, widget=forms.Textarea(attrs={"rows": 6}))
    decision = forms.ChoiceField(
        label="What should happen to it?",
        choices=[
            ("include", "Put it in this issue"),
            ("hold", "Keep it for later"),
            ("decline", "Leave it out"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Please choose what should happen to it."},
    )


class SubscriptionForm(forms.Form):
    subscribed = forms.TypedChoiceField(
        label="Email me the newsletter",
        coerce=lambda v: v == "yes",
        choices=[("yes", "Yes, email it to me"), ("no", "No, I'll read it here")],
        widget=forms.RadioSelect,
        error_messages={"required": "Please choose yes or no."},
    )
