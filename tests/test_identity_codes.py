"""Personal identity codes: validation with python-stdnum and the demo's test codes."""

import pytest
from django.core.exceptions import ValidationError

from kaveri.demo.identity import CAPACITY, synthetic_hetu
from kaveri.people.models import birth_date_from_hetu
from kaveri.people.validators import validate_hetu


def test_published_test_code_is_accepted_when_test_data_is_allowed(settings):
    settings.KAVERI_ALLOW_TEST_IDENTITY_CODES = True
    validate_hetu("010594Y9032")


def test_test_codes_are_refused_when_not_allowed(settings):
    settings.KAVERI_ALLOW_TEST_IDENTITY_CODES = False
    with pytest.raises(ValidationError, match="900-999"):
        validate_hetu("010594Y9032")


def test_wrong_check_character_is_explained(settings):
    settings.KAVERI_ALLOW_TEST_IDENTITY_CODES = True
    with pytest.raises(ValidationError, match="check character"):
        validate_hetu("010594Y9033")


def test_wrong_length_is_explained():
    with pytest.raises(ValidationError, match="11 characters"):
        validate_hetu("010594Y903")


@pytest.mark.parametrize("sign", ["-", "Y", "X", "W", "V", "U"])
def test_new_century_signs_for_the_1900s(settings, sign):
    settings.KAVERI_ALLOW_TEST_IDENTITY_CODES = True
    validate_hetu(f"010594{sign}9032")
    assert birth_date_from_hetu(f"010594{sign}9032").year == 1994


@pytest.mark.parametrize("sign", ["A", "B", "C", "D", "E", "F"])
def test_century_signs_for_the_2000s(settings, sign):
    settings.KAVERI_ALLOW_TEST_IDENTITY_CODES = True
    code = "010105" + sign + "900"
    from datetime import date

    from kaveri.demo.identity import check_character

    code += check_character(date(2005, 1, 1), 900)
    validate_hetu(code)
    assert birth_date_from_hetu(code).year == 2005


def test_demo_codes_are_valid_unique_test_codes(settings):
    settings.KAVERI_ALLOW_TEST_IDENTITY_CODES = True
    sample = [synthetic_hetu(i) for i in range(0, 20_000)] + [synthetic_hetu(CAPACITY - 1)]
    assert len(set(sample)) == len(sample)
    for code in sample[:2000] + sample[-5:]:
        validate_hetu(code)
        assert 900 <= int(code[7:10]) <= 999


def test_demo_codes_run_out_with_a_clear_error():
    with pytest.raises(ValueError, match="at most"):
        synthetic_hetu(CAPACITY)


def real_range_code() -> str:
    from datetime import date

    from kaveri.demo.identity import check_character

    return "010594-123" + check_character(date(1994, 5, 1), 123)


def test_a_real_persons_code_is_refused_where_the_data_is_synthetic(settings):
    """In the demo and the tests only test codes go in; a real one is refused, saying why."""
    settings.KAVERI_ALLOW_TEST_IDENTITY_CODES = True
    with pytest.raises(ValidationError, match="holds synthetic data only"):
        validate_hetu(real_range_code())


def test_a_real_persons_code_is_accepted_in_production(settings):
    settings.KAVERI_ALLOW_TEST_IDENTITY_CODES = False
    validate_hetu(real_range_code())


def test_the_client_form_the_api_and_the_import_refuse_a_real_code(
    settings, client, make_organisation, make_worker, tmp_path
):
    import json

    from django.core.management import call_command
    from django.core.management.base import CommandError

    from kaveri.access.roles import Role
    from kaveri.people.models import Client
    from tests.conftest import login

    settings.KAVERI_ALLOW_TEST_IDENTITY_CODES = True
    login(client, make_worker(Role.SOCIAL_COUNSELLOR, make_organisation("SOC")))
    fields = {"hetu": real_range_code(), "first_names": "Oikea", "last_name": "Ihminen"}
    page = client.post("/en/workspace/clients/new/", fields | {"language": "fi"})
    assert page.status_code == 422 and "holds synthetic data only" in page.content.decode()
    api = client.post("/api/v1/clients", fields, content_type="application/json")
    assert api.status_code == 422
    refusal = api.json()["detail"][0]
    assert refusal["loc"] == ["body", "hetu"] and "900–999" in refusal["msg"], refusal
    record = {"format": "kaveri-client-records", "format_version": 1, "clients": [fields]}
    path = tmp_path / "real.json"
    path.write_text(json.dumps(record))
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import", str(path))
    assert not Client.objects.exists()
