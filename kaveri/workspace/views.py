from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render
from django.utils.translation import get_language

from kaveri.access import queries
from kaveri.access.actions import Action, rule_for
from kaveri.access.audit import record_list_access
from kaveri.access.decorators import authorize_client, names_action
from kaveri.access.principal import principal_for
from kaveri.access.queries import access_log_entry
from kaveri.people.models import Client
from kaveri.rules.loader import get_rules
from kaveri.workspace.queries import clients_served_by

PAGE_SIZE = 50


@names_action(Action.WORKSPACE_CLIENTS)
def client_list(request):
    principal = principal_for(request)
    clients = clients_served_by(principal).order_by("last_name", "first_names", "pk")
    page = Paginator(clients, PAGE_SIZE).get_page(request.GET.get("page"))
    record_list_access(request, Action.WORKSPACE_CLIENTS, page.object_list)
    return render(request, "workspace/client_list.html", {"page": page})


@names_action(Action.CLIENT_VIEW)
def client_detail(request, client_id: int):
    client = get_object_or_404(Client, pk=client_id)
    authorize_client(request, client)
    rules = get_rules()
    language = get_language() or "fi"
    relationships = client.relationships.select_related("organisation").prefetch_related(
        "named_workers__worker__user"
    )
    context = {
        "client": client,
        "can_see_access_log": rule_for(Action.CLIENT_ACCESS_LOG).permits(
            principal_for(request), client
        ),
        "relationships": [
            {
                "obj": r,
                "kind": rules.label("relationship_kind", r.kind, language),
                "closure": rules.label("closure_reason", r.closure_reason, language)
                if r.closure_reason
                else "",
                "workers": [
                    (rules.label("worker_role", n.role, language), n.worker)
                    for n in r.named_workers.all()
                    if n.to_date is None
                ],
            }
            for r in relationships
        ],
        "plans": [
            (rules.label("plan", p.plan_type, language), p)
            for p in client.plans.filter(is_current=True)
        ],
        "episodes": [
            (rules.label("service", e.service, language), e)
            for e in client.service_episodes.select_related("provider")
        ],
        "applications": [
            (rules.label("benefit", a.benefit, language), a) for a in client.applications.all()
        ],
    }
    return render(request, "workspace/client_detail.html", context)


@names_action(Action.CLIENT_ACCESS_LOG)
def client_access_log(request, client_id: int):
    client = get_object_or_404(Client, pk=client_id)
    authorize_client(request, client)
    entries = [access_log_entry(e) for e in queries.client_access_log(client)]
    return render(request, "workspace/access_log.html", {"client": client, "entries": entries})
