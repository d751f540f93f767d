from django.urls import path

from kaveri.workspace import operations, views

app_name = "workspace"
urlpatterns = [
    path("", views.client_list, name="clients"),
    path("clients/<int:client_id>/", views.client_detail, name="client"),
    path("clients/<int:client_id>/access-log/", views.client_access_log, name="access_log"),
    path("clients/<int:client_id>/consents/new/", views.consent_new, name="consent_new"),
    path("clients/<int:client_id>/emergency/", views.emergency_open, name="emergency_open"),
    path("emergency-reviews/", views.emergency_reviews, name="emergency_reviews"),
    path("search/", operations.search, name="search"),
    path("clients/new/", operations.client_new, name="client_new"),
    path("clients/<int:client_id>/open-case/", operations.open_case, name="open_case"),
    path(
        "clients/<int:client_id>/registration/",
        operations.registration_new,
        name="registration_new",
    ),
    path("clients/<int:client_id>/plans/new/", operations.plan_new, name="plan_new"),
    path("clients/<int:client_id>/services/new/", operations.service_new, name="service_new"),
    path(
        "relationships/<int:relationship_id>/assessment/",
        operations.assessment_new,
        name="assessment_new",
    ),
    path(
        "relationships/<int:relationship_id>/close/",
        operations.relationship_close,
        name="relationship_close",
    ),
    path("relationships/<int:relationship_id>/feedback/", operations.feedback, name="feedback"),
    path("relationships/<int:relationship_id>/worker/", operations.name_worker, name="name_worker"),
    path(
        "clients/<int:client_id>/applications/new/",
        operations.application_new,
        name="application_new",
    ),
    path(
        "applications/<int:application_id>/information-request/",
        operations.information_request_new,
        name="information_request_new",
    ),
    path(
        "information-requests/<int:request_id>/answer/",
        operations.information_answer,
        name="information_answer",
    ),
    path(
        "applications/<int:application_id>/decision/",
        operations.application_decide,
        name="application_decide",
    ),
    path("plans/<int:plan_id>/review/", operations.plan_revise, name="plan_revise"),
    path("plans/<int:plan_id>/approve/", operations.plan_approve, name="plan_approve"),
    path(
        "measures/<int:measure_id>/acknowledge/",
        operations.measure_acknowledge,
        name="measure_acknowledge",
    ),
    path(
        "episodes/<int:episode_id>/participation/",
        operations.participation_new,
        name="participation_new",
    ),
    path("episodes/<int:episode_id>/end/", operations.episode_end, name="episode_end"),
    path(
        "episodes/<int:episode_id>/continue/", operations.episode_continue, name="episode_continue"
    ),
    path("episodes/<int:episode_id>/report/", operations.period_report, name="period_report"),
    path(
        "clients/<int:client_id>/consents/<int:consent_id>/revoke/",
        views.consent_revoke,
        name="consent_revoke",
    ),
]
