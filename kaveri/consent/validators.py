"""What a consent must hold before it is recorded: a known purpose, data categories and
authorities from the rule set, the recorder's own authority among them, valid dates and
how it was given."""

from django.utils.translation import gettext as _

from kaveri.rules.inputs import reason_problems, require_dates
from kaveri.rules.ruleset import current_language
from kaveri.rules.violations import RuleViolation


def consent_problems(
    rules, data, recorder_authority: str | None, methods, recorded_on=None
) -> dict[str, str]:
    """Field -> what is wrong and how to fix it; empty when the consent can be recorded.

    `recorded_on` is the day it is recorded (None for an import of earlier records): a consent
    takes effect no earlier. A worker (a recorder with an authority) never records one as
    given in the portal: only the client gives it there."""
    errors: dict[str, str] = {}
    if data.purpose not in rules.labels["consent_purpose"]:
        errors["purpose"] = _("Choose the purpose of the consent from the list.")
    unknown = set(data.data_categories) - set(rules.labels["data_category"])
    if not data.data_categories or unknown:
        errors["data_categories"] = _("Choose at least one data category from the list.")
    unknown = set(data.authorities) - set(rules.authorities)
    if len(set(data.authorities)) < 2 or unknown:
        errors["authorities"] = _(
            "Choose at least two authorities: the consent lets data pass between them."
        )
    elif recorder_authority and recorder_authority not in data.authorities:
        errors["authorities"] = _("Include your own authority (%(authority)s).") % {
            "authority": rules.label("authority", recorder_authority, current_language())
        }
    try:
        require_dates(valid_from=data.valid_from, valid_until=data.valid_until)
    except RuleViolation as violation:
        errors[violation.field] = violation.message
    else:
        if data.valid_until is not None and data.valid_until < data.valid_from:
            errors["valid_until"] = _("The end date is before the start date.")
        elif recorded_on is not None and data.valid_from < recorded_on:
            errors["valid_from"] = _(
                "A consent takes effect no earlier than the day it is recorded (%(day)s): "
                "it cannot cover the past. Give %(day)s or a later day."
            ) % {"day": recorded_on.strftime("%d.%m.%Y")}
    if data.method not in methods:
        errors["method"] = _("Say how the consent was given.")
    elif recorder_authority and data.method == "PORTAL":
        errors["method"] = _(
            "Only the client gives a consent in the portal. Choose how the client gave it to you "
            "(in person, in writing or by phone) and attach the signed form where there is one."
        )
    return errors


def dispute_problems(reason: str) -> list[RuleViolation]:
    return reason_problems(
        reason, _("Write why your authority disputes the consent, so that it can be checked.")
    )


def revocation_problems(reason: str) -> list[RuleViolation]:
    return reason_problems(
        reason, _("Write why the client revoked the consent, in their words where you can.")
    )
