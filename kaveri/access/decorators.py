"""Naming the action of a page or an API operation, and checking it for one target.

The middleware checks the role part of the action's rule for every request; the
view then fetches its target (a client or one record of a client) and checks the
relation part for that target. A refusal is audited and answered 403 (pages and
API alike). A permitted read is audited as a read; a write is audited under its
action only once it has been carried out.
"""

from collections.abc import Callable
from functools import wraps

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _

from kaveri.access.actions import Action, rule_for
from kaveri.access.audit import record_access, written_with_refusals
from kaveri.access.principal import principal_for
from kaveri.access.relations import emergency_access_of, serves_client
from kaveri.access.roles import Role

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def in_one_transaction(func: Callable) -> Callable:
    """A request that may write (POST and the like) runs in one transaction."""

    @wraps(func)
    def wrapper(request: HttpRequest, *args, **kwargs):
        if request.method in SAFE_METHODS:
            return func(request, *args, **kwargs)
        return written_with_refusals(request, lambda: func(request, *args, **kwargs))

    return wrapper


def names_action(action: Action) -> Callable:
    """Mark a view with its action (the middleware checks the role part of the rule); a
    request that may write runs in one transaction."""

    def decorate(view: Callable) -> Callable:
        wrapped = in_one_transaction(view)
        wrapped.kaveri_action = action
        return wrapped

    return decorate


def api_action(action: Action) -> Callable:
    """Wrap an API operation: check the role part of its rule, mark it with its action."""

    def decorate(func: Callable) -> Callable:
        @wraps(func)
        def wrapper(request: HttpRequest, *args, **kwargs):
            if not rule_for(action).permits_role(principal_for(request)):
                raise PermissionDenied(_("Your role does not permit this operation."))
            request.kaveri_action = action
            return in_one_transaction(func)(request, *args, **kwargs)

        wrapper.kaveri_action = action
        return wrapper

    return decorate


def _client(target):
    """The client of a record, or the target itself when it is a client."""
    declared = getattr(target, "client_data", None)
    return declared.client_of(target) if declared is not None and declared.client else target


def _category(request, target) -> str:
    declared = getattr(target, "client_data", None)
    if declared is not None and declared.client:
        return declared.category_of(target)
    return rule_for(request.kaveri_action).data_category or ""


def _basis(request, client) -> str:
    """What permitted the access: one's own record, a placement, a relationship, emergency."""
    principal = principal_for(request)
    if principal.role == Role.CLIENT:
        return "own record"
    if principal.role == Role.ACTIVITY_INSTRUCTOR:
        return "placement"
    if serves_client(principal, client):
        return "relationship"
    emergency = emergency_access_of(principal, client)
    return f"emergency:{emergency.pk}" if emergency is not None else ""


def refusal_reason(request, target) -> str:
    rule = rule_for(request.kaveri_action)
    if rule.target and rule.target != "client" and getattr(target, "client_data", None):
        return _(
            "This record belongs to another organisation or authority; only they can do this. "
            "You may see it, but the change is theirs to make."
        )
    return _(
        "You have no access to this client's data: your organisation has no open "
        "client relationship with them."
    )


NOT_FOUND_OR_HIDDEN = "There is no record with this number that you may see."


def hidden() -> Http404:
    """The answer to a missing record and to one whose client one may not see: alike, so
    that ids cannot be counted."""
    return Http404(NOT_FOUND_OR_HIDDEN)


def _sees_client(principal, client) -> bool:
    return client is not None and (
        rule_for(Action.CLIENT_VIEW).permits(principal, client)
        or rule_for(Action.PORTAL_OVERVIEW).permits(principal, client)
    )


def authorize(request: HttpRequest, target) -> None:
    """Check the relation part of the request's action for the target; audit a refusal.

    A refusal on a client one may see says why (403); on a client one may not see at all it
    answers as a missing record does (404)."""
    action = request.kaveri_action
    principal = principal_for(request)
    rule = rule_for(action)
    if rule.permits(principal, target):
        return
    client = _client(target)
    record_access(request, action, client, allowed=False, data_category=_category(request, target))
    if rule.relation is not None and not _sees_client(principal, client):
        raise hidden()
    raise PermissionDenied(refusal_reason(request, target))


def audit_read(request: HttpRequest, target, action: Action = Action.CLIENT_VIEW) -> None:
    """A read of the target's data (a page, or a form showing it)."""
    client = _client(target)
    record_access(
        request,
        action,
        client,
        data_category=_category(request, target),
        basis=_basis(request, client),
    )


def audit_done(request: HttpRequest, target, basis: str | None = None) -> None:
    """The request's action was carried out on the target."""
    client = _client(target)
    record_access(
        request,
        request.kaveri_action,
        client,
        data_category=_category(request, target),
        basis=_basis(request, client) if basis is None else basis,
    )


def authorize_read(request: HttpRequest, target) -> None:
    """A read page: check the action for the target, then audit the read under the action."""
    authorize(request, target)
    audit_read(request, target, request.kaveri_action)


def fetch(request: HttpRequest, queryset, pk: int):
    """The record with this id, after checking the request's action for it (404 if none, and
    404 alike if its client is not one the worker may see)."""
    record = queryset.filter(pk=pk).first()
    if record is None:
        raise hidden()
    authorize(request, record)
    return record


def fetch_read(request: HttpRequest, queryset, pk: int):
    """`fetch`, for a page or operation that reads the record: the read is audited under the
    request's action."""
    record = fetch(request, queryset, pk)
    audit_read(request, record, request.kaveri_action)
    return record
