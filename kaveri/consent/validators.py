"""What a consent must hold before it is recorded: a known purpose, data categories and
authorities from the rule set, the recorder's own authority among them, valid dates and
how it was given."""

from django.utils.translation import gettext as _

from kaveri.rules.inputs import require_dates, require_text
from kaveri.rules.violations import RuleViolation, collect


def consent_problems(rules, data, recorder_authority: str | None, methods) -> dict[str, str]:
    """Field -> what is wrong and how to fix it; empty when the consent can be recorded."""
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
            "authority": recorder_authority
        }
    try:
        require_dates(valid_from=data.valid_from, valid_until=data.valid_until)
    except RuleViolation as violation:
        errors[violation.field] = violation.message
    else:
        if data.valid_until is not None and data.valid_until < data.valid_from:
            errors["valid_until"] = _("The end date is before the start date.")
    if data.method not in methods:
        errors["method"] = _("Say how the consent was given.")
    return errors


def revocation_problems(reason: str) -> list[RuleViolation]:
    if isinstance(reason, str) and not reason.strip():
        return [
            RuleViolation(
                "text_given",
                "reason",
                _("Write why the client revoked the consent, in their words where you can."),
            )
        ]
    return collect(lambda: require_text(reason, "reason", max_length=2000))
