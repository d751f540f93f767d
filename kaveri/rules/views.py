from django.shortcuts import render
from django.utils.translation import get_language

from kaveri.access.actions import Action
from kaveri.access.decorators import names_action
from kaveri.rules.loader import get_rules
from kaveri.rules.pathways import legend, pathway_view, process_view


@names_action(Action.PATHWAYS_VIEW)
def pathways(request):
    rules = get_rules()
    language = get_language() or "fi"
    return render(
        request,
        "rules/pathways.html",
        {
            "rules": rules,
            "legend": legend(rules, language),
            "pathways": [pathway_view(rules, p, language) for p in rules.data.pathways],
            "processes": [process_view(rules, p, language) for p in rules.data.processes],
        },
    )
