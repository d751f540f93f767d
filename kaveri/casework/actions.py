"""Casework operations: each checks its own input and the named checks, then writes in
one transaction."""

from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from kaveri.casework import validators
from kaveri.casework.models import (
    ClientRelationship,
    Contact,
    JobSeekerRegistration,
    NamedWorker,
    ServiceNeedAssessment,
    SituationChange,
)
from kaveri.casework.states import RELATIONSHIP
from kaveri.consent.actions import ConsentInput, record_consent
from kaveri.rules import clock
from kaveri.rules.inputs import require_code, require_dates, require_text
from kaveri.rules.registry import rules_for, rules_on
from kaveri.rules.violations import Conflict, RuleViolation
from kaveri.rules.watchers import changes_facts, facts_changed
from kaveri.transitions.behalf import OnBehalf
from kaveri.transitions.machine import bump, locked


@transaction.atomic
def record_contact(
    client,
    organisation,
    occurred_on: date,
    initiator: str,
    channel: str,
    recorded_by=None,
    referred_by=None,
    notes: str = "",
) -> Contact:
    require_dates(occurred_on=occurred_on)
    rules = rules_on(occurred_on)
    require_code(rules, "contact_initiator", initiator, "initiator")
    require_code(rules, "contact_channel", channel, "channel")
    require_text(notes, "notes", max_length=4000)
    return Contact.objects.create(
        client=client,
        organisation=organisation,
        occurred_on=occurred_on,
        initiator=initiator,
        channel=channel,
        recorded_by=recorded_by,
        referred_by=referred_by,
        notes=notes,
    )


@transaction.atomic
@changes_facts
def open_relationship(
    client,
    organisation,
    kind: str,
    opened_on: date,
    workers: list[tuple[str, object]],
    pathway: str = "",
    contact: Contact | None = None,
    today: date | None = None,
) -> ClientRelationship:
    """Open a relationship; one recorded after the day it opened needs, where its kind asks
    for a consent, a consent in force on the day it is recorded (a consent never covers
    the past)."""
    require_dates(opened_on=opened_on)
    rules = rules_on(opened_on)
    validators.check_relationship(
        rules,
        client,
        organisation,
        kind,
        opened_on,
        workers,
        pathway,
        recorded_on=today or clock.today(),
    )
    if contact is not None:
        validators.entry_fits_the_process(rules, kind, pathway, contact.initiator)
        validators.consent_for_the_contact(rules, kind, contact, today or clock.today())
    if client.relationships.open().held_by(organisation).of_kind(kind).exists():
        raise RuleViolation(
            "one_open_relationship",
            "kind",
            _("The client already has an open relationship of this kind here."),
        )
    relationship = ClientRelationship.objects.create(
        client=client,
        organisation=organisation,
        kind=kind,
        pathway=pathway,
        contact=contact,
        opened_on=opened_on,
        ruleset_version=rules.version,
    )
    NamedWorker.objects.bulk_create(
        NamedWorker(relationship=relationship, worker=w, role=role, from_date=opened_on)
        for role, w in workers
    )
    return relationship


# The consent taken at TYP registration (A2 step 3): what it covers, between whom.
TYP_CONSENT_CATEGORIES = ("BASIC", "PLANS", "SERVICES", "BENEFITS")
TYP_CONSENT_AUTHORITIES = ("TYP", "EMP", "SOC", "KELA")


@transaction.atomic
@changes_facts
def open_case(
    client,
    organisation,
    occurred_on: date,
    initiator: str,
    channel: str,
    kind: str,
    workers: list[tuple[str, object]],
    pathway: str = "",
    notes: str = "",
    recorded_by=None,
    typ_consent_method: str | None = None,
    typ_consent_until: date | None = None,
    today: date | None = None,
    typ_consent_form=None,
) -> ClientRelationship:
    """How the case began, and the relationship it opens; a TYP case may take the consent too,
    in force from the later of the contact and the day it is recorded."""
    day = today or clock.today()
    if typ_consent_method and kind == "TYP_CLIENT":
        record_consent(
            client,
            ConsentInput(
                "TYP_WORK",
                list(TYP_CONSENT_CATEGORIES),
                list(TYP_CONSENT_AUTHORITIES),
                max(occurred_on, day) if isinstance(occurred_on, date) else occurred_on,
                typ_consent_until,
                typ_consent_method,
            ),
            recorded_by,
            day,
            typ_consent_form,
        )
    contact = record_contact(
        client, organisation, occurred_on, initiator, channel, recorded_by=recorded_by, notes=notes
    )
    return open_relationship(
        client,
        organisation,
        kind,
        occurred_on,
        workers,
        pathway=pathway,
        contact=contact,
        today=day,
    )


@transaction.atomic
@changes_facts
def record_assessment(
    relationship: ClientRelationship,
    assessed_on: date,
    assessor,
    findings: str = "",
    services: list[str] = (),
    benefits: list[str] = (),
    is_final: bool = False,
) -> ServiceNeedAssessment:
    require_dates(assessed_on=assessed_on)
    rules = rules_on(assessed_on)
    require_text(findings, "findings", max_length=20000)
    unknown = [s for s in services if s not in rules.services] + [
        b for b in benefits if b not in rules.benefits
    ]
    if unknown:
        raise RuleViolation(
            "guidance_known",
            "services",
            _("Unknown service or benefit: %(codes)s.") % {"codes": unknown},
        )
    _still_open(relationship)
    if assessed_on < relationship.opened_on:
        raise RuleViolation(
            "assessment_within_relationship",
            "assessed_on",
            _("The assessment cannot be before the relationship opened."),
        )
    return ServiceNeedAssessment.objects.create(
        client=relationship.client,
        relationship=relationship,
        organisation=relationship.organisation,
        assessed_on=assessed_on,
        assessor=assessor,
        findings=findings,
        guided_services=list(services),
        guided_benefits=list(benefits),
        is_final=is_final,
        ruleset_version=rules.version,
    )


