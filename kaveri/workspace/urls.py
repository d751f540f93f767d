from django.urls import path

from kaveri.workspace import casework_views, views, watch_views

app_name = "workspace"
urlpatterns = [
    path("", views.client_list, name="clients"),
    path("clients/<int:client_id>/", views.client_detail, name="client"),
    path("clients/<int:client_id>/access-log/", views.client_access_log, name="access_log"),
    path("clients/<int:client_id>/consents/new/", views.consent_new, name="consent_new"),
    path(
        "clients/<int:client_id>/changes/new/",
        casework_views.situation_change_new,
        name="situation_change_new",
    ),
    path("clients/<int:client_id>/emergency/", views.emergency_open, name="emergency_open"),
    path("emergency-reviews/", views.emergency_reviews, name="emergency_reviews"),
    path("team/", watch_views.team, name="team"),
    path("absence/", watch_views.absence, name="absence"),
    path("calendar/", watch_views.calendar_link, name="calendar_link"),
    path(
        "signals/<int:signal_id>/acknowledge/",
        watch_views.signal_acknowledge,
        name="signal_acknowledge",
    ),
    path("signals/<int:signal_id>/snooze/", watch_views.signal_snooze, name="signal_snooze"),
    path("search/", casework_views.search, name="search"),
    path("clients/new/", casework_views.client_new, name="client_new"),
    path("clients/<int:client_id>/open-case/", casework_views.open_case, name="open_case"),
    path(
        "clients/<int:client_id>/registration/",
        casework_views.registration_new,
        name="registration_new",
    ),
    path("clients/<int:client_id>/plans/new/", casework_views.plan_new, name="plan_new"),
    path("clients/<int:client_id>/services/new/", casework_views.service_new, name="service_new"),
    path(
        "relationships/<int:relationship_id>/assessment/",
        casework_views.assessment_new,
        name="assessment_new",
    ),
    path(
        "relationships/<int:relationship_id>/close/",
        casework_views.relationship_close,
        name="relationship_close",
    ),
    path("relationships/<int:relationship_id>/feedback/", casework_views.feedback, name="feedback"),
    path(
        "relationships/<int:relationship_id>/worker/",
        casework_views.name_worker,
        name="name_worker",
    ),
    path(
        "clients/<int:client_id>/applications/new/",
        casework_views.application_new,
        name="application_new",
    ),
    path(
        "applications/<int:application_id>/information-request/",
        casework_views.information_request_new,
        name="information_request_new",
    ),
    path(
        "information-requests/<int:request_id>/answer/",
        casework_views.information_answer,
        name="information_answer",
    ),
    path(
        "applications/<int:application_id>/decision/",
        casework_views.application_decide,
        name="application_decide",
    ),
    path(
        "applications/<int:application_id>/appeals/new/",
        casework_views.appeal_new,
        name="appeal_new",
    ),
    path(
        "clients/<int:client_id>/documents/new/",
        casework_views.document_new,
        name="document_new",
    ),
    path("documents/<int:document_id>/file/", casework_views.document_file, name="document_file"),
    path(
        "clients/<int:client_id>/statements/new/",
        casework_views.statement_new,
        name="statement_new",
    ),
    path(
        "clients/<int:client_id>/requests/new/",
        casework_views.data_request_new,
        name="data_request_new",
    ),
    path(
        "requests/<int:request_id>/answer/",
        casework_views.data_request_answer,
        name="data_request_answer",
    ),
    path("appeals/<int:appeal_id>/forward/", casework_views.appeal_forward, name="appeal_forward"),
    path("appeals/<int:appeal_id>/decision/", casework_views.appeal_decide, name="appeal_decide"),
    path(
        "appeals/<int:appeal_id>/withdrawal/",
        casework_views.appeal_withdraw,
        name="appeal_withdraw",
    ),
    path("plans/<int:plan_id>/review/", casework_views.plan_revise, name="plan_revise"),
    path("plans/<int:plan_id>/approve/", casework_views.plan_approve, name="plan_approve"),
    path(
        "measures/<int:measure_id>/acknowledge/",
        casework_views.measure_acknowledge,
        name="measure_acknowledge",
    ),
    path(
        "episodes/<int:episode_id>/participation/",
        casework_views.participation_new,
        name="participation_new",
    ),
    path("episodes/<int:episode_id>/end/", casework_views.episode_end, name="episode_end"),
    path(
        "episodes/<int:episode_id>/continue/",
        casework_views.episode_continue,
        name="episode_continue",
    ),
    path("episodes/<int:episode_id>/report/", casework_views.period_report, name="period_report"),
    path(
        "clients/<int:client_id>/consents/<int:consent_id>/revoke/",
        views.consent_revoke,
        name="consent_revoke",
    ),
    path(
        "clients/<int:client_id>/consents/<int:consent_id>/signed-form/",
        views.consent_signed_form,
        name="consent_signed_form",
    ),
    path(
        "consents/<int:consent_id>/dispute/",
        casework_views.consent_dispute,
        name="consent_dispute",
    ),
    path(
        "consents/<int:consent_id>/signed-form/attach/",
        casework_views.consent_attach_form,
        name="consent_attach_form",
    ),
]
