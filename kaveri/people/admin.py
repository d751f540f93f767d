from django.contrib import admin

from kaveri.people.models import Client


@admin.register(Client)
class ClientAdmin(admin.ModelAdmin):
    list_display = ["last_name", "first_names", "birth_date", "municipality", "language"]
    list_filter = ["language", "municipality"]
    search_fields = ["last_name", "first_names", "=hetu"]
    readonly_fields = ["birth_date", "created_at"]
    raw_id_fields = ["user"]
    show_full_result_count = False
