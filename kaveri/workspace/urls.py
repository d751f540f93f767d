from django.urls import path

from kaveri.workspace import views

app_name = "workspace"
urlpatterns = [
    path("", views.client_list, name="clients"),
    path("clients/<int:client_id>/", views.client_detail, name="client"),
    path("clients/<int:client_id>/access-log/", views.client_access_log, name="access_log"),
]
