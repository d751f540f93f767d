from django.contrib import admin

from kaveri.access.admin_audit import ClientDataAdmin
from kaveri.evidence.models import Document


@admin.register(Document)
class DocumentAdmin(ClientDataAdmin, admin.ModelAdmin):
    list_display = ["client", "evidence_type", "received_on", "source_system"]
    list_filter = ["evidence_type", "source_system"]
    raw_id_fields = ["client", "application"]
    show_full_result_count = False
