"""Recording and revoking consents, each in one transaction, each checking its own input."""

from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kaveri.consent.models import Consent, DataRequest
from kaveri.consent.states import CONSENT, DATA_REQUEST
from kaveri.consent.validators import consent_problems, dispute_problems, revocation_problems
from kaveri.rules import clock
from kaveri.rules.inputs import require_code, require_dates, require_text
from kaveri.rules.registry import get_rules, rules_on
from kaveri.rules.ruleset import current_language
from kaveri.rules.violations import RuleViolation, Violations
from kaveri.rules.watchers import changes_facts
from kaveri.transitions.behalf import OnBehalf


@dataclass
class ConsentInput:
    purpose: str
    data_categories: list[str]
    authorities: list[str]
    valid_from: date
    valid_until: date | None
    method: str


def consent_errors(
    data: ConsentInput, recorder_authority: str | None, recorded_on: date | None = None
) -> dict[str, str]:
    """Field -> what is wrong and how to fix it; empty when the consent can be recorded."""
    rules = rules_on(data.valid_from) if isinstance(data.valid_from, date) else get_rules()
    return consent_problems(rules, data, recorder_authority, Consent.Method.values, recorded_on)


def _recorder_authority(recorded_by) -> str | None:
    organisation = getattr(recorded_by, "organisation", None)
    return organisation.authority if organisation else None


@transaction.atomic
@changes_facts
def record_consent(
    client, data: ConsentInput, recorded_by, today: date | None = None, signed_form=None
) -> Consent:
    """Record a consent the client gave: from the day it is recorded on, never earlier. Given
    by the client in the portal (recorded_by None, method PORTAL), or recorded by a worker, with
    the signed form attached or marked as recorded without one wherever it is a basis."""
    day = today or clock.today()
    errors = consent_errors(data, _recorder_authority(recorded_by), day)
    form_problem = signed_form_problem(signed_form)
    if form_problem:
        errors["signed_form"] = form_problem
    if errors:
        raise Violations(
            [RuleViolation("consent_valid", field, message) for field, message in errors.items()]
        )
    return Consent.objects.create(
        signed_form=signed_form or "",
        client=client,
        purpose=data.purpose,
        data_categories=sorted(set(data.data_categories)),
        authorities=sorted(set(data.authorities)),
        valid_from=data.valid_from,
        valid_until=data.valid_until,
        method=data.method,
        recorded_by=recorded_by,
    )


@transaction.atomic
@changes_facts
def revoke_consent(
    consent: Consent,
    revoked_by,
    reason: str,
    today: date | None = None,
    *,
    expected_version: int | None = None,
    on_behalf: OnBehalf | None = None,
) -> Consent:
    """The client revoked the consent: it takes effect at once, from this day on, and the
    consent stays as history so that accesses made before it can still show their basis.
    A worker who records it says how the client told them."""
    problems = revocation_problems(reason)
    if problems:
        raise Violations(problems)
    day = today or clock.today()
    return CONSENT.apply(
        consent,
        "revoke",
        effective_on=day,
        by=revoked_by,
        reason=reason.strip(),
        expected_version=expected_version,
        changes={
            "revoked_at": timezone.now(),
            "revoked_on": day,
            "revoked_by": revoked_by if hasattr(revoked_by, "organisation") else None,
            "revocation_reason": reason.strip(),
        },
        on_behalf=on_behalf,
    )


@transaction.atomic
@changes_facts
def dispute_consent(
    consent: Consent, disputed_by, reason: str, today: date | None = None, *, expected_version=None
) -> Consent:
    """An authority the consent names says it was not given as recorded: until the signed form
    is attached or the client confirms it, the consent lets no one see anything."""
    problems = dispute_problems(reason)
    if problems:
        raise Violations(problems)
    day = today or clock.today()
    return CONSENT.apply(
        consent,
        "dispute",
        effective_on=day,
        by=disputed_by,
        reason=reason.strip(),
        expected_version=expected_version,
        changes={"disputed_on": day, "disputed_by": disputed_by, "dispute_reason": reason.strip()},
    )


