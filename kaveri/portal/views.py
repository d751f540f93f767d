from django.shortcuts import render
from django.utils.translation import get_language

from kaveri.access.actions import Action
from kaveri.access.decorators import authorize_client, names_action
from kaveri.access.principal import principal_for
from kaveri.access.queries import access_log_entry, client_access_log
from kaveri.benefits.models import InformationRequest
from kaveri.rules.loader import get_rules


@names_action(Action.PORTAL_OVERVIEW)
def overview(request):
    client = principal_for(request).client
    authorize_client(request, client)
    rules = get_rules()
    language = get_language() or "fi"
    workers = [
        (rules.label("worker_role", n.role, language), n.worker, r.organisation)
        for r in client.relationships.filter(closed_on__isnull=True).select_related("organisation")
        for n in r.named_workers.filter(to_date__isnull=True).select_related("worker__user")
    ]
    to_do = {
        "answers": InformationRequest.objects.filter(
            application__client=client, answered_on__isnull=True
        ).select_related("application"),
        "approvals": client.plans.filter(is_current=True, client_approved_on__isnull=True),
    }
    return render(
        request,
        "portal/overview.html",
        {
            "client": client,
            "answers": [
                (rules.label("benefit", r.application.benefit, language), r)
                for r in to_do["answers"]
            ],
            "approvals": [
                (rules.label("plan", p.plan_type, language), p) for p in to_do["approvals"]
            ],
            "access_log": [access_log_entry(e) for e in client_access_log(client, 20)],
            "workers": workers,
            "plans": [
                (rules.label("plan", p.plan_type, language), p)
                for p in client.plans.filter(is_current=True)
            ],
            "applications": [
                (rules.label("benefit", a.benefit, language), a) for a in client.applications.all()
            ],
        },
    )
