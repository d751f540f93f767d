"""Hardening: headers, lockout, sessions, identity codes out of logs, API tokens."""

import logging
import subprocess
import sys

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import get_resolver

from kaveri.access.models import ApiToken
from kaveri.access.roles import Role
from kaveri.access.security import RedactIdentityCodes
from tests.test_action_table import walk

pytestmark = pytest.mark.django_db


def test_security_headers_on_pages(client):
    response = client.get("/fi/")
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "script-src 'self'" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert "frame-ancestors 'none'" in policy
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


def production_setting(name: str) -> str:
    code = f"from kaveri import settings; print(settings.{name})"
    env = {"PATH": "/usr/bin:/bin", "SECRET_KEY": "x" * 50, "ALLOWED_HOSTS": "kaveri.example"}
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
    ).stdout.strip()


def test_production_defaults_are_safe():
    assert production_setting("DEBUG") == "False"
    assert int(production_setting("SECURE_HSTS_SECONDS")) >= 31536000
    assert production_setting("SESSION_COOKIE_SECURE") == "True"
    assert production_setting("KAVERI_ALLOW_TEST_IDENTITY_CODES") == "False"


def test_no_default_secret_outside_the_demo():
    code = "from kaveri import settings; print(repr(settings.SECRET_KEY))"
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin"},
        check=True,
    ).stdout.strip()
    assert out == "''"


def test_sessions_expire(settings):
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE
    assert "kaveri.access.sessions.SlidingSessionMiddleware" in settings.MIDDLEWARE
    assert settings.SESSION_COOKIE_AGE <= 60 * 60


def test_a_session_s_expiry_moves_on_once_a_minute_not_on_every_request(
    client, make_worker, make_organisation, monkeypatch
):
    from django.contrib.sessions.models import Session

    from kaveri.access import sessions

    clock = [1_800_000_000.0]
    monkeypatch.setattr(sessions.time, "time", lambda: clock[0])
    worker = make_worker("SOCIAL_COUNSELLOR", make_organisation("SOC"))
    client.force_login(worker.user)
    client.get("/fi/workspace/")
    first = Session.objects.get().expire_date
    clock[0] += 30
    with CaptureQueriesContext(connection) as queries:
        client.get("/fi/workspace/")
    assert not any("django_session" in q["sql"] and "UPDATE" in q["sql"] for q in queries)
    assert Session.objects.get().expire_date == first
    clock[0] += 31
    client.get("/fi/workspace/")
    assert Session.objects.get().expire_date > first


def test_lockout_after_repeated_failed_logins(client, settings, make_worker, make_organisation):
    settings.AXES_ENABLED = True
    worker = make_worker(Role.SOCIAL_COUNSELLOR, make_organisation("SOC"))
    statuses = [
        client.post(
            "/en/login/", {"username": worker.user.username, "password": "wrong"}
        ).status_code
        for _ in range(settings.AXES_FAILURE_LIMIT)
    ]
    assert statuses == [200] * (settings.AXES_FAILURE_LIMIT - 1) + [429]
    response = client.post(
        "/en/login/", {"username": worker.user.username, "password": "test-password-123"}
    )
    assert response.status_code == 429
    assert "Login locked" in response.content.decode()


def test_forms_carry_a_csrf_token(client):
    assert "csrfmiddlewaretoken" in client.get("/en/login/").content.decode()


def test_no_url_takes_an_identity_code():
    for _, pattern in walk(get_resolver()):
        route = str(pattern.pattern).lower()
        assert "hetu" not in route and "ssn" not in route and "identity" not in route


def test_identity_codes_are_redacted_from_log_records(caplog):
    logger = logging.getLogger("kaveri.test")
    logger.addFilter(RedactIdentityCodes())
    with caplog.at_level(logging.INFO, logger="kaveri.test"):
        logger.info("looked up %s and 010594Y9032", "131052-9085")
    assert "010594Y9032" not in caplog.text and "131052-9085" not in caplog.text
    assert caplog.text.count("[henkilötunnus]") == 2


def test_api_token_lifecycle(client, make_worker, make_organisation, capsys):
    worker = make_worker(Role.KELA_OFFICER, make_organisation("KELA"))
    call_command("token", "create", worker.user.username, "--name", "Kelmu sync")
    key = capsys.readouterr().out.strip().splitlines()[-1]
    token = ApiToken.objects.get()
    assert key not in (token.key_hash, token.prefix) and key.startswith("kav_")
    me = client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert me.status_code == 200 and me.json()["role"] == Role.KELA_OFFICER
    assert client.get("/api/v1/me", HTTP_AUTHORIZATION="Bearer kav_wrong").status_code == 401
    call_command("token", "revoke", token.prefix)
    assert client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 401
