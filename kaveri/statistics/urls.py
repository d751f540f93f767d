from django.urls import path

from kaveri.statistics import views

app_name = "statistics"

urlpatterns = [
    path("", views.waiting, name="waiting"),
    path("waiting.csv", views.waiting_csv, name="waiting_csv"),
]
