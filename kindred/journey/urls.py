from django.urls import path

from . import views

app_name = "journey"

urlpatterns = [
    path("", views.home, name="home"),
    path("moments/new/", views.moment_new, name="moment_new"),
    path("moments/<uuid:public_id>/", views.moment_edit, name="moment_edit"),
    path("moments/<uuid:public_id>/delete/", views.moment_delete, name="moment_delete"),
    path("status/", views.status, name="status"),
    path("reflections/", views.reflections, name="reflections"),
    path("reflections/<uuid:public_id>/", views.reflection_edit, name="reflection_edit"),
    path("reflections/<uuid:public_id>/delete/", views.reflection_delete, name="reflection_delete"),
    path("suggestions/", views.suggestions, name="suggestions"),
    path("suggestions/dismiss/", views.suggestion_dismiss, name="suggestion_dismiss"),
]
