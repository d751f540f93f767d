from django.contrib import admin

from kaveri.access.admin_audit import ClientDataAdmin
from kaveri.consent.models import Consent


@admin.register(Consent)
class ConsentAdmin(ClientDataAdmin, admin.ModelAdmin):
    list_display = ["client", "purpose", "valid_from", "valid_until", "method", "revoked_at"]
    list_filter = ["purpose", "method"]
    raw_id_fields = ["client", "recorded_by", "revoked_by"]
    show_full_result_count = False
