"""Registering a client: the identity code checked, the person once, races answered."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from kaveri.people.models import Client
from kaveri.people.validators import normalise_hetu, validate_hetu
from kaveri.rules.inputs import require_choice, require_text
from kaveri.rules.violations import Conflict, RuleViolation

CLIENT_TEXT_FIELDS = {
    "first_names": 100,
    "last_name": 100,
    "municipality": 100,
    "address": 200,
    "phone": 40,
    "email": 254,
}


def check_client(hetu: str, details: dict) -> str:
    """The normalised identity code, after checking it and the client's details."""
    code = normalise_hetu(hetu)
    try:
        validate_hetu(code)
    except ValidationError as error:
        raise RuleViolation("identity_code_valid", "hetu", " ".join(error.messages)) from None
    for field, length in CLIENT_TEXT_FIELDS.items():
        required = field in ("first_names", "last_name")
        require_text(details.get(field, ""), field, max_length=length, required=required)
    require_choice(details.get("language", "fi"), Client.Language.values, "language")
    return code


def register_client(hetu: str, **details) -> Client:
    """A new client; one already registered with the code is a clear refusal, even in a race."""
    code = check_client(hetu, details)
    try:
        with transaction.atomic():
            return Client.objects.create(hetu=code, **details)
    except IntegrityError:
        raise Conflict(
            "client_unique", "hetu", _("A client with this identity code is already registered.")
        ) from None
