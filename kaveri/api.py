"""The JSON API under /api/v1/, beside the pages. Every operation names its action."""

from django.core.exceptions import ImproperlyConfigured
from ninja import NinjaAPI, Router
from ninja.security import django_auth


class KaveriRouter(Router):
    """A router that refuses an operation that names no action of the action table."""

    def add_api_operation(self, path, methods, view_func, **kwargs):
        if getattr(view_func, "kaveri_action", None) is None:
            raise ImproperlyConfigured(
                f"API operation {view_func.__module__}.{view_func.__name__} names no action; "
                "decorate it with @api_action(Action.X)."
            )
        return super().add_api_operation(path, methods, view_func, **kwargs)


def build_api() -> NinjaAPI:
    from kaveri.access.api import router as access_router
    from kaveri.access.tokens import ApiTokenAuth
    from kaveri.casework.api import router as casework_router
    from kaveri.consent.api import router as consent_router
    from kaveri.people.api import router as people_router
    from kaveri.rules.api import router as rules_router

    api = NinjaAPI(
        title="Kaveri API",
        version="1",
        description="The employment-promoting services of social welfare: one shared platform.",
        urls_namespace="api",
        auth=[ApiTokenAuth(), django_auth],
        default_router=KaveriRouter(),
    )
    api.add_router("/rules", rules_router)
    api.add_router("/", access_router)
    api.add_router("/clients", people_router)
    api.add_router("/", consent_router)
    api.add_router("/", casework_router)
    return api


api = build_api()
