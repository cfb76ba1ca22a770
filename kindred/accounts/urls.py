from django.urls import path

from . import export_views, token_views, views

app_name = "accounts"
urlpatterns = [
    # Joining, logging in and out
    path("signup/", views.signup, name="signup"),
    path("login/", views.login_view, name="login"),
    path("logout/", views.logout_view, name="logout"),
    # Email links (services build these paths: keep them in step)
    path("verify/resend/", views.resend_verification, name="resend_verification"),
    path("verify/<str:token>/", views.verify_email, name="verify_email"),
    path("email/confirm/<str:token>/", views.email_change_confirm, name="email_change_confirm"),
    # Password reset
    path("password/reset/", views.PasswordResetRequestView.as_view(), name="password_reset"),
    path("password/reset/sent/", views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "password/reset/<uuid:uidb64>/<str:token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path("password/reset/done/", views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
    # Settings
    path("settings/", views.settings_view, name="settings"),
    path("settings/consent/", views.consent_update, name="consent_update"),
    path("settings/email/", views.email_change, name="email_change"),
    path("settings/password/", views.password_change, name="password_change"),
    path("settings/delete/", views.account_delete, name="delete"),
    path("settings/my-data/", export_views.my_data_view, name="my_data"),
    path("goodbye/", views.goodbye, name="goodbye"),
    path("tokens/", token_views.token_list, name="tokens"),
    path("tokens/<uuid:public_id>/revoke/", token_views.token_revoke, name="token_revoke"),
    # Profiles
    path("profile/", views.profile, name="profile"),
    path("profile/edit/", views.profile_edit, name="profile_edit"),
]
