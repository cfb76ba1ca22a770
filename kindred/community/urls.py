from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from . import views, views_chat

app_name = "community"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.space_list, name="spaces"),
    path("organisations/<slug:org_slug>/spaces/new/", views.space_create, name="space_create"),
    path("spaces/<slug:slug>/", views.space_detail, name="space"),
    path("spaces/<slug:slug>/rules/", views.space_rules, name="space_rules"),
    path("spaces/<slug:slug>/manage/", views.space_manage, name="space_manage"),
    path("spaces/<slug:slug>/archive/", views.space_archive, name="space_archive"),
    path("spaces/<slug:slug>/download/", views.space_download, name="space_download"),
    path("spaces/<slug:slug>/new/", views.thread_create, name="thread_create"),
    path("invitations/<str:token>/", views.invite_accept, name="invite_accept"),
    path("threads/<uuid:public_id>/", views.thread_detail, name="thread"),
    path("threads/<uuid:public_id>/follow/", views.thread_follow, name="thread_follow"),
    path("threads/<uuid:public_id>/lock/", views.thread_lock, name="thread_lock"),
    path("posts/<uuid:public_id>/edit/", views.post_edit, name="post_edit"),
    path("posts/<uuid:public_id>/delete/", views.post_delete, name="post_delete"),
    path("posts/<uuid:public_id>/react/", views.post_react, name="post_react"),
    path("posts/<uuid:public_id>/report/", views.post_report, name="post_report"),
    path("posts/<uuid:public_id>/moderate/", views.post_moderate, name="post_moderate"),
    path("moderation/<slug:org_slug>/", views.queue, name="queue"),
    path("moderation/<slug:org_slug>/duty/", views.shift, name="shift"),
    path("reports/<uuid:public_id>/", views.report_detail, name="report"),
    path("decisions/<uuid:public_id>/", views.action_detail, name="action"),
    path("appeals/<uuid:public_id>/", views.appeal_detail, name="appeal"),
    path("people/<uuid:public_id>/block/", views.block, name="block"),
    path("rooms/", views_chat.room_list, name="rooms"),
    path("rooms/<uuid:public_id>/", views_chat.room_detail, name="room"),
    path("rooms/<uuid:public_id>/post/", views_chat.room_post, name="room_post"),
    path("rooms/<uuid:public_id>/presence/", views_chat.room_presence, name="room_presence"),
    path("messages/<uuid:public_id>/report/", views_chat.message_report, name="message_report"),
    path("messages/<uuid:public_id>/moderate/", views_chat.message_moderate, name="message_moderate"),
]
