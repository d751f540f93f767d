"""The JSON API under /api/v1/, beside the pages. Every operation names its action.

Each app contributes its own router; the answers to refusals are the same for all:
403 for an action the principal may not take, 422 naming the field for input that
breaks a rule, 409 for a record that changed or whose state no longer allows it.
"""

from django.core.exceptions import PermissionDenied
from django.db import InterfaceError, OperationalError
from ninja import NinjaAPI
from ninja.security import django_auth

from kaveri.access.api import router as access_router
from kaveri.access.health import RETRY_AFTER_SECONDS
from kaveri.access.routing import KaveriRouter
from kaveri.access.tokens import ApiTokenAuth
from kaveri.benefits.api import router as benefits_router
from kaveri.casework.api import router as casework_router
from kaveri.consent.api import router as consent_router
from kaveri.evidence.api import router as evidence_router
from kaveri.pathways.api import router as rules_router
from kaveri.people.api import router as people_router
from kaveri.plans.api import router as plans_router
from kaveri.rules.violations import RuleViolation, Violations
from kaveri.services.api import router as services_router
from kaveri.statistics.api import router as statistics_router
from kaveri.watch.api import router as watch_router
from kaveri.workspace.api import router as workspace_router


def _field_error(violation: RuleViolation) -> dict:
    return {"loc": ["body", violation.field], "msg": violation.message, "type": violation.check}


def _install_error_answers(api: NinjaAPI) -> None:
    @api.exception_handler(PermissionDenied)
    def refused(request, error):
        return api.create_response(
            request, {"detail": str(error) or "Permission denied."}, status=403
        )

    @api.exception_handler(RuleViolation)
    def rule_broken(request, violation):
        if violation.status == 409:
            return api.create_response(request, {"detail": violation.message}, status=409)
        return api.create_response(request, {"detail": [_field_error(violation)]}, status=422)

    @api.exception_handler(Violations)
    def rules_broken(request, error):
        detail = [_field_error(v) for v in error.violations]
        return api.create_response(request, {"detail": detail}, status=422)

    @api.exception_handler(InterfaceError)
    @api.exception_handler(OperationalError)
    def busy(request, error):
        if "locked" in str(error):
            return api.create_response(
                request,
                {"detail": "Another change to the same data was being saved; try again."},
                status=409,
            )
        response = api.create_response(
            request,
            {"detail": "The database cannot be reached just now; nothing was saved. Try again."},
            status=503,
        )
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response


def build_api() -> NinjaAPI:
    api = NinjaAPI(
        title="Kaveri API",
        version="1",
        description="The employment-promoting services of social welfare: one shared platform.",
        urls_namespace="api",
        auth=[ApiTokenAuth(), django_auth],
        default_router=KaveriRouter(),
    )
    _install_error_answers(api)
    api.add_router("/rules", rules_router)
    api.add_router("/", access_router)
    api.add_router("/", people_router)
    api.add_router("/", consent_router)
    api.add_router("/", casework_router)
    api.add_router("/", plans_router)
    api.add_router("/", services_router)
    api.add_router("/", benefits_router)
    api.add_router("/", evidence_router)
    api.add_router("/", workspace_router)
    api.add_router("/", watch_router)
    api.add_router("/", statistics_router)
    return api


api = build_api()
