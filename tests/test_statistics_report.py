"""The whole report as one PDF: every table and drawing, withholding what the pages
withhold; a clear answer where the server cannot draw PDFs."""

import sys
from dataclasses import replace

import pytest
from django.urls import reverse

from kaveri.statistics.pdf import report_html
from tests.conftest import login
from tests.test_statistics_waiting import PERIOD, coordinator, opened  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db

QUERY = {"start": "1.1.2026", "end": "30.11.2026"}


@pytest.fixture
def region(opened):  # noqa: F811
    for days in (10, 20, 30, 40, 50, 60):
        opened("P1", assessed_after=days)
    opened("P3", assessed_after=5)  # alone: withheld


def test_the_report_holds_every_table_and_the_flows_drawn(region):
    html = report_html(PERIOD, PERIOD.end)
    for title in (
        "Waiting times",
        "Waiting times by organisation",
        "How relationships ended",
        "6 months after the closure",
        "Decision times of benefits",
        "The longest waits",
        "Time in services and the gaps between them, by pathway",
        "The watch&#x27;s signals by kind",
        "Pathway flows",
    ):
        assert title in html, title
    assert html.count('class="flow-drawing"') == 8  # P1–P3, A1–A3, A5, A6
    assert 'title="Withheld: about fewer than five people' in html


def test_the_report_downloads_as_a_pdf(client, coordinator, region):  # noqa: F811
    try:
        import weasyprint  # noqa: F401
    except OSError:
        pytest.skip("this machine has no Pango library for WeasyPrint")
    login(client, coordinator)
    response = client.get(reverse("statistics:report"), QUERY)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-") and b"%%EOF" in response.content[-1024:]
    assert "attachment" in response["Content-Disposition"]


def test_without_a_pdf_library_the_coordinator_is_told_what_to_do(
    client,
    coordinator,  # noqa: F811
    region,
    monkeypatch,
):
    monkeypatch.setitem(sys.modules, "weasyprint", None)  # import fails as without it
    login(client, coordinator)
    response = client.get(reverse("statistics:report"), QUERY)
    assert response.status_code == 503
    assert "download the tables as CSV or XLSX" in response.content.decode()


def test_every_statistics_page_links_to_the_report(client, coordinator):  # noqa: F811
    login(client, coordinator)
    for page in ("waiting", "flows", "durations", "bottlenecks"):
        text = client.get(reverse(f"statistics:{page}"), QUERY).content.decode()
        assert reverse("statistics:report") + "?" in text, page


def test_the_report_names_the_choices_as_the_form_does(region):
    html = report_html(replace(PERIOD, language="sv"), PERIOD.end)
    assert "Chosen: Language Swedish." in html