def _still_open(relationship: ClientRelationship) -> None:
    if relationship.state != ClientRelationship.State.OPEN:
        raise Conflict("relationship_open", "closed_on", _("The relationship is closed."))


@transaction.atomic
@changes_facts
def offer_feedback(
    relationship: ClientRelationship,
    day: date,
    feedback: str = "",
    *,
    expected_version: int | None = None,
):
    require_dates(offered_on=day)
    require_text(feedback, "feedback", max_length=4000)
    validators.feedback_belongs_to_the_kind(rules_for(relationship), relationship.kind)
    row = locked(relationship, expected_version)
    _still_open(row)
    for record in (row, relationship):
        record.feedback_offered_on = day
        record.client_feedback = feedback
    row.save(update_fields=["feedback_offered_on", "client_feedback"])
    bump(row)
    relationship.row_version = row.row_version
    return row


@transaction.atomic
@changes_facts
def close_relationship(
    relationship: ClientRelationship,
    closed_on: date,
    reason: str,
    *,
    by=None,
    expected_version: int | None = None,
):
    """Close for a reason the kind allows; the named workers' assignments end that day."""
    rules = rules_for(relationship)
    validators.check_closure(rules, locked(relationship, expected_version), closed_on, reason)
    closed = RELATIONSHIP.apply(
        relationship,
        "close",
        effective_on=closed_on,
        by=by,
        reason=rules.label("closure_reason", reason, "fi"),
        expected_version=expected_version,
        changes={"closed_on": closed_on, "closure_reason": reason},
    )
    closed.named_workers.current().update(to_date=closed_on)
    return closed


@transaction.atomic
@changes_facts
def register_job_seeker(client, organisation, registered_on: date) -> JobSeekerRegistration:
    require_dates(registered_on=registered_on)
    if organisation.authority != "EMP":
        raise RuleViolation(
            "registration_at_employment_services",
            "organisation",
            _("Job seekers register with employment services."),
        )
    return JobSeekerRegistration.objects.create(
        client=client, organisation=organisation, registered_on=registered_on
    )


@transaction.atomic
@changes_facts
def name_worker(
    relationship: ClientRelationship,
    role: str,
    worker,
    from_date: date,
    *,
    expected_version: int | None = None,
):
    """Name a worker to a role, ending the previous holder's assignment that day."""
    rules = rules_for(relationship)
    require_dates(from_date=from_date)
    relationship = locked(relationship, expected_version)
    _still_open(relationship)
    current = [
        (n.role, n.worker)
        for n in relationship.named_workers.current().select_related("worker__organisation")
        if n.role != role
    ]
    validators.named_workers_fit_the_kind(rules, relationship.kind, [*current, (role, worker)])
    validators.named_workers_work_at(relationship.organisation, [(role, worker)])
    relationship.named_workers.current().filter(role=role).update(to_date=from_date)
    bump(relationship)
    return NamedWorker.objects.create(
        relationship=relationship, worker=worker, role=role, from_date=from_date
    )


@transaction.atomic
def follow_pathway(relationship: ClientRelationship, pathway: str) -> None:
    """The client moves on to another pathway within the same relationship."""
    require_code(rules_for(relationship), "pathway", pathway, "pathway")
    ClientRelationship.objects.filter(pk=relationship.pk).update(pathway=pathway)
    facts_changed(relationship.client_id)


@transaction.atomic
@changes_facts
def report_situation_change(
    client,
    kind: str,
    starts_on: date,
    details: str,
    reported_on: date,
    *,
    by=None,
    on_behalf: OnBehalf | None = None,
) -> SituationChange:
    """The client tells their workers that their situation changes: in the portal (`by` the
    client's user), or through a worker (`by` the worker, with how the client told them).
    It goes to the authorities serving the client that day, and the watch puts it on the
    start page of every worker named to the client."""
    require_dates(starts_on=starts_on, reported_on=reported_on)
    rules = rules_on(reported_on)
    require_code(rules, "situation_change", kind, "kind")
    require_text(details, "details", max_length=2000)
    worker = by if hasattr(by, "organisation") else None
    if worker is not None:
        if on_behalf is None:
            raise RuleViolation(
                "on_behalf_given", "channel", _("Say how the client told you of the change.")
            )
        on_behalf.check(rules)
    told = sorted(
        set(client.relationships.open().values_list("organisation__authority", flat=True))
    )
    if not told:
        raise RuleViolation(
            "someone_to_tell",
            "kind",
            _(
                "No authority serves the client now, so no worker would see the change. "
                "Contact the social services or the employment services directly."
            ),
        )
    return SituationChange.objects.create(
        client=client,
        kind=kind,
        starts_on=starts_on,
        details=details.strip(),
        reported_on=reported_on,
        told=told,
        reported_by_user=None if worker else by,
        recorded_by=worker,
        channel=on_behalf.channel if worker else "",
        client_confirmed=worker is not None,
        ruleset_version=rules.version,
    )
