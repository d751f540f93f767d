from datetime import date

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kaveri.access.declarations import NO_OWNER, ClientData
from kaveri.people.lookup_key import identity_key
from kaveri.people.queries import ClientQuerySet
from kaveri.people.validators import normalise_hetu, validate_hetu

CENTURY_BY_SIGN = {
    "+": 1800,
    "-": 1900,
    "Y": 1900,
    "X": 1900,
    "W": 1900,
    "V": 1900,
    "U": 1900,
    "A": 2000,
    "B": 2000,
    "C": 2000,
    "D": 2000,
    "E": 2000,
    "F": 2000,
}


def birth_date_from_hetu(code: str) -> date:
    century = CENTURY_BY_SIGN[code[6]]
    return date(century + int(code[4:6]), int(code[2:4]), int(code[0:2]))


class Client(models.Model):
    """A client (asiakas) of the service network, identified by henkilötunnus."""

    class Language(models.TextChoices):
        FINNISH = "fi", _("Finnish")
        SWEDISH = "sv", _("Swedish")
        ENGLISH = "en", _("English")

    hetu = models.CharField(_("personal identity code"), max_length=11, validators=[validate_hetu])
    hetu_key = models.CharField(max_length=64, unique=True, editable=False)
    first_names = models.CharField(_("first names"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100, db_index=True)
    birth_date = models.DateField(_("date of birth"), editable=False, db_index=True)
    language = models.CharField(
        _("language"), max_length=2, choices=Language.choices, default=Language.FINNISH
    )
    municipality = models.CharField(_("municipality"), max_length=100, blank=True, db_index=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="client",
        help_text=_("The client's own login to the portal."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ClientQuerySet.as_manager()
    client_data = ClientData(
        section="client",
        client="",
        category="BASIC",
        owner=lambda record, rules: NO_OWNER,
        export=(
            "id",
            "hetu",
            "first_names",
            "last_name",
            "birth_date",
            "language",
            "municipality",
            "address",
            "phone",
            "email",
            "created_at",
        ),
    )

    class Meta:
        ordering = ["last_name", "first_names"]
        verbose_name = _("client")
        verbose_name_plural = _("clients")

    def __str__(self) -> str:
        return f"{self.last_name} {self.first_names}"

    def save(self, *args, **kwargs) -> None:
        self.hetu = normalise_hetu(self.hetu)
        self.birth_date = birth_date_from_hetu(self.hetu)
        self.hetu_key = identity_key(self.hetu)
        super().save(*args, **kwargs)

    @property
    def full_name(self) -> str:
        return f"{self.first_names} {self.last_name}"
