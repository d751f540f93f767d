"""What the retention rules of the rule set make due on a given day: client relationships
whose records have been kept as long as the law requires, to be deleted, or archived for
ever where the client was born on one of the sampled days. Each rule is one indexed query
over the relationships (kind, closing day); nothing here reads the wall clock."""

from dataclasses import dataclass
from datetime import date, datetime, time

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from kaveri.access.models import AuditEvent
from kaveri.casework.models import ClientRelationship
from kaveri.rules.durations import Duration
from kaveri.rules.registry import rules_on
from kaveri.rules.schema import RetentionRule, RetentionRules

DELETE = "DELETE"
ARCHIVE = "ARCHIVE"


@dataclass(frozen=True)
class RetentionDue:
    rule: RetentionRule
    kept_until: date
    to_delete: QuerySet
    to_archive: QuerySet


@dataclass(frozen=True)
class RetentionReport:
    today: date
    ruleset_version: str
    retention: RetentionRules
    due: list[RetentionDue]
    kept_without_rule: dict[str, int]
    audit_events_due: int
    audit_kept_until: date
    audit_log_keep_for: Duration
    audit_log_verified: bool


def closed_before(rule: RetentionRule, last_day: date) -> QuerySet:
    """Relationships of the rule's kinds closed on or before `last_day`; by LAST_CLOSED,
    only where the client has no relationship of these kinds open or closed later."""
    closed = ClientRelationship.objects.filter(
        kind__in=rule.relationship_kinds, closed_on__lte=last_day
    )
    if rule.counted_from == "LAST_CLOSED":
        later = ClientRelationship.objects.filter(
            client=OuterRef("client"), kind__in=rule.relationship_kinds
        ).filter(Q(closed_on__isnull=True) | Q(closed_on__gt=last_day))
        closed = closed.exclude(Exists(later))
    return closed


def rule_due(rule: RetentionRule, retention: RetentionRules, today: date) -> RetentionDue:
    last_day = rule.keep_for.counted_back_from(today)
    closed = closed_before(rule, last_day).order_by("closed_on", "pk")
    archive = retention.archive_permanently
    kept_for_ever = Q(client__birth_date__day__in=archive.born_on_days) & Q(
        kind__in=archive.relationship_kinds
    )
    return RetentionDue(
        rule=rule,
        kept_until=last_day,
        to_delete=closed.exclude(kept_for_ever),
        to_archive=closed.filter(kept_for_ever),
    )


def kinds_without_rule(retention: RetentionRules) -> dict[str, int]:
    """Closed relationships of the kinds no rule covers, by kind: kept, never due."""
    covered = {kind for rule in retention.records for kind in rule.relationship_kinds}
    closed = ClientRelationship.objects.filter(closed_on__isnull=False).exclude(kind__in=covered)
    rows = closed.values("kind").annotate(count=Count("pk")).order_by("kind")
    return {row["kind"]: row["count"] for row in rows}


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def retention_report(today: date) -> RetentionReport:
    """What is due on `today` by the retention rules of the rule set in force that day
    (703/2023 applies its times to records made before it too)."""
    rules = rules_on(today)
    retention = rules.data.retention
    audit_kept_until = retention.audit_log.keep_for.counted_back_from(today)
    return RetentionReport(
        today=today,
        ruleset_version=rules.version,
        retention=retention,
        due=[rule_due(rule, retention, today) for rule in retention.records],
        kept_without_rule=kinds_without_rule(retention),
        audit_events_due=AuditEvent.objects.filter(at__lt=_start_of(audit_kept_until)).count(),
        audit_kept_until=audit_kept_until,
        audit_log_keep_for=retention.audit_log.keep_for,
        audit_log_verified=retention.audit_log.verified,
    )
