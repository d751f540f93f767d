from django.urls import path

from kaveri.workspace import views

app_name = "workspace"
urlpatterns = [
    path("", views.client_list, name="clients"),
    path("clients/<int:client_id>/", views.client_detail, name="client"),
]
