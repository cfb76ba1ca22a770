"""Chat room pages: the room list, a room with its history (works without JavaScript), posting, presence,
and reporting or moderating a chat message. chat.js upgrades the room page to a live socket.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from . import chat
from . import moderation as mod
from .forms import ActionForm, ReportForm
from .models import MessageStatus, Room

CRISIS_SESSION_KEY = "community_chat_crisis"
ERROR_STATUS = {
    "empty": 400,
    "too_long": 400,
    "bad_client_id": 400,
    "invalid": 400,
    "rate_limited": 429,
    "room_busy": 429,
}


def _room_context(request: HttpRequest, room: Room, *, before: str = "") -> dict[str, Any]:
    try:
        page = chat.history(request.user, room, before=before or None)
    except chat.ChatError:
        page = chat.history(request.user, room)
    state = chat.room_state(room)
    refusal = chat.posting_refusal(request.user, room, state=state)
    crisis = request.session.pop(CRISIS_SESSION_KEY, None)
    crisis_for_room = crisis if crisis and crisis.get("room") == str(room.public_id) else None
    return {
        "room": room,
        "page": page,
        "chat_messages": page.messages,
        "oldest": page.messages[0] if page.messages else None,
        "newest": page.messages[-1] if page.messages else None,
        "state": state,
        "refusal": refusal,
        "can_post": refusal is None,
        "can_moderate": chat.can_moderate_room(request.user, room),
        "presence": chat.presence_summary(room),
        "show_name": chat.shows_name(request.user, room),
        "client_msg_id": uuid.uuid4().hex,
        "crisis": crisis_for_room,
        "max_chars": chat.MAX_MESSAGE_CHARS,
        "me": str(request.user.public_id),
    }


@login_required
@require_GET
def room_list(request: HttpRequest) -> HttpResponse:
    rooms = [(room, chat.room_state(room)) for room in chat.rooms_for(request.user)]
    return render(request, "community/room_list.html", {"rooms": rooms})


@login_required
@require_GET
def room_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    room = chat.get_room_for(request.user, public_id)
    context = _room_context(request, room, before=request.GET.get("before", "")[:64])
    return render(request, "community/room_detail.html", context)


@login_required
@require_POST
def room_post(request: HttpRequest, public_id: str) -> HttpResponse:
    room = chat.get_room_for(request.user, public_id)
    text = request.POST.get("text", "")
    try:
        outcome = chat.message_post(
            author=request.user, room=room, text=text, client_msg_id=request.POST.get("client_msg_id", "")
        )
    except chat.ChatError as error:
        context = _room_context(request, room)
        context.update({"post_error": str(error), "draft": text[: chat.MAX_MESSAGE_CHARS * 2]})
        status = ERROR_STATUS.get(error.code, 403)
        return render(request, "community/room_detail.html", context, status=status)
    if outcome.crisis_panel is not None:
        request.session[CRISIS_SESSION_KEY] = {"room": str(room.public_id), "held": outcome.held}
    elif outcome.created:
        messages.success(request, "Sent.")
    return redirect(reverse("community:room", args=[room.public_id]) + f"#message-{outcome.message.public_id}")


@login_required
@require_POST
def room_presence(request: HttpRequest, public_id: str) -> HttpResponse:
    room = chat.get_room_for(request.user, public_id)
    show = request.POST.get("show_name") == "1"
    chat.presence_show_name(user=request.user, room=room, show=show)
    messages.success(
        request, "Others in the room can now see your name." if show else "Your name is hidden: you're counted only."
    )
    return redirect("community:room", room.public_id)


@login_required
@require_http_methods(["GET", "POST"])
def message_report(request: HttpRequest, public_id: str) -> HttpResponse:
    message = chat.get_message_for(request.user, public_id)
    form = ReportForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            mod.report_create(reporter=request.user, target=message, **form.cleaned_data)
        except mod.ModerationError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request, "Thank you for telling us. A moderator will look at it. The person won't know who reported it."
            )
            return redirect("community:room", message.room.public_id)
    return render(request, "community/chat_report.html", {"message": message, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def message_moderate(request: HttpRequest, public_id: str) -> HttpResponse:
    message = chat.get_message_for(request.user, public_id, require="moderate")
    was_held = message.status == MessageStatus.HELD
    form = ActionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            mod.action_take(
                moderator=request.user,
                kind=form.cleaned_data["kind"],
                reason=form.cleaned_data["reason"],
                target=message,
                until=form.cleaned_data.get("until"),
                may_bypass_role=chat.can_moderate_room(request.user, message.room),
            )
        except mod.ModerationError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Done. The person has been told, with your reason.")
            if was_held:  # decided from the queue: back to what else is waiting
                from .views import back_to_queue

                room_url = reverse("community:room", args=[message.room.public_id])
                return back_to_queue(request.user, message.room.organisation, message.room.space, fallback=room_url)
            return redirect("community:room", message.room.public_id)
    return render(
        request,
        "community/chat_moderate.html",
        {
            "message": message,
            "form": form,
            "held": message.status == MessageStatus.HELD,
            "context_messages": mod.chat_context(message),
        },
    )
