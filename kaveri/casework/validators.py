"""The named checks of casework (SERVICE-MODEL sections 2 and 3): how a case begins,
the workers a relationship names, TYP consent, and what closing needs.

Each reads its numbers and codes from the rule set and raises RuleViolation with
the field at fault and a message that says what is wrong and how to fix it.
"""

from datetime import date

from django.utils.translation import gettext as _

from kaveri.rules.inputs import require_code, require_dates
from kaveri.rules.ruleset import RuleSet, current_language
from kaveri.rules.violations import RuleViolation, collect


def relationship_kind_fits_organisation(rules: RuleSet, kind: str, organisation) -> None:
    rule = rules.relationship_kinds[kind]
    if rule.authority != organisation.authority:
        raise RuleViolation(
            "relationship_kind_fits_organisation",
            "kind",
            _("A %(kind)s is opened at %(authority)s, not at %(organisation)s.")
            % {
                "kind": rules.label("relationship_kind", kind, current_language()),
                "authority": rule.authority,
                "organisation": organisation,
            },
        )
    opened_here = rules.kinds_opened_at(organisation.authority, organisation.is_municipal_trial)
    if rule not in opened_here:
        raise RuleViolation(
            "relationship_kind_fits_organisation",
            "kind",
            _(
                "Municipal employment trial relationships are opened at a trial organisation, "
                "TE office relationships elsewhere."
            ),
        )


def closure_reason_is_allowed(rules: RuleSet, kind: str, reason: str) -> None:
    allowed = rules.relationship_kinds[kind].closure_reasons
    if reason not in allowed:
        names = ", ".join(rules.label("closure_reason", r, current_language()) for r in allowed)
        raise RuleViolation(
            "closure_reason_is_allowed",
            "closure_reason",
            _("This relationship may close only for one of: %(reasons)s.") % {"reasons": names},
        )


def named_workers_fit_the_kind(rules: RuleSet, kind: str, workers: list[tuple[str, object]]):
    """workers: (role code, Worker). Counts and home authorities as the kind requires."""
    for rule in rules.relationship_kinds[kind].workers:
        chosen = [w for role, w in workers if role == rule.role]
        if not rule.min <= len(chosen) <= rule.max:
            raise RuleViolation(
                "named_workers_fit_the_kind",
                "workers",
                _("Name %(min)s to %(max)s workers as %(role)s.")
                % {
                    "min": rule.min,
                    "max": rule.max,
                    "role": rules.label("worker_role", rule.role, current_language()),
                },
            )
        for worker in chosen:
            home = worker.home_authority or (
                worker.organisation.authority if worker.organisation else ""
            )
            if home != rule.from_:
                raise RuleViolation(
                    "named_workers_fit_the_kind",
                    "workers",
                    _("%(worker)s is not from %(authority)s, as the %(role)s must be.")
                    % {
                        "worker": worker,
                        "authority": rule.from_,
                        "role": rules.label("worker_role", rule.role, current_language()),
                    },
                )
    known = {rule.role for rule in rules.relationship_kinds[kind].workers}
    if any(role not in known for role, _w in workers):
        raise RuleViolation(
            "named_workers_fit_the_kind",
            "workers",
            _("That worker role does not belong to this kind of relationship."),
        )
    if len({w.pk for _role, w in workers}) != len(workers):
        raise RuleViolation(
            "named_workers_fit_the_kind",
            "workers",
            _("Name each worker once; a work pair is two different people."),
        )


def named_workers_work_at(organisation, workers: list[tuple[str, object]]) -> None:
    """The workers named to a relationship work at the organisation that holds it."""
    if any(w.organisation_id != organisation.pk for _role, w in workers):
        raise RuleViolation(
            "named_workers_work_here",
            "workers",
            _("Name workers of %(organisation)s only.") % {"organisation": organisation},
        )


def consent_given_for_typ(client, day: date) -> None:
    """TYP registration needs the client's consent to TYP work (A2 step 3)."""
    if not client.consents.in_force_on(day).for_purpose("TYP_WORK").exists():
        raise RuleViolation(
            "consent_given_for_typ",
            "consent",
            _("Record the client's consent to TYP work first; TYP registration needs it."),
        )


def typ_closure_has_final_assessment(relationship) -> None:
    """Closing a TYP relationship needs a final assessment and the offer of feedback (A2 step 8)."""
    if not relationship.assessments.final().exists():
        raise RuleViolation(
            "typ_closure_has_final_assessment",
            "final_assessment",
            _("Record the final assessment (loppuarvio) before closing the TYP relationship."),
        )
    if relationship.feedback_offered_on is None:
        raise RuleViolation(
            "typ_closure_has_final_assessment",
            "feedback_offered",
            _("Offer the client the feedback form before closing the TYP relationship."),
        )


def processes_of_kind(rules: RuleSet, kind: str) -> list:
    """The processes a relationship of the kind follows: its own, and every process that
    names it (Kela's relationship begins in A6 from an authority, in A5 from the client)."""
    own = rules.relationship_kinds[kind].process
    return [p for p in rules.data.processes if p.code == own or p.relationship_kind == kind]


