from django.db import models
from django.utils.translation import gettext_lazy as _

from kaveri.rules.fields import rule_code, source_system_field


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

    class Meta:
        ordering = ["-received_on"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")

    def __str__(self) -> str:
        return f"{self.evidence_type} {self.received_on}"
