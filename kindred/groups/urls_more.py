"""URL patterns for staying in touch, funds and closing well (parts 5 to 7). Appended to urls.py's urlpatterns."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path, re_path

from . import views_more as v

more_urlpatterns: list[URLPattern | URLResolver] = [
    path("newsletter-unsubscribe/<str:token>/", v.newsletter_unsubscribe, name="newsletter_unsubscribe"),
    path("<slug:slug>/keep-in-touch/", v.stay, name="stay"),
    path("<slug:slug>/keep-in-touch/remove/", v.stay_remove, name="stay_remove"),
    path("<slug:slug>/noticeboard/", v.board, name="board"),
    path("<slug:slug>/noticeboard/<uuid:post_id>/remove/", v.board_remove, name="board_remove"),
    path("<slug:slug>/newsletter/", v.newsletter, name="newsletter"),
    path("<slug:slug>/newsletter/subscription/", v.newsletter_subscription, name="newsletter_subscription"),
    path("<slug:slug>/newsletter/write/", v.newsletter_submit, name="newsletter_submit"),
    path("<slug:slug>/newsletter/edit/", v.newsletter_edit, name="newsletter_edit"),
    path("<slug:slug>/newsletter/edit/<uuid:item_id>/", v.newsletter_item, name="newsletter_item"),
    path("<slug:slug>/newsletter/send/", v.newsletter_send, name="newsletter_send"),
    path("<slug:slug>/newsletter/<uuid:issue_id>/", v.newsletter_issue, name="newsletter_issue"),
    path("<slug:slug>/funds/", v.funds, name="funds"),
    path("<slug:slug>/funds/report/", v.funds_report, name="funds_report"),
    re_path(
        r"^(?P<slug>[-a-zA-Z0-9_]+)/funds/report\.(?P<extension>pdf|csv)$",
        v.funds_report_file,
        name="funds_report_file",
    ),
    path("<slug:slug>/funds/<uuid:entry_id>/receipt/", v.funds_receipt, name="funds_receipt"),
    path("<slug:slug>/funds/<uuid:entry_id>/remove/", v.funds_remove, name="funds_remove"),
    path("<slug:slug>/closing/", v.closure, name="closure"),
    path("<slug:slug>/closing/cancel/", v.closure_cancel, name="closure_cancel"),
    path("<slug:slug>/archive.zip", v.closure_download, name="closure_download"),
]
