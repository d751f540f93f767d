from django.contrib import admin

from kaveri.access.admin_audit import ClientDataAdmin
from kaveri.benefits.models import Appeal, Application, InformationRequest


class InformationRequestInline(admin.TabularInline):
    model = InformationRequest
    extra = 0


class AppealInline(admin.TabularInline):
    model = Appeal
    extra = 0


@admin.register(Application)
class ApplicationAdmin(ClientDataAdmin, admin.ModelAdmin):
    list_display = [
        "client",
        "benefit",
        "submitted_on",
        "status",
        "expected_decision_on",
        "outcome",
    ]
    list_filter = ["benefit", "status", "outcome"]
    raw_id_fields = ["client"]
    inlines = [InformationRequestInline, AppealInline]
    show_full_result_count = False
