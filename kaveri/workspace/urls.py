from django.urls import path

from kaveri.workspace import views

app_name = "workspace"
urlpatterns = [
    path("", views.client_list, name="clients"),
    path("clients/<int:client_id>/", views.client_detail, name="client"),
    path("clients/<int:client_id>/access-log/", views.client_access_log, name="access_log"),
    path("clients/<int:client_id>/consents/new/", views.consent_new, name="consent_new"),
    path("clients/<int:client_id>/emergency/", views.emergency_open, name="emergency_open"),
    path("emergency-reviews/", views.emergency_reviews, name="emergency_reviews"),
    path(
        "clients/<int:client_id>/consents/<int:consent_id>/revoke/",
        views.consent_revoke,
        name="consent_revoke",
    ),
]
