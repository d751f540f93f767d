from django.contrib import admin

from kaveri.access.admin_audit import ClientDataAdmin
from kaveri.services.models import Participation, ServiceEpisode


@admin.register(ServiceEpisode)
class ServiceEpisodeAdmin(ClientDataAdmin, admin.ModelAdmin):
    list_display = [
        "client",
        "service",
        "provider",
        "starts_on",
        "ends_on",
        "ended_on",
        "end_reason",
    ]
    list_filter = ["service", "end_reason"]
    raw_id_fields = ["client", "relationship", "instructor", "previous"]
    show_full_result_count = False


@admin.register(Participation)
class ParticipationAdmin(ClientDataAdmin, admin.ModelAdmin):
    list_display = ["episode", "day", "attended", "hours"]
    raw_id_fields = ["episode", "recorded_by"]
    show_full_result_count = False
