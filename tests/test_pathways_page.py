"""The public pathways page in Finnish, Swedish and English."""

import re

import pytest

pytestmark = pytest.mark.django_db

# The municipal employment trials (process A4) ended with 2024: the set in force from
# 1.1.2025 has no A4, the earlier set has.
CODES = ["P1", "P2", "P3", "A1", "A2", "A3", "A5", "A6"]


@pytest.mark.parametrize(
    ("language", "label"),
    [
        ("fi", "Kuntouttava työtoiminta"),
        ("sv", "Arbetsverksamhet i rehabiliteringssyfte"),
        ("en", "Rehabilitative work activity"),
    ],
)
def test_pathways_page_in_each_language(client, language, label):
    response = client.get(f"/{language}/")
    assert response.status_code == 200
    page = response.content.decode()
    assert f'<html lang="{language}">' in page
    assert label in page
    for code in CODES:
        assert f'id="{code}"' in page, code
    assert page.count("<svg") == len(CODES)


def test_diagram_shows_authorities_and_timing(client):
    page = client.get("/en/").content.decode()
    p3 = page[page.index('id="P3"') : page.index('id="A1"')]
    assert "Social welfare office" in p3 and "Employment services" in p3
    assert "1–4 days/week, ≥ 4 h/day" in p3
    assert "Labour market subsidy" in p3
    assert "What the client must deliver" in p3
    a1 = page[page.index('id="A1"') : page.index('id="A2"')]
    assert "Review every: 3–12 months" in a1


def test_page_loads_nothing_from_outside_and_has_no_inline_script(client):
    page = client.get("/fi/").content.decode()
    assert not re.search(r'(src|href)="(https?:)?//', page)
    assert "<script>" not in page and "onclick=" not in page


def test_root_redirects_by_browser_language(client):
    assert client.get("/", HTTP_ACCEPT_LANGUAGE="sv-FI,sv;q=0.9")["Location"] == "/sv/"
    assert client.get("/", HTTP_ACCEPT_LANGUAGE="en-GB")["Location"] == "/en/"
    assert client.get("/", HTTP_ACCEPT_LANGUAGE="de")["Location"] == "/fi/"


def test_page_shows_the_set_in_force_and_lets_a_reader_see_the_earlier_one(client):
    page = client.get("/en/").content.decode()
    assert 'id="A4"' not in page
    assert "A3 Employment services" in page and "(formerly TE office)" in page
    assert "380/2023 Act on the Organisation of Employment Services" in page
    assert "<td>1369/2014</td>" not in page
    assert (
        '<strong aria-current="page">Employment-promoting services of social welfare from' in page
    )
    assert 'href="?version=fi-2024.1"' in page

    earlier = client.get("/en/?version=fi-2024.1").content.decode()
    assert "not in force today" in earlier
    assert 'id="A4"' in earlier and "A3 TE office" in earlier
    assert "1369/2014 Act on Multisectoral Joint Service Promoting Employment" in earlier
    assert "fi-2024.1, 1.1.2023–31.12.2024" in earlier


def test_every_source_is_listed_and_unchecked_ones_say_so(client):
    page = client.get("/fi/").content.decode()
    laws = page[page.index('id="statutes"') :]
    assert "189/2001" in laws and "675/2023" in laws and "Vammaispalvelulaki" in laws
    assert "ei varmistettu" in laws  # e.g. 519/1977, written from memory


def test_an_unknown_rule_set_is_not_found(client):
    assert client.get("/en/?version=fi-1999.1").status_code == 404


def test_rules_api_is_public(client):
    body = client.get("/api/v1/rules?language=sv").json()
    assert body["version"] == "fi-2026.1"
    assert [p["code"] for p in body["pathways"]] == ["P1", "P2", "P3"]
    assert body["authorities"]["KELA"] == "FPA"


def test_openapi_docs(client):
    assert client.get("/api/v1/docs").status_code == 200
    schema = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/clients/{client_id}" in schema["paths"]


def test_language_switch_keeps_the_page(client):
    response = client.post("/i18n/setlang/", {"language": "sv", "next": "/fi/"})
    assert response.status_code == 302 and response["Location"] == "/sv/"


def test_form_errors_are_announced_and_linked(
    client, make_worker, make_organisation, make_client, open_relationship
):
    from kaveri.access.roles import Role
    from tests.conftest import login

    organisation = make_organisation("SOC")
    worker = make_worker(Role.SOCIAL_COUNSELLOR, organisation)
    person = make_client()
    relationship = open_relationship(person, organisation)
    login(client, worker)
    page = client.post(
        f"/en/workspace/relationships/{relationship.pk}/close/", {"closed_on": "bad"}
    ).content.decode()
    assert 'role="alert"' in page
    assert 'aria-describedby="id_closed_on_helptext id_closed_on_error"' in page
    assert 'id="id_closed_on_error"' in page and 'id="id_closed_on_helptext"' in page
