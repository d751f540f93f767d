from django.db import models
from django.utils.translation import gettext_lazy as _

from kaveri.access.declarations import ClientData, owned_by
from kaveri.people.queries import ClientRecordQuerySet
from kaveri.rules.fields import rule_code, source_system_field


def document_category(document, rules) -> str:
    """Health information is a special category; other documents are basic information."""
    evidence = rules.evidence_types.get(document.evidence_type)
    return "HEALTH" if evidence is not None and evidence.health_data else "BASIC"


class Document(models.Model):
    """A piece of evidence (doctor's statement, assessment, certificate) and its provenance."""

    client = models.ForeignKey("people.Client", on_delete=models.CASCADE, related_name="documents")
    evidence_type = rule_code("evidence", verbose_name=_("type"))
    title = models.CharField(_("title"), max_length=200, blank=True)
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    received_on = models.DateField(_("received on"))
    issued_by = models.CharField(_("issued by"), max_length=200, blank=True)
    issuing_organisation = models.ForeignKey(
        "access.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="documents_issued",
    )
    received_by = models.ForeignKey(
        "access.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="documents_received",
    )
    application = models.ForeignKey(
        "benefits.Application",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="documents",
    )
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    source_system = source_system_field()
    # The file is kept outside the web root (MEDIA_ROOT is never served) and given out only
    # by the permission-checked, audited download, with the type its content showed.
    file = models.FileField(_("file"), upload_to="documents/%Y/", blank=True)
    file_type = models.CharField(_("file type"), max_length=40, blank=True, editable=False)
    file_size = models.PositiveIntegerField(_("file size"), null=True, blank=True, editable=False)
    recorded_by = models.ForeignKey(
        "access.Worker",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="documents_recorded",
    )

    objects = ClientRecordQuerySet.as_manager()
    client_data = ClientData(
        section="documents",
        client="client",
        category=document_category,
        owner=owned_by("received_by"),
        export=(
            "id",
            "evidence_type",
            "title",
            "issued_on",
            "received_on",
            "issued_by",
            "issuing_organisation",
            "received_by",
            "application",
            "valid_until",
            "source_system",
            "file_type",
            "file_size",
        ),
    )

    class Meta:
        ordering = ["-received_on"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")

    def __str__(self) -> str:
        return f"{self.evidence_type} {self.received_on}"
