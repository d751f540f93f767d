"""Naming the action of a page or an API operation."""

from collections.abc import Callable
from functools import wraps

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from kaveri.access.actions import Action, rule_for
from kaveri.access.audit import record_access
from kaveri.access.principal import principal_for


def names_action(action: Action) -> Callable:
    """Mark a view with its action; the middleware checks the role part of the rule."""

    def decorate(view: Callable) -> Callable:
        view.kaveri_action = action
        return view

    return decorate


def authorize_client(request: HttpRequest, client) -> None:
    """Check the relation part of the request's action for one client, and audit it.

    Denied reads are audited too, then refused.
    """
    action = request.kaveri_action
    rule = rule_for(action)
    allowed = rule.permits(principal_for(request), client)
    record_access(request, action, client, allowed)
    if not allowed:
        raise PermissionDenied(
            _(
                "You have no access to this client's data: your organisation has no open "
                "client relationship with them."
            )
        )


def api_action(action: Action) -> Callable:
    """Wrap an API operation: check the role part of its rule, mark it with its action."""

    def decorate(func: Callable) -> Callable:
        @wraps(func)
        def wrapper(request: HttpRequest, *args, **kwargs):
            from ninja.errors import HttpError

            if not rule_for(action).permits_role(principal_for(request)):
                raise HttpError(403, _("Your role does not permit this operation."))
            request.kaveri_action = action
            return func(request, *args, **kwargs)

        wrapper.kaveri_action = action
        return wrapper

    return decorate


def authorized_record(request: HttpRequest, queryset, pk: int, client_path: str = "client"):
    """The record with this id, after checking (and auditing) access to its client."""
    record = get_object_or_404(
        queryset.select_related(client_path) if client_path else queryset, pk=pk
    )
    client = record
    for part in filter(None, client_path.split("__")):
        client = getattr(client, part)
    authorize_client(request, client)
    return record


def api_record(request: HttpRequest, queryset, pk: int, client_path: str = "client"):
    """As authorized_record, for an API operation: a refusal is HTTP 403 with its reason."""
    from ninja.errors import HttpError

    try:
        return authorized_record(request, queryset, pk, client_path)
    except PermissionDenied as denied:
        raise HttpError(403, str(denied)) from None


def api_client(request: HttpRequest, client_id: int):
    from kaveri.people.models import Client

    return api_record(request, Client.objects, client_id, client_path="")
