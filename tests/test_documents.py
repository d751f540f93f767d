"""Documents with their files (issue 10, item 10): type, issuer, dates and validity; a file
checked by its content and size, kept outside the web root, given out only by a
permission-checked, audited download with a safe content type; health documents are a
special category."""

from datetime import date

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from kaveri.access.models import AuditEvent
from kaveri.access.roles import Role
from kaveri.casework import actions as casework
from kaveri.consent.models import Consent
from kaveri.evidence import actions as evidence
from kaveri.evidence.models import Document
from kaveri.rules.violations import RuleViolation
from tests.conftest import login

pytestmark = pytest.mark.django_db
DAY = date(2026, 3, 2)
PDF = b"%PDF-1.4\n% a synthetic statement\n"


@pytest.fixture
def office(make_organisation, make_worker, make_client):
    kela, soc = make_organisation("KELA"), make_organisation("SOC")
    officer = make_worker(Role.KELA_OFFICER, kela)
    counsellor = make_worker(Role.SOCIAL_COUNSELLOR, soc)
    person = make_client()
    casework.open_relationship(person, kela, "KELA_CLIENT", DAY, [("KELA_CONTACT", officer)])
    casework.open_relationship(person, soc, "SOC_CLIENT", DAY, [("OWN_WORKER", counsellor)])
    return kela, officer, counsellor, person


def test_a_statement_is_uploaded_and_downloaded_only_through_the_audited_page(client, office):
    _kela, officer, _counsellor, person = office
    login(client, officer)
    response = client.post(
        f"/en/workspace/clients/{person.pk}/documents/new/",
        {
            "evidence_type": "DOCTOR_B",
            "received_on": "2026-03-05",
            "issued_on": "2026-03-03",
            "issued_by": "Dr Testi Lääkäri",
            "valid_until": "2026-09-03",
            "file": SimpleUploadedFile("lausunto.pdf", PDF, content_type="text/html"),
        },
    )
    assert response.status_code == 302, response.content.decode()[-800:]
    document = Document.objects.get()
    assert (document.file_type, document.file_size) == ("application/pdf", len(PDF))
    assert document.issued_by == "Dr Testi Lääkäri" and document.source_system == "KAVERI"
    stored = document.file.path
    assert stored.startswith(str(settings.MEDIA_ROOT)) and "lausunto" not in stored
    assert not stored.startswith(str(settings.STATIC_ROOT or "/nonexistent"))

    page = client.get(f"/en/workspace/clients/{person.pk}/").content.decode()
    assert f"/en/workspace/documents/{document.pk}/file/" in page
    download = client.get(f"/en/workspace/documents/{document.pk}/file/")
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert download["X-Content-Type-Options"] == "nosniff"
    assert download["Content-Disposition"].startswith("attachment;")
    assert b"".join(download.streaming_content) == PDF
    assert AuditEvent.objects.filter(action="document.download", client=person).exists()


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"<html><script>alert(1)</script></html>", "evil.pdf", "not a PDF, JPEG or PNG"),
        (b"MZ\x90\x00", "statement.png", "not a PDF, JPEG or PNG"),
        (PDF + b"0" * (10 * 1024 * 1024), "huge.pdf", "over 10 MB"),
    ],
)
def test_a_file_is_known_by_its_content_and_size(office, content, name, message):
    kela, officer, _counsellor, person = office
    upload = SimpleUploadedFile(name, content, content_type="application/pdf")
    with pytest.raises(RuleViolation) as refused:
        evidence.record_document(person, "DOCTOR_B", DAY, kela, upload=upload, by=officer)
    assert message in refused.value.message and refused.value.field == "file"
    assert not Document.objects.exists()


def test_images_are_accepted_by_their_signature(office):
    kela, officer, _counsellor, person = office
    png = SimpleUploadedFile("scan.bin", b"\x89PNG\r\n\x1a\n" + b"\0" * 32)
    jpeg = SimpleUploadedFile("scan", b"\xff\xd8\xff\xe0" + b"\0" * 32)
    made = [
        evidence.record_document(person, "KYKYVIISARI", DAY, kela, upload=f, by=officer)
        for f in (png, jpeg)
    ]
    assert [d.file_type for d in made] == ["image/png", "image/jpeg"]
    assert [d.file.name[-4:] for d in made] == [".png", ".jpg"]


def test_dates_of_a_document_are_in_order(office):
    kela, _officer, _counsellor, person = office
    with pytest.raises(RuleViolation) as refused:
        evidence.record_document(person, "DOCTOR_A", DAY, kela, issued_on=date(2026, 3, 3))
    assert refused.value.field == "issued_on"
    with pytest.raises(RuleViolation) as refused:
        evidence.record_document(
            person, "DOCTOR_A", DAY, kela, issued_on=DAY, valid_until=date(2026, 3, 1)
        )
    assert refused.value.field == "valid_until"


def test_a_health_document_reaches_another_authority_only_under_a_health_consent(client, office):
    kela, officer, counsellor, person = office
    document = evidence.record_document(
        person,
        "DOCTOR_B",
        DAY,
        kela,
        upload=SimpleUploadedFile("b.pdf", PDF),
        by=officer,
    )
    login(client, counsellor)
    url = f"/en/workspace/documents/{document.pk}/file/"
    assert client.get(url).status_code in (403, 404)
    Consent.objects.create(
        client=person,
        purpose="KELA_CONTACT",
        data_categories=["BASIC", "BENEFITS"],
        authorities=["KELA", "SOC"],
        valid_from=DAY,
        method="IN_PERSON",
    )
    assert client.get(url).status_code in (403, 404)  # benefits, but not health data
    Consent.objects.create(
        client=person,
        purpose="HEALTH_INFORMATION",
        data_categories=["HEALTH"],
        authorities=["KELA", "SOC"],
        valid_from=DAY,
        method="IN_PERSON",
    )
    assert client.get(url).status_code == 200


def test_documents_through_the_api(client, office):
    _kela, officer, _counsellor, person = office
    login(client, officer)
    made = client.post(
        f"/api/v1/clients/{person.pk}/documents",
        {
            "evidence_type": "DOCTOR_A",
            "received_on": "2026-03-02",
            "file": SimpleUploadedFile("a.pdf", PDF),
        },
    )
    assert made.status_code == 201, made.content
    body = made.json()
    assert (body["file_type"], body["file_size"]) == ("application/pdf", len(PDF))
    download = client.get(f"/api/v1/documents/{body['id']}/file")
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    refused = client.post(
        f"/api/v1/clients/{person.pk}/documents",
        {
            "evidence_type": "DOCTOR_A",
            "received_on": "2026-03-02",
            "file": SimpleUploadedFile("a.pdf", b"<svg onload=alert(1)>"),
        },
    )
    assert refused.status_code == 422
    assert Document.objects.count() == 1
