from django.contrib import admin

from kaveri.access.admin_audit import ClientDataAdmin
from kaveri.casework.models import (
    ClientRelationship,
    Contact,
    JobSeekerRegistration,
    NamedWorker,
    ServiceNeedAssessment,
)


class NamedWorkerInline(admin.TabularInline):
    model = NamedWorker
    extra = 0
    raw_id_fields = ["worker"]


@admin.register(ClientRelationship)
class ClientRelationshipAdmin(ClientDataAdmin, admin.ModelAdmin):
    list_display = ["client", "kind", "organisation", "opened_on", "closed_on", "closure_reason"]
    list_filter = ["kind", "closure_reason", "organisation__authority"]
    raw_id_fields = ["client", "contact"]
    inlines = [NamedWorkerInline]
    show_full_result_count = False


@admin.register(Contact)
class ContactAdmin(ClientDataAdmin, admin.ModelAdmin):
    list_display = ["client", "organisation", "occurred_on", "initiator", "channel"]
    list_filter = ["initiator", "channel"]
    raw_id_fields = ["client", "recorded_by"]
    show_full_result_count = False


@admin.register(ServiceNeedAssessment)
class ServiceNeedAssessmentAdmin(ClientDataAdmin, admin.ModelAdmin):
    list_display = ["client", "organisation", "assessed_on", "is_final"]
    list_filter = ["is_final", "organisation__authority"]
    raw_id_fields = ["client", "relationship", "assessor"]
    show_full_result_count = False


@admin.register(JobSeekerRegistration)
class JobSeekerRegistrationAdmin(ClientDataAdmin, admin.ModelAdmin):
    list_display = ["client", "organisation", "registered_on", "ended_on"]
    raw_id_fields = ["client"]
    show_full_result_count = False
