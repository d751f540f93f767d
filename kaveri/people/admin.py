from django.contrib import admin

from kaveri.access.admin_audit import ClientDataAdmin
from kaveri.people.models import Client


@admin.register(Client)
class ClientAdmin(ClientDataAdmin, admin.ModelAdmin):
    list_display = ["last_name", "first_names", "birth_date", "municipality", "language"]
    list_filter = ["language", "municipality"]
    # Never the henkilötunnus: admin searches travel in the URL.
    search_fields = ["last_name", "first_names"]
    readonly_fields = ["birth_date", "created_at"]
    raw_id_fields = ["user"]
    show_full_result_count = False
