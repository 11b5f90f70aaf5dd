from __future__ import annotations

from django.urls import path

from libinnov.web.campaigns import manage_views, review_views, views

app_name = "campaigns"
urlpatterns = [
    path("", views.campaign_list, name="list"),
    path("new/", manage_views.campaign_new, name="new"),
    path("<slug:slug>/", views.campaign_detail, name="detail"),
    path("<slug:slug>/receipt/<str:token>/", views.receipt, name="receipt"),
    path(
        "<slug:slug>/receipt/<str:token>/withdraw/",
        views.receipt_withdraw,
        name="receipt_withdraw",
    ),
    path(
        "<slug:slug>/receipt/<str:token>/confirm/",
        views.receipt_confirm,
        name="receipt_confirm",
    ),
    path("<slug:slug>/review/", review_views.my_assignments, name="my_assignments"),
    path("<slug:slug>/review/<int:assignment_id>/", review_views.score, name="score"),
    path(
        "<slug:slug>/review/<int:assignment_id>/conflict/",
        review_views.declare_conflict,
        name="declare_conflict",
    ),
    path(
        "<slug:slug>/attachments/<int:attachment_id>/",
        review_views.attachment_download,
        name="attachment",
    ),
    path("<slug:slug>/manage/", manage_views.campaign_manage, name="manage"),
    path(
        "<slug:slug>/manage/<int:submission_id>/withdraw/",
        manage_views.withdraw,
        name="withdraw",
    ),
    path(
        "<slug:slug>/manage/<int:submission_id>/restore/",
        manage_views.restore,
        name="restore",
    ),
    path(
        "<slug:slug>/manage/<int:submission_id>/confirm/",
        manage_views.confirm_again,
        name="confirm_again",
    ),
    path("<slug:slug>/edit/", manage_views.campaign_edit, name="edit"),
    path("<slug:slug>/reviewers/", manage_views.reviewers, name="reviewers"),
    path(
        "<slug:slug>/reviewers/<int:reviewer_id>/remove/",
        manage_views.reviewer_remove,
        name="reviewer_remove",
    ),
    path(
        "<slug:slug>/reviewers/<int:reviewer_id>/edit/",
        manage_views.reviewer_edit,
        name="reviewer_edit",
    ),
    path("<slug:slug>/assign/", manage_views.assign, name="assign"),
    path("<slug:slug>/progress/", manage_views.progress, name="progress"),
    path("<slug:slug>/standings/", manage_views.standings, name="standings"),
    path("<slug:slug>/standings/export/", manage_views.export, name="export"),
    path("<slug:slug>/results/", manage_views.results, name="results"),
    path(
        "<slug:slug>/results/reset/", manage_views.results_reset, name="results_reset"
    ),
    path(
        "<slug:slug>/results/<int:submission_id>/",
        manage_views.result_set,
        name="result_set",
    ),
    path("<slug:slug>/publish/", manage_views.publish, name="publish"),
]
