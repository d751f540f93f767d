from kaveri.access.actions import Action, rule_for
from kaveri.access.principal import principal_for

MENU = {"search": Action.CLIENT_SEARCH, "clients": Action.WORKSPACE_CLIENTS}


def principal(request):
    """The principal, and which menu entries the action table lets them use."""
    who = principal_for(request)
    return {
        "full_layout": True,  # error pages drawn without the request leave out what needs it
        "principal": who,
        "menu": {name: rule_for(action).permits_role(who) for name, action in MENU.items()},
    }
