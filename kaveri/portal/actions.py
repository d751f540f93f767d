"""What a client does in the portal that spans more than one record."""

from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from kaveri.benefits.actions import answer_information_request
from kaveri.evidence.actions import record_document
from kaveri.rules.registry import rules_for
from kaveri.rules.violations import RuleViolation

ANSWER_EVIDENCE = "INFO_REQUEST_ANSWER"


def _receiver(application):
    """The organisation that decides (or will decide) the application: the one recorded, else
    the client's organisation of the authority that decides the benefit."""
    if application.deciding_organisation_id:
        return application.deciding_organisation
    decider = rules_for(application).benefits[application.benefit].decided_by
    relationship = (
        application.client.relationships.open()
        .filter(organisation__authority=decider)
        .select_related("organisation")
        .first()
    )
    return relationship.organisation if relationship else None


@transaction.atomic
def answer_with_attachment(request, answered_on: date, answer: str, upload=None, *, by=None):
    """The client answers an information request in words, with a file or both: the file is
    kept as the application's evidence (checked by its content), the request is answered,
    all or nothing."""
    if not (answer or "").strip() and upload is None:
        raise RuleViolation(
            "answer_given", "answer", _("Write your answer or attach a file, or both.")
        )
    application = request.application
    if upload is not None:
        record_document(
            application.client,
            ANSWER_EVIDENCE,
            answered_on,
            _receiver(application),
            application=application,
            upload=upload,
        )
    return answer_information_request(request, answered_on, answer=answer, by=by)
