"""Documents: the evidence decisions rest on, with their file."""

from datetime import date
from uuid import uuid4

from django.db import transaction
from django.utils.translation import gettext as _

from kaveri.access.files import sniff_content_type
from kaveri.evidence.models import Document
from kaveri.rules.inputs import require_code, require_dates, require_text
from kaveri.rules.registry import rules_on
from kaveri.rules.violations import RuleViolation
from kaveri.rules.watchers import changes_facts

MAX_BYTES = 10 * 1024 * 1024


def check_upload(upload) -> tuple[str, str]:
    """A PDF, PNG or JPEG of at most 10 MB, known by its content: (content type, suffix)."""
    if upload.size > MAX_BYTES:
        raise RuleViolation(
            "file_size", "file", _("The file is over 10 MB; scan it at a lower resolution.")
        )
    found = sniff_content_type(upload)
    if found is None:
        raise RuleViolation(
            "file_type",
            "file",
            _("The file is not a PDF, JPEG or PNG by its content; save it as one of those."),
        )
    return found


def _check_dates(issued_on, received_on, valid_until) -> None:
    require_dates(issued_on=issued_on, received_on=received_on, valid_until=valid_until)
    if issued_on is not None and issued_on > received_on:
        raise RuleViolation(
            "issued_before_received",
            "issued_on",
            _("A document is issued before it is received."),
        )
    if valid_until is not None and valid_until < (issued_on or received_on):
        raise RuleViolation(
            "valid_after_issue", "valid_until", _("The document is valid only after it is issued.")
        )


@transaction.atomic
@changes_facts
def record_document(
    client,
    evidence_type: str,
    received_on: date,
    received_by,
    *,
    issued_on: date | None = None,
    issued_by: str = "",
    valid_until: date | None = None,
    application=None,
    upload=None,
    by=None,
) -> Document:
    """A document received, with its issuer, dates and validity; its file is checked by its
    content and kept where only the download gives it out."""
    rules = rules_on(received_on)
    require_code(rules, "evidence", evidence_type, "evidence_type")
    require_text(issued_by, "issued_by", max_length=200)
    _check_dates(issued_on, received_on, valid_until)
    if application is not None and application.client_id != client.pk:
        raise RuleViolation(
            "application_of_the_client",
            "application",
            _("Choose one of the client's applications."),
        )
    document = Document(
        client=client,
        evidence_type=evidence_type,
        title=rules.label("evidence", evidence_type, "fi"),
        issued_on=issued_on,
        issued_by=issued_by,
        received_on=received_on,
        received_by=received_by,
        application=application,
        valid_until=valid_until,
        recorded_by=by,
    )
    if upload is not None:
        content_type, suffix = check_upload(upload)
        document.file_type, document.file_size = content_type, upload.size
        document.file.save(f"{uuid4().hex}{suffix}", upload, save=False)
    document.save()
    return document
