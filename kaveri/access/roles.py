"""Roles of the people who use Kaveri, one per authority of SERVICE-MODEL section 1."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    SOCIAL_COUNSELLOR = "SOCIAL_COUNSELLOR", _("Social counsellor")
    DISABILITY_WORKER = "DISABILITY_WORKER", _("Disability services worker")
    EMPLOYMENT_OFFICIAL = "EMPLOYMENT_OFFICIAL", _("Employment official")
    TYP_PAIR_MEMBER = "TYP_PAIR_MEMBER", _("TYP work pair member")
    KELA_OFFICER = "KELA_OFFICER", _("Kela officer")
    ACTIVITY_INSTRUCTOR = "ACTIVITY_INSTRUCTOR", _("Activity instructor")
    COORDINATOR = "COORDINATOR", _("Regional coordinator")
    ADMINISTRATOR = "ADMINISTRATOR", _("Administrator")
    CLIENT = "CLIENT", _("Client")


# The authority whose organisations a role's workers belong to.
ROLE_AUTHORITY: dict[str, str | None] = {
    Role.SOCIAL_COUNSELLOR: "SOC",
    Role.DISABILITY_WORKER: "DIS",
    Role.EMPLOYMENT_OFFICIAL: "EMP",
    Role.TYP_PAIR_MEMBER: "TYP",
    Role.KELA_OFFICER: "KELA",
    Role.ACTIVITY_INSTRUCTOR: "PROVIDER",
    Role.COORDINATOR: None,
    Role.ADMINISTRATOR: None,
    Role.CLIENT: None,
}

WORKER_ROLES = [role for role in Role if role != Role.CLIENT]
CASEWORK_ROLES = frozenset(
    {
        Role.SOCIAL_COUNSELLOR,
        Role.DISABILITY_WORKER,
        Role.EMPLOYMENT_OFFICIAL,
        Role.TYP_PAIR_MEMBER,
        Role.KELA_OFFICER,
    }
)
