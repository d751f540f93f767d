"""Documents in the API: record one with its file (multipart), and download the file."""

from datetime import date

from ninja import File, Form, Schema, Status
from ninja.files import UploadedFile

from kaveri.access.actions import Action
from kaveri.access.decorators import api_action, audit_done, fetch
from kaveri.access.principal import principal_for
from kaveri.access.routing import KaveriRouter
from kaveri.evidence import actions
from kaveri.evidence.downloads import file_response
from kaveri.evidence.models import Document
from kaveri.people.models import Client

router = KaveriRouter(tags=["documents"])


class DocumentIn(Schema):
    evidence_type: str
    received_on: date
    issued_on: date | None = None
    issued_by: str = ""
    valid_until: date | None = None


class DocumentOut(Schema):
    id: int
    evidence_type: str
    received_on: date
    issued_on: date | None
    issued_by: str
    valid_until: date | None
    file_type: str
    file_size: int | None
    source_system: str


@router.post(
    "/clients/{client_id}/documents",
    response={201: DocumentOut},
    summary="Record a document with its file (a PDF, JPEG or PNG by its content, 10 MB at most)",
)
@api_action(Action.DOCUMENT_RECORD)
def record_document(
    request, client_id: int, payload: Form[DocumentIn], file: File[UploadedFile] = None
):
    client = fetch(request, Client.objects, client_id)
    principal = principal_for(request)
    made = actions.record_document(
        client,
        payload.evidence_type,
        payload.received_on,
        principal.organisation,
        issued_on=payload.issued_on,
        issued_by=payload.issued_by,
        valid_until=payload.valid_until,
        upload=file,
        by=principal.worker,
    )
    audit_done(request, made)
    return Status(201, made)


@router.get(
    "/documents/{document_id}/file",
    response={200: None},
    summary="The document's file, as an attachment of the type its content showed",
)
@api_action(Action.DOCUMENT_DOWNLOAD)
def document_file(request, document_id: int):
    document = fetch(request, Document.objects.select_related("client"), document_id)
    response = file_response(document)
    audit_done(request, document)
    return response
