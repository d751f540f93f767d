"""Carrying out the retention rules (`kaveri retention --apply`).

The relationships due to be archived for ever are first written to an archive package, a
JSON Lines file for the archive to take over; then every relationship due (archived or
not) is deleted with the records made in it: its plans, assessments, service episodes,
the contact that opened it and their state histories. Everything is one transaction, and
each client's access log tells what was removed and why. The watch's deadlines and
signals of the relationship go with it. The package is written as
`.partial` and gets its final name only when the deletion has committed, so a package
under its final name always matches what left the database."""

import json
import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import Model, Q

from kaveri.access.actions import Action
from kaveri.access.audit import record_console_events
from kaveri.access.files import PRIVATE
from kaveri.casework.models import ClientRelationship, Contact, ServiceNeedAssessment
from kaveri.casework.retention import RetentionReport
from kaveri.exchange.records import (
    assessment_record,
    contact_record,
    episode_order,
    episode_record,
    plan_record,
    relationship_record,
)
from kaveri.people.models import Client
from kaveri.plans.models import Measure, Plan
from kaveri.services.models import ServiceEpisode
from kaveri.transitions.models import StateChange
from kaveri.watch.models import Deadline, Signal

ARCHIVE_FORMAT = "kaveri-retention-archive"
ARCHIVE_FORMAT_VERSION = 1


class RetentionRefused(Exception):
    """The retention rules cannot be carried out as they stand; the message says why."""


@dataclass(frozen=True)
class Disposal:
    relationship_id: int
    client_id: int
    rule_code: str
    archived: bool


@dataclass(frozen=True)
class RetentionCarriedOut:
    deleted: int
    archived: int
    package: Path | None


def unverified_rules(report: RetentionReport) -> list[str]:
    """The rules behind this report that nobody has checked against their source."""
    retention = report.retention
    names = [rule.code for rule in retention.records if not rule.verified]
    if not retention.archive_permanently.verified:
        names.append("archive_permanently")
    return names


def disposals(report: RetentionReport) -> list[Disposal]:
    found = []
    for due in report.due:
        for archived, rows in ((True, due.to_archive), (False, due.to_delete)):
            found += [
                Disposal(pk, client_id, due.rule.code, archived)
                for pk, client_id in rows.values_list("pk", "client_id")
            ]
    return found


def carry_out(
    report: RetentionReport,
    archive_dir: Path,
    accept_unverified: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> RetentionCarriedOut:
    unverified = unverified_rules(report)
    if unverified and not accept_unverified:
        raise RetentionRefused(
            "These retention rules are not verified against their source: "
            f"{', '.join(unverified)}. A deletion cannot be undone; check them in the rule "
            "set, or give --accept-unverified to carry them out as they stand."
        )
    if not archive_dir.is_dir():
        raise RetentionRefused(f"{archive_dir} is not a folder; create it or name another.")
    with transaction.atomic():
        due = disposals(report)
        to_archive = [d for d in due if d.archived]
        partial = _package_path(archive_dir, report.today) if to_archive else None
        try:
            if partial:
                _write_package(report, partial, to_archive, progress)
            _delete([d.relationship_id for d in due])
            _audit(due)
        except BaseException:
            if partial:
                partial.unlink(missing_ok=True)
            raise
        package = partial.with_suffix("") if partial else None
        if partial:
            transaction.on_commit(lambda: partial.rename(package))
    return RetentionCarriedOut(
        deleted=len(due) - len(to_archive), archived=len(to_archive), package=package
    )


def _package_path(archive_dir: Path, today: date) -> Path:
    for number in range(1, 10_000):
        path = archive_dir / f"kaveri-archive-{today.isoformat()}-{number}.jsonl"
        if not path.exists() and not path.with_suffix(".jsonl.partial").exists():
            return path.with_suffix(".jsonl.partial")
    raise RetentionRefused(f"{archive_dir} holds too many packages for {today}; move them away.")


def _write_package(report, path: Path, to_archive, progress) -> None:
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE)
    with os.fdopen(descriptor, "w", encoding="utf-8") as stream:
        _write_line(stream, _header(report, len(to_archive)))
        for done, disposal in enumerate(to_archive, start=1):
            _write_line(stream, archive_entry(disposal))
            if progress:
                progress(done, len(to_archive))
        stream.flush()
        os.fsync(stream.fileno())


