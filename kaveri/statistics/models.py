"""Figures computed ahead: the statistics for the choices a coordinator opens first, kept
from the night's refresh (kaveri.statistics.materialised)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class MaterialisedFigure(models.Model):
    """One computed result of a statistics function for its arguments, signed."""

    key = models.CharField(_("key"), max_length=64, unique=True)
    what = models.CharField(_("what"), max_length=300)
    value = models.BinaryField(_("value"))
    signature = models.CharField(_("signature"), max_length=64)
    computed_at = models.DateTimeField(_("computed at"))
    seconds = models.FloatField(_("seconds to compute"))

    class Meta:
        verbose_name = _("materialised figure")
        verbose_name_plural = _("materialised figures")

    def __str__(self) -> str:
        return self.what
