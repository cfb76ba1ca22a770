from django.urls import path

from . import views

app_name = "organisations"
urlpatterns = [
    path("orgs/<slug:slug>/", views.placeholder, name="detail"),
]
