from django.contrib import admin
from django.urls import include, path

from kindred import views
from kindred.api import api

admin.site.site_header = "Kindred administration"
admin.site.site_title = "Kindred admin"

urlpatterns = [
    path("", views.home, name="home"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("terms/", views.terms, name="terms"),
    path("privacy/", views.privacy, name="privacy"),
    path("account/", include("kindred.accounts.urls")),
    path("", include("kindred.organisations.urls")),
    path("find/", include("kindred.directory.urls")),
    path("groups/", include("kindred.groups.urls")),
    path("one-to-one/", include("kindred.onetoone.urls")),
    path("online/", include("kindred.community.urls")),
    path("journey/", include("kindred.journey.urls")),
    path("well-being/", include("kindred.wellbeing.urls")),
    path("care/", include("kindred.care.urls")),
    path("notifications/", include("kindred.notifications.urls")),
    path("", include("kindred.commons.urls")),
    path("help/", include("kindred.safety.urls")),
    path("api/", api.urls),
    path("admin/", admin.site.urls),
]
