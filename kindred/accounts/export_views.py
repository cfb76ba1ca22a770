""" "My data": the page that explains the download, and the download itself (JSON file or a readable page).

Why a password, not just a click: the file holds a person's experience in their own words, private messages and
well-being scores. A phone left unlocked, or a shared computer still signed in, must not be enough to take all of
it away in one go. So the download is a POST (with CSRF) that asks for the current password, like changing an
email address or deleting the account; once confirmed, the same browser session may download again (for example
the JSON and then the readable page) for CONFIRM_MINUTES without typing it again. Every download is rate limited
and written to the audit log as "account.export".
"""

from __future__ import annotations

import time
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from kindred.core import ratelimit
from kindred.core.ratelimit import RateLimited, client_ip

from . import my_data
from .forms import _PasswordConfirmMixin
from .models import User
from .personal_data import registered

CONFIRM_MINUTES = 10
SESSION_KEY = "my_data_confirmed_at"
FORMATS = (("json", "A file (JSON)"), ("html", "A page to read, print or save"))


def check_rate(user: User) -> None:
    ratelimit.check("data_export", f"my-data:{user.public_id}")


def recently_confirmed(request: HttpRequest) -> bool:
    confirmed_at = request.session.get(SESSION_KEY)
    return isinstance(confirmed_at, (int, float)) and 0 <= time.time() - confirmed_at < CONFIRM_MINUTES * 60


def mark_confirmed(request: HttpRequest) -> None:
    request.session[SESSION_KEY] = time.time()


class MyDataForm(_PasswordConfirmMixin):
    # Chosen with one of the two submit buttons (name="format"), so pressing Enter gives the first: the file.
    format = forms.ChoiceField(
        choices=FORMATS,
        error_messages={
            "required": "Please choose the file or the page.",
            "invalid_choice": "Please choose the file or the page.",
        },
    )

    def __init__(self, *args: Any, confirmed: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if confirmed:
            # Already confirmed in this session a few minutes ago: no need to ask again.
            del self.fields["current_password"]


def json_download(data: dict[str, Any]) -> StreamingHttpResponse:
    response = StreamingHttpResponse(my_data.json_chunks(data), content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="{my_data.filename()}"'
    response["Cache-Control"] = "no-store"
    return response


def _page(request: HttpRequest, form: MyDataForm, *, status: int = 200) -> HttpResponse:
    context = {
        "form": form,
        "categories": registered(),
        "not_included": my_data.NOT_INCLUDED,
        "confirmed": "current_password" not in form.fields,
        "confirm_minutes": CONFIRM_MINUTES,
    }
    response = render(request, "accounts/my_data.html", context, status=status)
    response["Cache-Control"] = "no-store"
    return response


@sensitive_post_parameters("current_password")
@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def my_data_view(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    confirmed = recently_confirmed(request)
    if request.method == "GET":
        return _page(request, MyDataForm(user=user, confirmed=confirmed))
    form = MyDataForm(request.POST, user=user, confirmed=confirmed)
    try:
        if not confirmed:
            # Password guesses count against the login policy, as on the other pages that ask for it.
            ratelimit.check("login", client_ip(request), user.email)
        check_rate(user)
    except RateLimited as exc:
        minutes = max(1, round(exc.retry_after_seconds / 60))
        form.add_error(
            None,
            "You've asked for your data several times in a short while, so we've paused this to keep your "
            f"account safe. Please try again in about {minutes} minutes.",
        )
        response = _page(request, form, status=429)
        response["Retry-After"] = str(exc.retry_after_seconds)
        return response
    if not form.is_valid():
        return _page(request, form, status=400)
    if not confirmed:
        mark_confirmed(request)
    fmt = form.cleaned_data["format"]
    data = my_data.collect(user)
    my_data.record_export(actor=user, fmt=fmt, via="page")
    if fmt == "json":
        return json_download(data)
    response = render(
        request,
        "accounts/my_data_page.html",
        {
            "sections": my_data.page_sections(data),
            "about": data["about_this_file"],
            "not_included": my_data.NOT_INCLUDED,
        },
    )
    response["Cache-Control"] = "no-store"
    return response
