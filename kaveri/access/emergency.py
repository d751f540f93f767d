"""Emergency access (break the glass): open for a listed reason with a description, each
opening new and counted, never extended; reviewed by a supervisor of the organisation or,
where it has no other, by the region's reviewer; a review left too long is overdue.

The reasons, the minimum description, the duration, the limit of openings and the review
deadline come from the rule set (`emergency_access`)."""

import re
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from kaveri.access.models import EmergencyAccess, Worker
from kaveri.rules.inputs import require_text
from kaveri.rules.registry import get_rules
from kaveri.rules.ruleset import current_language
from kaveri.rules.violations import RuleViolation, Violations
from kaveri.rules.watchers import changes_facts

WORD = re.compile(r"[^\W\d_]{2,}")


def emergency_rules():
    return get_rules().data.emergency_access


def reason_choices() -> list[tuple[str, str]]:
    language = current_language()
    return [(r.code, r.label.get(language)) for r in emergency_rules().reasons]


def description_words(text: str) -> int:
    """Distinct words of letters: twenty x's or one word repeated are not a description."""
    return len({word.lower() for word in WORD.findall(text)})


def reason_problems(category: str, description: str) -> list[RuleViolation]:
    rules = emergency_rules()
    problems = []
    if category not in {r.code for r in rules.reasons}:
        problems.append(
            RuleViolation(
                "emergency_reason_given",
                "reason_category",
                _("Choose the reason for the emergency access from the list."),
            )
        )
    if description_words(description or "") < rules.minimum_description_words:
        problems.append(
            RuleViolation(
                "emergency_reason_given",
                "reason",
                _(
                    "Describe in at least %(n)s different words what is urgent and why a "
                    "relationship or a consent cannot wait."
                )
                % {"n": rules.minimum_description_words},
            )
        )
    return problems


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def openings_problem(worker, client, now: datetime) -> RuleViolation | None:
    """One open access at a time; at most N openings per client in the rule set's period."""
    rules = emergency_rules()
    active = active_emergency_access(worker, client, now)
    if active is not None:
        until = timezone.localtime(active.expires_at).strftime("%H:%M")
        return RuleViolation(
            "emergency_once_at_a_time",
            "reason",
            _("You already have emergency access to this client until %(time)s.") % {"time": until},
        )
    today = timezone.localdate(now)
    since = _start_of(rules.openings_period.before(today))
    opened = EmergencyAccess.objects.filter(
        worker=worker, client=client, started_at__gte=since
    ).count()
    if opened >= rules.openings_per_client:
        return RuleViolation(
            "emergency_openings_limited",
            "reason",
            _(
                "You have opened emergency access to this client %(count)s times in the last "
                "%(period)s, the most the rules allow. Ask for a client relationship or the "
                "client's consent instead."
            )
            % {"count": opened, "period": rules.openings_period},
        )
    return None


@transaction.atomic
@changes_facts
def open_emergency_access(
    worker, client, category: str, description: str, now: datetime | None = None
) -> EmergencyAccess:
    """Break the glass: a new, counted, time-limited opening; every read is logged."""
    require_text(description, "reason", max_length=4000)
    problems = reason_problems(category, description)
    if problems:
        raise Violations(problems)
    now = now or timezone.now()
    Worker.objects.select_for_update().filter(pk=worker.pk).first()  # one opening at a time
    problem = openings_problem(worker, client, now)
    if problem:
        raise problem
    return EmergencyAccess.objects.create(
        worker=worker,
        client=client,
        reason_category=category,
        reason=description.strip(),
        started_at=now,
        expires_at=now + timedelta(hours=emergency_rules().hours),
    )


def active_emergency_access(worker, client, now: datetime | None = None) -> EmergencyAccess | None:
    if worker is None:
        return None
    return (
        EmergencyAccess.objects.filter(
            worker=worker, client=client, expires_at__gt=now or timezone.now()
        )
        .order_by("-expires_at")
        .first()
    )


def reviews_emergencies(worker) -> bool:
    return bool(worker and (worker.is_supervisor or worker.reviews_region))


def awaiting_review(reviewer) -> QuerySet[EmergencyAccess]:
    """Unreviewed accesses the reviewer reviews: those of their organisation's workers (as
    its supervisor), and, as the region's reviewer, those of any organisation of the region
    with no supervisor other than the worker who opened it. Never one's own."""
    unreviewed = EmergencyAccess.objects.filter(reviewed_at__isnull=True).exclude(worker=reviewer)
    scope = Q(pk__in=[])
    if reviewer.is_supervisor:
        scope |= Q(worker__organisation=reviewer.organisation)
    if reviewer.reviews_region and reviewer.organisation is not None:
        other_supervisor = Worker.objects.filter(
            organisation=OuterRef("worker__organisation"), is_supervisor=True
        ).exclude(pk=OuterRef("worker_id"))
        scope |= Q(worker__organisation__region=reviewer.organisation.region) & ~Q(
            Exists(other_supervisor)
        )
    return (
        unreviewed.filter(scope)
        .select_related("worker__user", "worker__organisation", "client")
        .annotate(opening_number=Subquery(_openings_until_this_one()))
        .order_by("started_at")
    )


def _openings_until_this_one():
    """This access is the worker's n-th opening for the client: n, for the reviewer."""
    return (
        EmergencyAccess.objects.filter(
            worker=OuterRef("worker"),
            client=OuterRef("client"),
            started_at__lte=OuterRef("started_at"),
        )
        .values("worker")
        .annotate(n=Count("pk"))
        .values("n")
    )


def review_overdue_since(today: date) -> datetime:
    """Accesses opened before this moment and not yet reviewed are overdue."""
    return _start_of(emergency_rules().review_due.before(today))


@transaction.atomic
@changes_facts
def review(access: EmergencyAccess, reviewer, note: str) -> EmergencyAccess:
    locked = EmergencyAccess.objects.select_for_update().get(pk=access.pk)
    if locked.reviewed_at is None:
        locked.reviewed_by = reviewer
        locked.reviewed_at = timezone.now()
        locked.review_note = note.strip()
        locked.save(update_fields=["reviewed_by", "reviewed_at", "review_note"])
    return locked
