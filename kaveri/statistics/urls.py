from django.urls import path

from kaveri.statistics import views

app_name = "statistics"

urlpatterns = [
    path("", views.waiting, name="waiting"),
    path("flows/", views.pathway_flows, name="flows"),
    path("durations/", views.durations, name="durations"),
    path("bottlenecks/", views.bottlenecks, name="bottlenecks"),
    path("rule-change/", views.rule_change, name="rule_change"),
    path("report.pdf", views.report, name="report"),
    path("<slug:table>.<slug:file_format>", views.export, name="export"),
]
