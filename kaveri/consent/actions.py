"""Recording and revoking consents, each in one transaction."""

from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kaveri.consent.models import Consent
from kaveri.rules.loader import get_rules


@dataclass
class ConsentInput:
    purpose: str
    data_categories: list[str]
    authorities: list[str]
    valid_from: date
    valid_until: date | None
    method: str


def consent_errors(data: ConsentInput, recorder_authority: str | None) -> dict[str, str]:
    """Field -> what is wrong and how to fix it; empty when the consent can be recorded."""
    rules = get_rules()
    errors: dict[str, str] = {}
    if data.purpose not in rules.labels["consent_purpose"]:
        errors["purpose"] = _("Choose the purpose of the consent from the list.")
    unknown = sorted(set(data.data_categories) - set(rules.labels["data_category"]))
    if not data.data_categories or unknown:
        errors["data_categories"] = _("Choose at least one data category from the list.")
    unknown = sorted(set(data.authorities) - set(rules.authorities))
    if len(set(data.authorities)) < 2 or unknown:
        errors["authorities"] = _(
            "Choose at least two authorities: the consent lets data pass between them."
        )
    elif recorder_authority and recorder_authority not in data.authorities:
        errors["authorities"] = _("Include your own authority (%(authority)s).") % {
            "authority": recorder_authority
        }
    if data.valid_until is not None and data.valid_until < data.valid_from:
        errors["valid_until"] = _("The end date is before the start date.")
    if data.method not in Consent.Method.values:
        errors["method"] = _("Say how the consent was given.")
    return errors


@transaction.atomic
def record_consent(client, data: ConsentInput, recorded_by) -> Consent:
    return Consent.objects.create(
        client=client,
        purpose=data.purpose,
        data_categories=sorted(set(data.data_categories)),
        authorities=sorted(set(data.authorities)),
        valid_from=data.valid_from,
        valid_until=data.valid_until,
        method=data.method,
        recorded_by=recorded_by,
    )


@transaction.atomic
def revoke_consent(consent: Consent, revoked_by) -> Consent:
    """Takes effect at once; the consent row stays as history."""
    locked = Consent.objects.select_for_update().get(pk=consent.pk)
    if locked.revoked_at is None:
        locked.revoked_at = timezone.now()
        locked.revoked_by = revoked_by
        locked.save(update_fields=["revoked_at", "revoked_by"])
    return locked
