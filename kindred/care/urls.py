from django.urls import path

from . import views

app_name = "care"

urlpatterns = [
    path("", views.home, name="home"),
    path("check-in/", views.checkin, name="checkin"),
    path("check-ins/<uuid:public_id>/unshare/", views.checkin_unshare, name="checkin_unshare"),
    path("shared-with-me/", views.shared, name="shared"),
    path("step-back/", views.step_back, name="step_back"),
    path("come-back/", views.come_back, name="come_back"),
    path("come-back/pick-up/", views.pick_up, name="pick_up"),
    path("network/<slug:org_slug>/", views.network, name="network"),
    path("incidents/", views.incidents, name="incidents"),
    path("incidents/<uuid:public_id>/", views.incident, name="incident"),
    path("organisations/<slug:org_slug>/incidents/new/", views.incident_new, name="incident_new"),
    path("organisations/<slug:org_slug>/support-resources/", views.resources, name="resources"),
    path("organisations/<slug:org_slug>/support-after-a-loss/", views.support_after_loss, name="support_after_loss"),
]
