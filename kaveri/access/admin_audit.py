"""Auditing what the admin site shows of client data: one event per client shown."""

from django.conf import settings

from kaveri.access.actions import Action
from kaveri.access.admin_labels import CodesInWords
from kaveri.access.audit import record_access, record_list_access


class ClientDataAdmin(CodesInWords):
    """A ModelAdmin mixin for models that hold client data (their `client_data` declaration
    names the client and the data category of each row); their codes show in words."""

    def client_of(self, obj):
        """The client a row is about, as its model declares."""
        return self.model.client_data.client_of(obj)

    def category_of(self, obj) -> str:
        return self.model.client_data.category_of(obj)

    def has_module_permission(self, request) -> bool:
        return settings.KAVERI_ADMIN_SEES_CLIENT_DATA and super().has_module_permission(request)

    def has_view_permission(self, request, obj=None) -> bool:
        return settings.KAVERI_ADMIN_SEES_CLIENT_DATA and super().has_view_permission(request, obj)

    def has_change_permission(self, request, obj=None) -> bool:
        allowed = settings.KAVERI_ADMIN_SEES_CLIENT_DATA
        return allowed and super().has_change_permission(request, obj)

    def has_add_permission(self, request) -> bool:
        return settings.KAVERI_ADMIN_SEES_CLIENT_DATA and super().has_add_permission(request)

    def has_delete_permission(self, request, obj=None) -> bool:
        allowed = settings.KAVERI_ADMIN_SEES_CLIENT_DATA
        return allowed and super().has_delete_permission(request, obj)

    def get_changelist_instance(self, request):
        changelist = super().get_changelist_instance(request)
        categories = {self.category_of(obj) for obj in changelist.result_list}
        clients = {c.pk: c for c in map(self.client_of, changelist.result_list) if c is not None}
        category = categories.pop() if len(categories) == 1 else "ALL"
        record_list_access(request, Action.ADMIN_SITE, clients.values(), category)
        return changelist

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        client = self.client_of(obj) if obj is not None else None
        if client is not None:
            record_access(request, Action.ADMIN_SITE, client, data_category=self.category_of(obj))
        return obj
