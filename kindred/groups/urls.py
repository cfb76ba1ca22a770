from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from . import views
from .urls_more import more_urlpatterns

app_name = "groups"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.my_groups, name="mine"),
    path("new/", views.group_new, name="new"),
    path("this-week/", views.near, name="near"),
    path("follow-ups/", views.follow_ups, name="follow_ups"),
    path("follow-ups/<uuid:public_id>/", views.follow_up, name="follow_up"),
    path("first-chats/<uuid:public_id>/", views.chat_update, name="chat_update"),
    path("calendar/", views.calendar_settings, name="calendar_settings"),
    path("calendar/<str:token>.ics", views.person_calendar, name="person_calendar"),
    path("meetings/<uuid:public_id>/", views.meeting_detail, name="meeting"),
    path("meetings/<uuid:public_id>/rsvp/", views.meeting_rsvp, name="meeting_rsvp"),
    path("meetings/<uuid:public_id>/change/", views.meeting_change, name="meeting_change"),
    path("meetings/<uuid:public_id>/facilitate/", views.facilitate, name="facilitate"),
    path("<slug:slug>/", views.group_detail, name="detail"),
    path("<slug:slug>/join/", views.group_join, name="join"),
    path("<slug:slug>/pause/", views.group_pause, name="pause"),
    path("<slug:slug>/resume/", views.group_resume, name="resume"),
    path("<slug:slug>/leave/", views.group_leave, name="leave"),
    path("<slug:slug>/follow-up-preference/", views.follow_up_preference, name="follow_up_preference"),
    path("<slug:slug>/ground-rules/", views.group_rules, name="rules"),
    path("<slug:slug>/first-chat/", views.first_chat, name="first_chat"),
    path("<slug:slug>/members/", views.members, name="members"),
    path("<slug:slug>/schedule/", views.schedule, name="schedule"),
    path("<slug:slug>/schedule/<uuid:public_id>/change/", views.series_change, name="series_change"),
    path("<slug:slug>/rota/", views.rota, name="rota"),
    path("<slug:slug>/calendar.ics", views.group_calendar, name="group_calendar"),
]

urlpatterns += more_urlpatterns
