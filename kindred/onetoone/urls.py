from __future__ import annotations

from django.urls import URLPattern, path

from . import views, views_practice

app_name = "onetoone"
urlpatterns: list[URLPattern] = [
    path("", views.home, name="home"),
    path("people/<uuid:public_id>/connect/", views.connect, name="connect"),
    path("people/<uuid:public_id>/block/", views.block, name="block"),
    path("connections/<uuid:public_id>/", views.connection_detail, name="connection"),
    path("connections/<uuid:public_id>/<slug:action>/", views.connection_action, name="connection_action"),
    path("conversations/<uuid:public_id>/", views.conversation, name="conversation"),
    path("conversations/<uuid:public_id>/messages/", views.conversation_messages, name="conversation_messages"),
    path("organisations/<slug:slug>/schemes/new/", views.scheme_create, name="scheme_create"),
    path("schemes/<uuid:public_id>/", views.scheme_detail, name="scheme"),
    path("schemes/<uuid:public_id>/manage/", views.scheme_manage, name="scheme_manage"),
    path("schemes/<uuid:public_id>/settings/", views.scheme_settings, name="scheme_settings"),
    path("schemes/<uuid:public_id>/matching/", views.scheme_run_matching, name="scheme_run_matching"),
    path("schemes/<uuid:public_id>/request/", views.request_create, name="request_create"),
    path("schemes/<uuid:public_id>/support/", views.supporter_profile, name="supporter_profile"),
    path("supporters/<uuid:public_id>/status/", views.supporter_status, name="supporter_status"),
    path("me/supporter-profile/", views.general_supporter_profile, name="general_profile"),
    path("requests/", views.request_list, name="requests"),
    path("requests/<uuid:public_id>/", views.request_detail, name="request"),
    path("requests/<uuid:public_id>/<slug:action>/", views.request_action, name="request_action"),
    path("matches/<uuid:public_id>/", views.match_detail, name="match"),
    path("matches/<uuid:public_id>/<slug:action>/", views.match_action, name="match_action"),
    path("relationships/<uuid:match_id>/sessions/", views_practice.session_list, name="session_list"),
    path("relationships/<uuid:match_id>/end/", views_practice.practice_ending, name="practice_ending"),
    path("sessions/<uuid:session_id>/", views_practice.session_detail, name="session_detail"),
    path("sessions/<uuid:session_id>/status/", views_practice.session_update, name="session_update"),
    path("sessions/<uuid:session_id>/notes/", views_practice.session_note_add, name="session_note_add"),
    path(
        "sessions/<uuid:session_id>/disclosures/", views_practice.session_disclosure_add, name="session_disclosure_add"
    ),
    path("practice/", views_practice.practice_home, name="practice_home"),
    path("practice/dilemmas/new/", views_practice.practice_dilemma_add, name="practice_dilemma_add"),
    path("practice/<slug:organisation_slug>/settings/", views_practice.practice_settings, name="practice_settings"),
    path("wellbeing/check-in/", views_practice.wellbeing_checkin, name="wellbeing_checkin"),
    path("supervision/", views_practice.supervision_home, name="supervision_home"),
    path(
        "supervision/<slug:organisation_slug>/<uuid:person_id>/",
        views_practice.supervision_supervisee,
        name="supervision_supervisee",
    ),
    path("notes/<uuid:note_id>/", views_practice.supervision_note, name="supervision_note"),
]
