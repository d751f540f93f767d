"""Issue 8, item 3: the scenarios that used to print identity codes into the logs, run again;
no identity code appears in any captured log line or on standard error."""

import io
import json
import logging

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import IntegrityError, transaction
from django.http import HttpResponse
from django.test import Client as Browser
from django.urls import path

from kaveri.access.actions import Action
from kaveri.access.decorators import names_action
from kaveri.access.security import IDENTITY_CODE, RedactingFormatter
from kaveri.people.models import Client
from kaveri.urls import urlpatterns as kaveri_urls

pytestmark = pytest.mark.django_db

CODE = "010594Y9032"


@names_action(Action.PATHWAYS_VIEW)
def failing_view(request):
    raise ValueError(f"lookup failed for {request.POST.get('hetu', CODE)}")


@names_action(Action.PATHWAYS_VIEW)
def duplicate_view(request):
    Client.objects.create(hetu=CODE, first_names="Kaksi", last_name="Kertaa")
    return HttpResponse("written twice")


urlpatterns = [
    path("test-failure/", failing_view, name="test_failure"),
    path("test-duplicate/", duplicate_view, name="test_duplicate"),
    *kaveri_urls,
]


@pytest.fixture
def every_line(caplog, capfd):
    """Everything logged (the records, as any handler would get them) and everything written
    to the process's standard error and output, at the file-descriptor level."""
    caplog.set_level(logging.DEBUG)

    def lines() -> str:
        captured = capfd.readouterr()
        records = "\n".join(
            record.getMessage() + "\n" + (record.exc_text or "") for record in caplog.records
        )
        formatted = "\n".join(logging.Formatter().format(record) for record in caplog.records)
        return "\n".join([captured.err, captured.out, records, formatted])

    return lines


def assert_no_code(text: str) -> None:
    found = IDENTITY_CODE.findall(text)
    assert not found, f"identity codes in the logs: {found}"


def test_a_traceback_carrying_a_code(settings, every_line):
    settings.ROOT_URLCONF = __name__
    browser = Browser(raise_request_exception=False)
    assert browser.post("/test-failure/", {"hetu": CODE}).status_code == 500
    text = every_line()
    assert "lookup failed for [henkilötunnus]" in text  # the error was logged, redacted
    assert_no_code(text)


def test_a_database_unique_violation_with_its_detail(settings, every_line):
    """PostgreSQL's detail reads Key (hetu)=(…) already exists."""
    settings.ROOT_URLCONF = __name__
    Client.objects.create(hetu=CODE, first_names="Yksi", last_name="Kerran")
    browser = Browser(raise_request_exception=False)
    with transaction.atomic():
        assert browser.post("/test-duplicate/").status_code == 500
    try:
        raise IntegrityError(
            'duplicate key value violates unique constraint "people_client_hetu_key"\n'
            f"DETAIL:  Key (hetu)=({CODE}) already exists."
        )
    except IntegrityError:
        logging.getLogger("django.db.backends").exception("A write failed")
    assert_no_code(every_line())


def test_the_access_log_of_a_get_carrying_a_code(client, every_line):
    response = client.get(f"/en/workspace/search/?q={CODE}")
    assert response.status_code == 400  # never served: a code does not travel in an address
    assert "never sent in an address" in response.content.decode()
    # As runserver's request handler writes its access log line:
    logging.getLogger("django.server").info(
        '"%s" %s %s', f"GET /fi/workspace/search/?q={CODE} HTTP/1.1", "400", "182"
    )
    logging.getLogger("django.request").warning("Bad Request: /fi/workspace/search/?q=%s", CODE)
    assert_no_code(every_line())


def test_an_api_address_carrying_a_code_is_refused(client):
    response = client.get(f"/api/v1/clients?hetu={CODE}")
    assert response.status_code == 400
    assert "never sent in an address" in response.json()["detail"]


def test_import_error_messages(tmp_path, every_line, make_client):
    make_client(hetu=CODE, last_name="Vanha")
    bad_check = "010594Y9033"
    data = {
        "format": "kaveri-client-records",
        "format_version": 1,
        "clients": [
            {"hetu": CODE, "first_names": "Uusi", "last_name": "Nimi"},
            {"hetu": bad_check, "first_names": "A", "last_name": "B"},
            {"hetu": bad_check, "first_names": "A", "last_name": "B"},
        ],
    }
    path = tmp_path / "import.json"
    path.write_text(json.dumps(data))
    with pytest.raises(CommandError):
        call_command("import", str(path), stdout=io.StringIO())
    assert_no_code(every_line())


def test_the_configured_handlers_redact_what_they_write():
    """A record that reached a handler unredacted (made before the redaction was installed)
    is still written without the code, by every handler the settings configure."""
    from django.conf import settings

    handlers = settings.LOGGING["handlers"]
    assert all("no_identity_codes" in h["filters"] for h in handlers.values())
    configured = {
        h
        for name in ("django", "django.server", "")
        for h in logging.getLogger(name).handlers
        if type(h) is logging.StreamHandler and isinstance(h.formatter, RedactingFormatter)
    }
    assert len(configured) >= 2  # the console and the access log
    for handler in configured:
        record = logging.LogRecord("x", logging.ERROR, __file__, 1, "code %s", (CODE,), None)
        stream = io.StringIO()
        previous = handler.setStream(stream)
        try:
            handler.handle(record)
        finally:
            handler.setStream(previous)
        assert "code [henkilötunnus]" in stream.getvalue() and CODE not in stream.getvalue()
