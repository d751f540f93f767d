"""Every page and API operation names an action of the action table; unnamed is denied."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.urls import URLPattern, URLResolver, get_resolver

from kaveri.access.actions import ACTION_TABLE, API_NAMESPACE, Action
from kaveri.access.decorators import api_action
from kaveri.access.middleware import action_of
from kaveri.api import KaveriRouter, api


def walk(resolver: URLResolver, namespace: str = ""):
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = (
                f"{namespace}:{entry.namespace}"
                if namespace and entry.namespace
                else (entry.namespace or namespace)
            )
            yield from walk(entry, inner)
        elif isinstance(entry, URLPattern):
            yield namespace, entry


def unnamed_views(resolver) -> list[str]:
    missing = []
    for namespace, pattern in walk(resolver):
        if namespace == API_NAMESPACE and pattern.name not in ("openapi-json", "openapi-view"):
            continue  # API operations are checked one by one below
        if action_of(pattern.callback, namespace, pattern.name or "") not in ACTION_TABLE:
            missing.append(f"{namespace}:{pattern.name} ({pattern.pattern})")
    return missing


def test_every_url_pattern_names_an_action():
    assert unnamed_views(get_resolver()) == []


def test_the_walk_finds_an_unnamed_page():
    from tests import unnamed_urls

    assert unnamed_views(get_resolver(unnamed_urls)) == [":forgotten (forgotten/)"]


def test_every_api_operation_names_an_action():
    operations = [
        operation
        for router_prefix, router in api._routers
        for path_view in router.path_operations.values()
        for operation in path_view.operations
    ]
    assert len(operations) >= 3
    for operation in operations:
        assert getattr(operation.view_func, "kaveri_action", None) in ACTION_TABLE, (
            operation.view_func.__name__
        )


def test_every_action_has_a_rule_and_a_description():
    assert set(Action) == set(ACTION_TABLE)
    assert all(str(rule.description) for rule in ACTION_TABLE.values())


def test_an_api_operation_without_action_cannot_be_registered():
    router = KaveriRouter()
    with pytest.raises(ImproperlyConfigured, match="names no action"):

        @router.get("/x")
        def unnamed(request):
            return {}


def test_an_api_operation_with_action_registers():
    router = KaveriRouter()

    @router.get("/x")
    @api_action(Action.API_ME)
    def named(request):
        return {}

    assert router.path_operations


@pytest.mark.django_db
def test_a_page_that_names_no_action_is_denied(client, settings):
    settings.ROOT_URLCONF = "tests.unnamed_urls"
    response = client.get("/forgotten/")
    assert response.status_code == 403
    assert b"secret" not in response.content
