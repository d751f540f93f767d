"""Feedback on the accessibility of Kaveri, received from anyone, answered by an administrator."""

from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from kaveri.access.models import AccessibilityFeedback
from kaveri.rules.inputs import require_text
from kaveri.rules.registry import rules_on
from kaveri.rules.violations import RuleViolation


@transaction.atomic
def receive_accessibility_feedback(
    message: str, page: str, contact: str, language: str, received_on: date
) -> AccessibilityFeedback:
    """Keep the feedback with the day its answer is due by the rule set in force."""
    if isinstance(message, str) and not message.strip():
        raise RuleViolation(
            "text_given", "message", _("Write what did not work, and on which page if you can.")
        )
    require_text(message, "message", max_length=4000)
    require_text(page, "page", max_length=300)
    require_text(contact, "contact", max_length=200)
    answer_within = rules_on(received_on).data.accessibility_feedback.answer_within
    return AccessibilityFeedback.objects.create(
        received_on=received_on,
        page=page.strip(),
        message=message.strip(),
        contact=contact.strip(),
        language=language,
        answer_due_on=answer_within.after(received_on),
    )