@transaction.atomic
@changes_facts
def attach_signed_form(
    consent: Consent, signed_form, attached_by, today: date | None = None, *, expected_version=None
) -> Consent:
    """Attach the form the client signed; a disputed consent is confirmed by it."""
    problem = signed_form_problem(signed_form) or (
        "" if signed_form else _("Choose the scanned form to attach.")
    )
    if problem:
        raise Violations([RuleViolation("consent_valid", "signed_form", problem)])
    locked = Consent.objects.select_for_update().get(pk=consent.pk)
    locked.signed_form = signed_form
    locked.save(update_fields=["signed_form"])
    if locked.state == Consent.State.DISPUTED:
        return CONSENT.apply(
            locked,
            "confirm",
            effective_on=today or clock.today(),
            by=attached_by,
            reason=_("The signed form was attached."),
            expected_version=expected_version,
        )
    return locked


SIGNED_FORM_TYPES = {"application/pdf", "image/jpeg", "image/png"}
SIGNED_FORM_MAX_BYTES = 10 * 1024 * 1024


def signed_form_problem(signed_form) -> str:
    if not signed_form:
        return ""
    content_type = getattr(signed_form, "content_type", "")
    if content_type and content_type not in SIGNED_FORM_TYPES:
        return _("Attach the form as a PDF, JPEG or PNG file.")
    if signed_form.size > SIGNED_FORM_MAX_BYTES:
        return _("The file is over 10 MB; scan it at a lower resolution.")
    return ""


def consent_record_problems(consent: Consent) -> list[RuleViolation]:
    """Every check a recorded consent fails (what a worker could not have recorded)."""
    data = ConsentInput(
        consent.purpose,
        list(consent.data_categories),
        list(consent.authorities),
        consent.valid_from,
        consent.valid_until,
        consent.method,
    )
    return [
        RuleViolation("consent_valid", field, message)
        for field, message in consent_errors(data, None).items()
    ]


# --- requests between authorities (A2 step 3) ---


def covering_consent(client, kind, asking_authority: str, day: date) -> Consent | None:
    """A consent in force on the day that names both authorities and every data category
    the request asks for: the latest recorded one."""
    consents = client.consents.in_force_on(day).naming(asking_authority).naming(kind.to)
    for consent in consents.order_by("-recorded_at", "-pk"):
        if set(kind.categories) <= set(consent.data_categories):
            return consent
    return None


@transaction.atomic
@changes_facts
def request_from_authority(
    client, requested_by, kind_code: str, requested_on: date, what: str = "", *, by=None
) -> DataRequest:
    """One authority asks another for the client's information, only under a consent that
    covers both and the data asked for; the answer is due in the rule set's time."""
    require_dates(requested_on=requested_on)
    require_text(what, "what", max_length=4000)
    rules = rules_on(requested_on)
    require_code(rules, "authority_request", kind_code, "kind")
    kind = next(k for k in rules.data.authority_requests.kinds if k.code == kind_code)
    if requested_by.authority == kind.to:
        raise RuleViolation(
            "asks_another_authority", "kind", _("Ask another authority than your own.")
        )
    consent = covering_consent(client, kind, requested_by.authority, requested_on)
    if consent is None:
        language = current_language()
        raise RuleViolation(
            "consent_covers_the_request",
            "kind",
            _(
                "No consent in force lets %(asker)s ask %(to)s for this: record the client's "
                "consent naming both authorities and %(categories)s first."
            )
            % {
                "asker": rules.label("authority", requested_by.authority, language),
                "to": rules.label("authority", kind.to, language),
                "categories": ", ".join(
                    rules.label("data_category", c, language) for c in kind.categories
                ),
            },
        )
    return DataRequest.objects.create(
        client=client,
        kind=kind_code,
        requested_by=requested_by,
        to_authority=kind.to,
        what=what,
        requested_on=requested_on,
        due_on=rules.data.authority_requests.answer_within.after(requested_on),
        consent=consent,
        ruleset_version=rules.version,
    )


@transaction.atomic
@changes_facts
def answer_data_request(
    request: DataRequest,
    answered_on: date,
    answer: str = "",
    *,
    by=None,
    expected_version: int | None = None,
) -> DataRequest:
    require_dates(answered_on=answered_on)
    require_text(answer, "answer", max_length=4000)
    if answered_on < request.requested_on:
        raise RuleViolation(
            "answer_after_request", "answered_on", _("The answer cannot be before the request.")
        )
    return DATA_REQUEST.apply(
        request,
        "answer",
        effective_on=answered_on,
        by=by,
        expected_version=expected_version,
        changes={"answered_on": answered_on, "answer": answer},
    )
