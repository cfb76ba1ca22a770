"""The blocked-people page (every block a person has made, wherever they made it, and what a block does) and the
unsubscribe page every mailing links to."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from kindred.accounts.http import AuthenticatedRequest
from kindred.accounts.models import User

from . import reach
from .blocks import BlockError, block_create, block_remove, blocked_message, blocks_of


@login_required
@require_http_methods(["GET", "POST"])
def blocks(request: AuthenticatedRequest) -> HttpResponse:
    """GET lists the people you've blocked; POST `person` (a public id) with `action` block or unblock."""
    user = request.user
    if request.method == "POST":
        public_id = _uuid(request.POST.get("person", ""))
        person = User.objects.filter(public_id=public_id, is_active=True).first() if public_id else None
        if person is None:
            raise Http404("We couldn't find that person.")
        if request.POST.get("action") == "unblock":
            if block_remove(actor=user, other=person):
                messages.success(request, f"You've unblocked {person.display_name}. Nothing that ended comes back.")
        else:
            try:
                block_create(actor=user, other=person)
            except BlockError as exc:
                messages.error(request, exc.message)
            else:
                messages.success(request, blocked_message(person))
        return redirect("commons:blocks")
    return render(request, "commons/blocks.html", {"blocks": blocks_of(user)})


# The signed link is the authority here, not a session: mail programs' one-click unsubscribe (RFC 8058) POSTs
# to it without a page, so there is no CSRF token to check. It can only ever take someone off a list.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """No sign-in needed: GET asks which list and confirms (mail scanners follow GETs), POST leaves it."""
    found = reach.read_unsubscribe_token(token) if len(token) <= 500 else None
    name = reach.topic_name(found[1]) if found is not None else ""
    if found is None or not name:
        return render(request, "commons/unsubscribe.html", {"invalid": True}, status=404)
    person, topic = found
    if request.method == "POST":
        reach.unsubscribe(topic=topic, person=person)
        return render(request, "commons/unsubscribe.html", {"done": True, "name": name})
    already = reach.is_unsubscribed(person, topic)
    return render(request, "commons/unsubscribe.html", {"name": name, "token": token, "already": already})


def _uuid(raw: str) -> str | None:
    try:
        return str(uuid.UUID(raw))
    except ValueError:
        return None
