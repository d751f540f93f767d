from django.shortcuts import render
from django.utils.translation import gettext as _

from kaveri.access.actions import Action
from kaveri.access.decorators import names_action
from kaveri.rules.pathways import (
    client_needs,
    decision_bases,
    legend,
    pathway_view,
    process_view,
    source_systems,
)
from kaveri.rules.registry import get_rules
from kaveri.rules.ruleset import current_language


@names_action(Action.PATHWAYS_VIEW)
def pathways(request):
    rules = get_rules()
    language = current_language()
    return render(
        request,
        "rules/pathways.html",
        {
            "rules": rules,
            "legend": legend(rules, language),
            "pathways": [pathway_view(rules, p, language) for p in rules.data.pathways],
            "processes": [process_view(rules, p, language) for p in rules.data.processes],
            "network_facts": [
                ("needs", _("What the client needs to know"), client_needs(rules, language)),
                ("evidence", _("What decisions rest on"), decision_bases(rules, language)),
                ("systems", _("Where the information lives"), source_systems(rules, language)),
            ],
        },
    )
