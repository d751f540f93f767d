"""Organisations and workers: the operations behind the admin and the API.

Each checks its own input: the authority is one of the rule set's, a worker's role
fits the authority of their organisation, a user name is free.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from kaveri.access.models import Organisation, Worker
from kaveri.access.roles import ROLE_AUTHORITY, Role
from kaveri.rules.inputs import require_choice, require_code, require_dates, require_text
from kaveri.rules.registry import get_rules
from kaveri.rules.violations import Conflict, RuleViolation


@transaction.atomic
def add_organisation(
    name: str, authority: str, region: str, municipality: str = "", is_municipal_trial=False
) -> Organisation:
    require_text(name, "name", max_length=200, required=True)
    require_text(region, "region", max_length=100, required=True)
    require_text(municipality, "municipality", max_length=100)
    require_code(get_rules(), "authority", authority, "authority")
    if is_municipal_trial and authority != "EMP":
        raise RuleViolation(
            "trial_is_employment_services",
            "is_municipal_trial",
            _("Only employment services run a municipal employment trial."),
        )
    try:
        with transaction.atomic():
            return Organisation.objects.create(
                name=name,
                authority=authority,
                region=region,
                municipality=municipality,
                is_municipal_trial=is_municipal_trial,
            )
    except IntegrityError:
        raise Conflict(
            "organisation_unique", "name", _("The region already has an organisation by this name.")
        ) from None


def check_worker_role(role: str, organisation: Organisation | None, home_authority: str) -> None:
    require_choice(role, [r for r in Role.values if r != Role.CLIENT], "role")
    expected = ROLE_AUTHORITY.get(role)
    if expected and (organisation is None or organisation.authority != expected):
        raise RuleViolation(
            "role_fits_the_organisation",
            "organisation_id",
            _("A %(role)s works in an organisation of authority %(auth)s.")
            % {"role": Role(role).label, "auth": expected},
        )
    if home_authority:
        require_code(get_rules(), "authority", home_authority, "home_authority")


@transaction.atomic
def add_worker(
    username: str,
    first_name: str,
    last_name: str,
    role: str,
    organisation: Organisation | None,
    *,
    home_authority: str = "",
    title: str = "",
    phone: str = "",
    is_supervisor: bool = False,
) -> Worker:
    """A worker with a login that has no password yet (set it in the admin or by reset)."""
    require_text(username, "username", max_length=150, required=True)
    require_text(first_name, "first_name", max_length=150)
    require_text(last_name, "last_name", max_length=150)
    require_text(title, "title", max_length=100)
    require_text(phone, "phone", max_length=40)
    check_worker_role(role, organisation, home_authority)
    users = get_user_model()
    if users.objects.filter(username=username).exists():
        raise Conflict("username_free", "username", _("This user name is taken; choose another."))
    user = users.objects.create_user(
        username=username, first_name=first_name, last_name=last_name, password=None
    )
    return Worker.objects.create(
        user=user,
        role=role,
        organisation=organisation,
        home_authority=home_authority,
        title=title,
        phone=phone,
        is_supervisor=is_supervisor,
    )


@transaction.atomic
def change_worker(worker: Worker, **changes) -> Worker:
    """Move a worker to another role or organisation, or change their details."""
    for field in ("title", "phone"):
        if field in changes:
            require_text(changes[field], field, max_length=100 if field == "title" else 40)
    role = changes.get("role", worker.role)
    organisation = changes.get("organisation", worker.organisation)
    home = changes.get("home_authority", worker.home_authority)
    check_worker_role(role, organisation, home)
    active = changes.pop("active", None)
    for field, value in changes.items():
        setattr(worker, field, value)
    worker.save()
    if active is not None:
        worker.user.is_active = active
        worker.user.save(update_fields=["is_active"])
    return worker


def remember_language(worker: Worker, language: str) -> None:
    """The language the worker chose in Kaveri, kept for what is sent to them."""
    require_choice(language, [code for code, _name in settings.LANGUAGES], "language")
    if worker.language != language:
        worker.language = language
        worker.save(update_fields=["language"])


@transaction.atomic
def set_absence(worker: Worker, away_until, deputy: Worker | None, today) -> Worker:
    """The worker's absence to the day it ends, and who stands in meanwhile: a worker of
    the same organisation who is not away then themselves. No date clears the absence."""
    require_dates(away_until=away_until)
    if away_until is not None and away_until < today:
        raise RuleViolation(
            "absence_ahead",
            "away_until",
            _("The last day of the absence is already past; give a day from today on."),
        )
    if deputy is not None:
        _check_deputy(worker, deputy, today)
    worker.away_until = away_until
    worker.deputy = deputy
    worker.save(update_fields=["away_until", "deputy"])
    return worker


def _check_deputy(worker: Worker, deputy: Worker, day) -> None:
    if deputy.pk == worker.pk or deputy.organisation_id != worker.organisation_id:
        raise RuleViolation(
            "deputy_colleague",
            "deputy",
            _("Choose a colleague of your own organisation as your deputy."),
        )
    if not deputy.user.is_active or deputy.away_on(day):
        raise RuleViolation(
            "deputy_present",
            "deputy",
            _("%(deputy)s is not at work then; choose another colleague.") % {"deputy": deputy},
        )
