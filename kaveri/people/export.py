"""Everything held on one client, as JSON-ready data, for a data subject access request.

What is exported comes from each model's declaration (`client_data`): its section,
the lookup from the model to the client and the fields to export.
"""

from datetime import date, datetime
from decimal import Decimal
from uuid import UUID

from django.db.models.fields.files import FieldFile

from kaveri.access.declarations import declared_models

FORMAT_VERSION = 2


def _value(value):
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal | UUID):
        return str(value)
    if isinstance(value, FieldFile):
        return value.name or None  # the stored file's name; the file itself on request
    return value


def _row(instance, fields: tuple[str, ...]) -> dict:
    row = {}
    for name in fields:
        field = instance._meta.get_field(name)
        row[field.attname] = _value(getattr(instance, field.attname))
    return row


def declared_row(record) -> dict:
    """One record's declared fields, with its state and version where it has them."""
    row = _row(record, record.client_data.export)
    for extra in ("state", "status", "row_version"):
        if hasattr(record, extra):
            row[extra] = getattr(record, extra)
    return row


def export_client(client) -> dict:
    """All records about the client, one section per kind of record, as declared."""
    data = {"format": "kaveri-subject-access", "format_version": FORMAT_VERSION}
    for model in declared_models():
        declared = model.client_data
        rows = model._default_manager.filter(**{declared.client_lookup: client.pk}).order_by("pk")
        exported = [_row(row, declared.export) for row in rows]
        data[declared.section] = exported[0] if declared.section == "client" else exported
    return data
