"""Deny every view that names no action; check the role part of each named one."""

import logging

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, JsonResponse
from django.utils.translation import gettext as _

from kaveri.access.actions import API_NAMESPACE, NAMESPACE_ACTIONS, Action, rule_for
from kaveri.access.principal import principal_for

logger = logging.getLogger(__name__)


def action_of(view_func, namespace: str, url_name: str) -> Action | None:
    action = getattr(view_func, "kaveri_action", None) or getattr(
        getattr(view_func, "view_class", None), "kaveri_action", None
    )
    if action is not None:
        return action
    return NAMESPACE_ACTIONS.get((namespace, url_name)) or NAMESPACE_ACTIONS.get((namespace, "*"))


def is_api_operation(namespace: str) -> bool:
    """django-ninja operations check their own action (KaveriRouter refuses unnamed ones)."""
    return namespace == API_NAMESPACE


class ActionTableMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs):
        match = request.resolver_match
        namespace, url_name = match.namespace, match.url_name or ""
        action = action_of(view_func, namespace, url_name)
        if action is None:
            if is_api_operation(namespace):
                return None
            logger.error("Denied: view %s names no action", match.view_name)
            raise PermissionDenied(_("This page names no action and is therefore denied."))
        request.kaveri_action = action
        principal = principal_for(request)
        if rule_for(action).permits_role(principal):
            return None
        if not principal.is_authenticated:
            if namespace == API_NAMESPACE:
                return JsonResponse({"detail": _("Log in first.")}, status=401)
            return redirect_to_login(request.get_full_path())
        if namespace == API_NAMESPACE:
            return JsonResponse(
                {"detail": _("Your role does not permit this operation.")}, status=403
            )
        raise PermissionDenied(_("Your role does not permit this page."))
