from django.urls import path

from kaveri.statistics import views

app_name = "statistics"

urlpatterns = [
    path("", views.waiting, name="waiting"),
    path("waiting.csv", views.waiting_csv, name="waiting_csv"),
    path("outcomes.csv", views.outcomes_csv, name="outcomes_csv"),
    path("decision-times.csv", views.decisions_csv, name="decisions_csv"),
]
