from django.urls import path

from . import views, views_people

app_name = "organisations"
urlpatterns = [
    path("orgs/<slug:slug>/", views.detail, name="detail"),
    path("orgs/<slug:slug>/edit/", views.edit, name="edit"),
    path("orgs/<slug:slug>/close/", views.close, name="close"),
    path("orgs/<slug:slug>/people/", views.people, name="people"),
    path("orgs/<slug:slug>/people/<uuid:public_id>/", views.person, name="person"),
    path("orgs/<slug:slug>/people/<uuid:public_id>/roles/add/", views.person_role_grant, name="person_role_grant"),
    path("orgs/<slug:slug>/people/<uuid:public_id>/roles/remove/", views.person_role_revoke, name="person_role_revoke"),
    path("orgs/<slug:slug>/invitations/", views.invitations, name="invitations"),
    path(
        "orgs/<slug:slug>/invitations/<uuid:public_id>/withdraw/",
        views.invitation_withdraw,
        name="invitation_withdraw",
    ),
    path("orgs/<slug:slug>/crisis-contacts/", views.crisis_resources, name="crisis_resources"),
    path(
        "orgs/<slug:slug>/crisis-contacts/<int:resource_id>/", views.crisis_resource_edit, name="crisis_resource_edit"
    ),
    path(
        "orgs/<slug:slug>/crisis-contacts/<int:resource_id>/delete/",
        views.crisis_resource_remove,
        name="crisis_resource_delete",
    ),
    path("invitations/<str:token>/", views.invitation, name="invitation"),
    path("account/people/<uuid:public_id>/", views_people.person_detail, name="person"),
]
