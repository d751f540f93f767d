from django.http import Http404
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
    rule_sets,
    source_systems,
    statutes,
)
from kaveri.rules.registry import get_rules, registry
from kaveri.rules.ruleset import current_language


@names_action(Action.PATHWAYS_VIEW)
def pathways(request):
    in_force = get_rules()
    rules = _chosen_rule_set(request.GET.get("version"), in_force)
    language = current_language()
    return render(
        request,
        "rules/pathways.html",
        {
            "rules": rules,
            "in_force": in_force,
            "rule_sets": rule_sets(registry(), in_force, rules, language),
            "statutes": statutes(rules, language),
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


def _chosen_rule_set(version: str | None, in_force):
    """The set a reader asked to see (?version=), else the one in force today."""
    if not version:
        return in_force
    try:
        return registry().of_version(version)
    except KeyError:
        raise Http404(_("There is no rule set %(version)s.") % {"version": version}) from None
