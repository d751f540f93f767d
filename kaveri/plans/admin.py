from django.contrib import admin

from kaveri.access.admin_audit import ClientDataAdmin
from kaveri.plans.models import Measure, Plan


class MeasureInline(admin.TabularInline):
    model = Measure
    extra = 0


@admin.register(Plan)
class PlanAdmin(ClientDataAdmin, admin.ModelAdmin):
    list_display = ["client", "plan_type", "version", "is_current", "made_on", "next_review_on"]
    list_filter = ["plan_type", "is_current"]
    raw_id_fields = ["client", "relationship", "created_by"]
    inlines = [MeasureInline]
    show_full_result_count = False
