"""Schemathesis against the API's own OpenAPI document: every operation, bounded.

No input, however odd, gets a server error (5xx), and every status an operation answers
is one its OpenAPI entry lists. The operations run as a social counsellor whose office
serves a client, with a bearer token, and once without credentials.
"""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import status_code_conformance

from kaveri.access.roles import Role
from kaveri.access.tokens import create_token

FUZZ = settings(
    max_examples=12,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)


@pytest.fixture
def token(db, make_organisation, make_worker, make_client, open_relationship) -> str:
    """A social counsellor whose office serves a client, calling with a bearer token."""
    soc = make_organisation("SOC")
    counsellor = make_worker(Role.SOCIAL_COUNSELLOR, soc)
    open_relationship(make_client(), soc)
    return create_token(counsellor.user, "fuzz")[1]


def fuzz(operation, headers: dict) -> str | None:
    """Run the bounded examples of one operation; the first failure in words, or None."""

    @FUZZ
    @given(case=operation.as_strategy())
    def call(case):
        case.call_and_validate(
            headers=headers, checks=[not_a_server_error, status_code_conformance]
        )

    try:
        call()
    except Exception as failure:  # every failure is reported with its operation
        return f"{operation.label}: {str(failure).strip()[:600]}"
    return None


@pytest.fixture
def wsgi_app():
    """The application as a server runs it, but keeping the test's database connection
    open between requests (as Django's own test client does)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield get_wsgi_application()
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def test_no_input_gives_a_server_error_or_an_undocumented_status(token, wsgi_app):
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", wsgi_app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 30
    failures = [
        failure
        for operation in operations
        for headers in ({"Authorization": f"Bearer {token}"}, {})
        if (failure := fuzz(operation, headers))
    ]
    assert failures == [], "\n\n".join(failures)


def test_the_openapi_document_lists_the_refusals(client, db):
    document = client.get("/api/v1/openapi.json").json()
    missing = []
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            codes = set(operation["responses"])
            expected = {"400", "422"} | ({"403"} if "/rules" not in path else set())
            if "{" in path:
                expected.add("404")
            if method == "post":
                expected.add("409")
            if not expected <= codes:
                missing.append(f"{method.upper()} {path}: {sorted(expected - codes)}")
    assert missing == []


def test_the_rules_api_refuses_an_unknown_language_clearly(client, db):
    response = client.get("/api/v1/rules?language=")
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"][-1] == "language"
