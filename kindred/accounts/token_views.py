"""Personal API tokens as pages: list, create (the token is shown once), revoke. Services do the work."""

from __future__ import annotations

from uuid import UUID

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from kindred.core import ratelimit
from kindred.core.ratelimit import RateLimited

from . import services
from .models import ApiToken

_NAME_MAX = ApiToken._meta.get_field("name").max_length


class TokenForm(forms.Form):
    name = forms.CharField(
        label="Name for the new token",
        max_length=_NAME_MAX,
        help_text="Something to help you recognise it later, for example “Journal export script”.",
        error_messages={
            "required": "Please give the token a name, so you can recognise it later.",
            "max_length": f"Please keep the name to {_NAME_MAX} characters or fewer.",
        },
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        field = self["name"]
        described_by = [f"{field.auto_id}_helptext"]
        if self.is_bound and field.errors:
            described_by.append(f"{field.auto_id}_error")
            field.field.widget.attrs["aria-invalid"] = "true"
        field.field.widget.attrs["aria-describedby"] = " ".join(described_by)


@never_cache  # the response to a create holds the raw token: no cache may keep it
@login_required
@require_http_methods(["GET", "POST"])
def token_list(request: HttpRequest) -> HttpResponse:
    new_token: str | None = None
    status = 200
    if request.method == "POST":
        form = TokenForm(request.POST)
        if form.is_valid():
            try:
                ratelimit.check("api_token", str(request.user.public_id))
                _token, new_token = services.api_token_create(actor=request.user, name=form.cleaned_data["name"])
            except RateLimited as exc:
                minutes = max(1, round(exc.retry_after_seconds / 60))
                form.add_error(
                    None,
                    "You've made a lot of tokens recently, so we've paused this for a while. "
                    f"Please wait about {minutes} minutes and try again.",
                )
                status = 429
            except services.AccountError as exc:
                form.add_error("name", str(exc))
                status = 400
            else:
                form = TokenForm()
        else:
            status = 400
    else:
        form = TokenForm()
    tokens = ApiToken.objects.filter(user=request.user)
    return render(
        request, "accounts/tokens.html", {"form": form, "tokens": tokens, "new_token": new_token}, status=status
    )


@login_required
@require_POST
def token_revoke(request: HttpRequest, public_id: UUID) -> HttpResponse:
    token = get_object_or_404(ApiToken, user=request.user, public_id=public_id)
    services.api_token_revoke(actor=request.user, token=token)
    messages.success(request, f"The token “{token.name}” has been revoked. It no longer works.")
    return redirect("accounts:tokens")
