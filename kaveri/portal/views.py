from django.shortcuts import render

from kaveri.access.actions import Action
from kaveri.access.decorators import authorize_read, names_action
from kaveri.access.principal import principal_for
from kaveri.access.queries import access_log_entry, client_access_log
from kaveri.benefits.models import InformationRequest
from kaveri.benefits.review import review_path, review_stage
from kaveri.rules import clock
from kaveri.rules.registry import get_rules
from kaveri.rules.ruleset import current_language
from kaveri.watch.checklist import (
    EXPIRED,
    PRESENT,
    application_checklist,
    plan_checklist,
)

ACCESS_LOG_SHOWN = 20


@names_action(Action.PORTAL_OVERVIEW)
def overview(request):
    client = principal_for(request).client
    authorize_read(request, client)
    rules = get_rules()
    language = current_language()
    workers = [
        (rules.label("worker_role", n.role, language), n.worker, r.organisation)
        for r in client.relationships.open().select_related("organisation")
        for n in r.named_workers.current().select_related("worker__user")
    ]
    plans = list(client.plans.current())
    deliveries = _deliveries(client, plans, rules, language)
    answers = (
        InformationRequest.objects.of_client(client).unanswered().select_related("application")
    )
    return render(
        request,
        "portal/overview.html",
        {
            "client": client,
            "answers": [
                (rules.label("benefit", r.application.benefit, language), r) for r in answers
            ],
            "approvals": [
                (rules.label("plan", p.plan_type, language), p)
                for p in plans
                if p.client_approved_on is None
            ],
            "access_log": [
                access_log_entry(e) for e in client_access_log(client, ACCESS_LOG_SHOWN)
            ],
            "workers": workers,
            "deliveries": deliveries,
            "plans": [(rules.label("plan", p.plan_type, language), p) for p in plans],
            "applications": [
                {
                    "label": rules.label("benefit", a.benefit, language),
                    "obj": a,
                    "waits_for": [r for r in a.information_requests.all() if not r.answered_on],
                    "review": review_path(a, language),
                    "appeals": [(x, review_stage(a, x.stage, language)) for x in a.appeals.all()],
                }
                for a in client.applications.prefetch_related("information_requests", "appeals")
            ],
        },
    )


def _deliveries(client, plans, rules, language: str) -> list[dict]:
    """What the client must deliver and to whom: the missing or expired items of the
    checklists of their pending applications and current plans (SERVICE-MODEL section 6)."""
    documents = list(client.documents.all())
    today = clock.today()
    items = []
    for application in client.applications.exclude(status="WITHDRAWN"):
        if application.status == "DECIDED" and not application.granted_from:
            continue
        items += application_checklist(application, documents, today)
    for plan in plans:
        items += plan_checklist(plan, documents, today)
    wanted = {}
    for item in items:
        if item.client_delivers and item.status != PRESENT:
            wanted.setdefault((item.evidence, item.delivered_to), item)
    return [
        {
            "what": rules.label("evidence", item.evidence, language),
            "to": rules.label("authority", item.delivered_to, language),
            "by": item.needed_by,
            "expired": item.status == EXPIRED,
        }
        for item in wanted.values()
    ]
