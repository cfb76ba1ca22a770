from django.urls import path

from . import views

app_name = "commons"

urlpatterns = [
    path("blocked/", views.blocks, name="blocks"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
