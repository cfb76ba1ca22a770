"""Sessions, practice and supervision pages (owned by the practice engineer); urls.py appends these."""

from __future__ import annotations

from django.urls import URLPattern, path

from . import views_more as views

more_urlpatterns: list[URLPattern] = [
    path("relationships/<uuid:match_id>/sessions/", views.session_list, name="session_list"),
    path("relationships/<uuid:match_id>/end/", views.practice_ending, name="practice_ending"),
    path("sessions/<uuid:session_id>/", views.session_detail, name="session_detail"),
    path("sessions/<uuid:session_id>/status/", views.session_update, name="session_update"),
    path("sessions/<uuid:session_id>/notes/", views.session_note_add, name="session_note_add"),
    path("sessions/<uuid:session_id>/disclosures/", views.session_disclosure_add, name="session_disclosure_add"),
    path("practice/", views.practice_home, name="practice_home"),
    path("practice/dilemmas/new/", views.practice_dilemma_add, name="practice_dilemma_add"),
    path("practice/<slug:organisation_slug>/settings/", views.practice_settings, name="practice_settings"),
    path("wellbeing/check-in/", views.wellbeing_checkin, name="wellbeing_checkin"),
    path("supervision/", views.supervision_home, name="supervision_home"),
    path(
        "supervision/<slug:organisation_slug>/<uuid:person_id>/",
        views.supervision_supervisee,
        name="supervision_supervisee",
    ),
    path("notes/<uuid:note_id>/", views.supervision_note, name="supervision_note"),
]
urlpatterns = more_urlpatterns
