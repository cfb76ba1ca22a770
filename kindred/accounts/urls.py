from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.placeholder, name="login"),
    path("logout/", views.placeholder, name="logout"),
    path("signup/", views.placeholder, name="signup"),
    path("profile/", views.placeholder, name="profile"),
    path("settings/", views.placeholder, name="settings"),
    path("verify/resend/", views.placeholder, name="resend_verification"),
]