def _write_line(stream, data: dict) -> None:
    stream.write(json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False) + "\n")


def _header(report: RetentionReport, count: int) -> dict:
    return {
        "format": ARCHIVE_FORMAT,
        "format_version": ARCHIVE_FORMAT_VERSION,
        "made_on": report.today,
        "ruleset_version": report.ruleset_version,
        "relationships": count,
    }


def archive_entry(disposal: Disposal) -> dict:
    """One relationship kept for ever: the client it belongs to and everything made in it."""
    relationship = ClientRelationship.objects.select_related("client", "organisation").get(
        pk=disposal.relationship_id
    )
    client = relationship.client
    episodes = sorted(
        ServiceEpisode.objects.filter(relationship=relationship).select_related(
            "decided_by", "provider", "instructor__user"
        ),
        key=episode_order,
    )
    keys = {e.pk: f"e{index}" for index, e in enumerate(episodes)}
    return {
        "rule": disposal.rule_code,
        "client": {
            "hetu": client.hetu,
            "first_names": client.first_names,
            "last_name": client.last_name,
            "birth_date": client.birth_date,
        },
        "relationship": relationship_record(relationship),
        "contact": contact_record(relationship.contact) if relationship.contact else None,
        "assessments": [
            assessment_record(a)
            for a in ServiceNeedAssessment.objects.filter(relationship=relationship).order_by(
                "assessed_on", "pk"
            )
        ],
        "plans": [
            plan_record(p)
            for p in Plan.objects.filter(relationship=relationship).order_by("series", "version")
        ],
        "service_episodes": [episode_record(e, keys) for e in episodes],
        "state_changes": [
            {
                "entity": change.entity,
                "transition": change.transition,
                "from_state": change.from_state,
                "to_state": change.to_state,
                "at": change.at,
                "effective_on": change.effective_on,
                "by": change.by_name,
                "reason": change.reason,
            }
            for change in _state_changes(_records_of([relationship.pk])).order_by("at", "pk")
        ],
    }


def _records_of(relationship_ids: list[int]) -> dict[type[Model], Q]:
    """The records made in these relationships, each model with the filter that finds them."""
    return {
        Measure: Q(plan__relationship_id__in=relationship_ids),
        Plan: Q(relationship_id__in=relationship_ids),
        ServiceNeedAssessment: Q(relationship_id__in=relationship_ids),
        ServiceEpisode: Q(relationship_id__in=relationship_ids),
        Deadline: Q(relationship_id__in=relationship_ids),
        Signal: Q(relationship_id__in=relationship_ids),
        ClientRelationship: Q(pk__in=relationship_ids),
    }


def _state_changes(records: dict[type[Model], Q]):
    histories = Q()
    for model, found in records.items():
        ids = model.objects.filter(found).values("pk")
        histories |= Q(entity=model._meta.label, entity_id__in=ids)
    return StateChange.objects.filter(histories)


def _delete(relationship_ids: list[int]) -> None:
    if not relationship_ids:
        return
    records = _records_of(relationship_ids)
    contacts = list(
        ClientRelationship.objects.filter(records[ClientRelationship])
        .exclude(contact=None)
        .values_list("contact_id", flat=True)
    )
    _state_changes(records).delete()
    for model in (
        Plan,
        ServiceNeedAssessment,
        ServiceEpisode,
        Deadline,
        Signal,
        ClientRelationship,
    ):
        model.objects.filter(records[model]).delete()
    Contact.objects.filter(pk__in=contacts).exclude(
        pk__in=ClientRelationship.objects.exclude(contact=None).values("contact_id")
    ).delete()


def _audit(due: list[Disposal]) -> None:
    record_console_events(
        Action.CONSOLE_RETENTION_CARRY_OUT,
        (
            (
                Client(pk=d.client_id),
                f"{'archived' if d.archived else 'deleted'}: {d.rule_code} "
                f"relationship {d.relationship_id}",
            )
            for d in due
        ),
    )
