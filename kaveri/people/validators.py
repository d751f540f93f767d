"""The Finnish personal identity code (henkilötunnus), checked with python-stdnum."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from stdnum import exceptions as stdnum_exceptions
from stdnum.fi import hetu

TEST_INDIVIDUAL_NUMBERS = range(900, 1000)


def is_test_code(code: str) -> bool:
    return int(code[7:10]) in TEST_INDIVIDUAL_NUMBERS


def normalise_hetu(value: str) -> str:
    return hetu.compact(value or "")


def validate_hetu(value: str) -> None:
    allow_test = settings.KAVERI_ALLOW_TEST_IDENTITY_CODES
    code = normalise_hetu(value)
    try:
        hetu.validate(code, allow_temporary=True)
    except (stdnum_exceptions.InvalidLength, stdnum_exceptions.InvalidFormat):
        raise ValidationError(
            _(
                "A personal identity code has 11 characters: date of birth DDMMYY, century sign, "
                "three digits and a check character, e.g. 010594Y9032."
            ),
            code="length",
        ) from None
    except stdnum_exceptions.InvalidChecksum:
        raise ValidationError(
            _("The check character does not match; check the code for typing errors."),
            code="checksum",
        ) from None
    except stdnum_exceptions.InvalidComponent:
        raise ValidationError(
            _("The date of birth or the century sign is not valid."), code="component"
        ) from None
    except stdnum_exceptions.ValidationError:
        raise ValidationError(
            _("This is not a valid personal identity code."), code="invalid"
        ) from None
    if is_test_code(code) and not allow_test:
        raise ValidationError(
            _("Test identity codes (individual number 900-999) are not accepted here."),
            code="test_code",
        )
    if allow_test and not is_test_code(code):
        raise ValidationError(
            _(
                "This Kaveri holds synthetic data only (a demo or a test), so a real person's "
                "identity code (individual number 002-899) is refused. Use a test code, with an "
                "individual number from 900 to 999."
            ),
            code="real_code_in_test_data",
        )
