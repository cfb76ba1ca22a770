"""URL patterns added by the chat rooms and screening engineer; urls.py appends them."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from . import views_more

more_urlpatterns: list[URLPattern | URLResolver] = [
    path("rooms/", views_more.room_list, name="rooms"),
    path("rooms/<uuid:public_id>/", views_more.room_detail, name="room"),
    path("rooms/<uuid:public_id>/post/", views_more.room_post, name="room_post"),
    path("rooms/<uuid:public_id>/presence/", views_more.room_presence, name="room_presence"),
    path("messages/<uuid:public_id>/report/", views_more.message_report, name="message_report"),
    path("messages/<uuid:public_id>/moderate/", views_more.message_moderate, name="message_moderate"),
]