def entry_fits_the_process(rules: RuleSet, kind: str, pathway: str, initiator: str) -> None:
    """How a case begins: the entries the pathway and the processes of the kind name."""
    entries = {entry for process in processes_of_kind(rules, kind) for entry in process.entry}
    if pathway:
        entries |= set(rules.pathways[pathway].entry)
    if entries and initiator not in entries:
        names = ", ".join(
            sorted(rules.label("contact_initiator", e, current_language()) for e in entries)
        )
        raise RuleViolation(
            "entry_fits_the_process",
            "initiator",
            _("A case of this kind begins with: %(entries)s.") % {"entries": names},
        )


def consent_for_the_contact(rules: RuleSet, kind: str, contact, day: date) -> None:
    """A process whose first step needs consent (A6: an authority contacts Kela) begins
    only under a consent in force that names its owner and the contacting authority."""
    for process in processes_of_kind(rules, kind):
        if contact.initiator not in process.entry or not process.steps[0].requires_consent:
            continue
        named = [process.owner]
        if contact.referred_by is not None:
            named.append(contact.referred_by.authority)
        consents = contact.client.consents.in_force_on(day)
        for authority in named:
            consents = consents.naming(authority)
        if not consents.exists():
            language = current_language()
            raise RuleViolation(
                "consent_for_the_contact",
                "contact",
                _(
                    "%(owner)s is contacted by another authority only with the client's "
                    "consent: record a consent that names %(authorities)s first."
                )
                % {
                    "owner": rules.label("authority", process.owner, language),
                    "authorities": ", ".join(rules.label("authority", a, language) for a in named),
                },
            )


def no_pending_applications(client, day: date) -> None:
    """A6 step 7: Kela's service ends only when no application is pending on that day."""
    if client.applications.pending_on(day).exists():
        raise RuleViolation(
            "no_pending_applications",
            "closure_reason",
            _("An application is still pending; the Kela relationship ends when none is."),
        )


def feedback_belongs_to_the_kind(rules: RuleSet, kind: str) -> None:
    """Only a relationship whose closing asks for feedback records its offer (TYP, A2 step 8)."""
    if "FEEDBACK_OFFERED" not in rules.relationship_kinds[kind].closing_requires:
        raise RuleViolation(
            "feedback_belongs_to_the_kind",
            "offered_on",
            _("This kind of relationship has no feedback form."),
        )


def check_relationship(
    rules,
    client,
    organisation,
    kind: str,
    opened_on: date,
    workers,
    pathway: str = "",
    recorded_on: date | None = None,
) -> None:
    """Everything a new client relationship must satisfy, for a page, the API or an import
    (which gives no `recorded_on`: its records were made elsewhere, on their own days)."""
    require_dates(opened_on=opened_on)
    require_code(rules, "relationship_kind", kind, "kind")
    relationship_kind_fits_organisation(rules, kind, organisation)
    if pathway:
        require_code(rules, "pathway", pathway, "pathway")
    if rules.relationship_kinds[kind].requires_consent:
        consent_given_for_typ(client, max(opened_on, recorded_on or opened_on))
    named_workers_fit_the_kind(rules, kind, workers)
    named_workers_work_at(organisation, workers)


def check_closure(rules, relationship, closed_on: date, reason: str) -> None:
    require_dates(closed_on=closed_on)
    if closed_on < relationship.opened_on:
        raise RuleViolation(
            "closes_after_opening",
            "closed_on",
            _("The closing date is before the relationship opened."),
        )
    closure_reason_is_allowed(rules, relationship.kind, reason)
    if reason == "NO_PENDING_APPLICATIONS":
        no_pending_applications(relationship.client, closed_on)
    if "FINAL_ASSESSMENT" in rules.relationship_kinds[relationship.kind].closing_requires:
        typ_closure_has_final_assessment(relationship)


def relationship_problems(rules: RuleSet, relationship) -> list[RuleViolation]:
    """Every named check a recorded relationship fails: how it opened, whom it named then,
    how it began, and, once closed, why and with what."""
    opening = [
        (n.role, n.worker)
        for n in relationship.named_workers.all()
        if n.from_date == relationship.opened_on
    ]
    checks = [
        lambda: check_relationship(
            rules,
            relationship.client,
            relationship.organisation,
            relationship.kind,
            relationship.opened_on,
            opening,
            relationship.pathway,
        )
    ]
    if relationship.contact_id:
        checks += [
            lambda: entry_fits_the_process(
                rules, relationship.kind, relationship.pathway, relationship.contact.initiator
            ),
            lambda: consent_for_the_contact(
                rules, relationship.kind, relationship.contact, relationship.opened_on
            ),
        ]
    if relationship.closed_on is not None:
        checks.append(
            lambda: check_closure(
                rules, relationship, relationship.closed_on, relationship.closure_reason
            )
        )
    return collect(*checks)
