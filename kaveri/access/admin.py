from django.contrib import admin

from kaveri.access.admin_audit import ClientDataAdmin
from kaveri.access.admin_labels import CodesInWords
from kaveri.access.models import AccessibilityFeedback, ApiToken, AuditEvent, Organisation, Worker


@admin.register(Organisation)
class OrganisationAdmin(CodesInWords, admin.ModelAdmin):
    list_display = ["name", "authority", "region", "municipality", "is_municipal_trial", "active"]
    list_filter = ["authority", "region", "active"]
    search_fields = ["name"]


@admin.register(Worker)
class WorkerAdmin(CodesInWords, admin.ModelAdmin):
    list_display = ["__str__", "role", "organisation", "title"]
    list_filter = ["role", "organisation__authority"]
    search_fields = ["user__username", "user__last_name", "user__first_name"]
    raw_id_fields = ["user", "deputy"]


@admin.register(AuditEvent)
class AuditEventAdmin(ClientDataAdmin, admin.ModelAdmin):
    list_display = ["at", "username", "role", "organisation", "client", "action", "allowed"]
    list_filter = ["action", "allowed", "role"]
    raw_id_fields = ["client", "user", "organisation"]
    show_full_result_count = False

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["prefix", "user", "name", "created_at", "last_used_at", "revoked_at"]
    readonly_fields = ["prefix", "key_hash", "created_at", "last_used_at"]
    raw_id_fields = ["user"]

    def has_add_permission(self, request) -> bool:
        return False  # keys are made with `kaveri token create`, which shows them once


@admin.register(AccessibilityFeedback)
class AccessibilityFeedbackAdmin(admin.ModelAdmin):
    """The administrators' list: unanswered first, the nearest answer date on top."""

    list_display = ("received_on", "answer_due_on", "answered_on", "page", "message")
    list_filter = ("answered_on",)
    readonly_fields = ("received_on", "page", "message", "contact", "language", "answer_due_on")
    fields = (*readonly_fields, "answered_on", "answer")
