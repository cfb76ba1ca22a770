from django.urls import path

from . import views

app_name = "wellbeing"

urlpatterns = [
    path("", views.home, name="home"),
    path("check-in/<slug:measure>/", views.checkin, name="checkin"),
    path("check-ins/<uuid:public_id>/", views.result, name="result"),
    path("chart/", views.chart_page, name="chart"),
    path("goals/", views.goals, name="goals"),
    path("goals/<uuid:public_id>/", views.goal, name="goal"),
    path("reminders/", views.reminders, name="reminders"),
    path("sharing/", views.sharing, name="sharing"),
    path("sharing/<uuid:public_id>/stop/", views.share_stop, name="share_stop"),
    path("shared/", views.shared_with_me, name="shared_with_me"),
    path("shared/<uuid:public_id>/", views.shared, name="shared"),
    path("organisations/<slug:slug>/settings/", views.organisation_settings, name="organisation_settings"),
]
