"""Serving Kaveri as a public service (issue 12): a health endpoint that a load balancer
asks, logs as JSON lines without identity codes, and `kaveri serve` under gunicorn."""

import json
import logging
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import OperationalError
from django.test import RequestFactory
from django.utils import timezone

from kaveri.access import health

pytestmark = pytest.mark.django_db


def test_health_is_ok_when_the_database_answers_and_no_task_is_late(client):
    response = client.get("/health/")
    body = response.json()
    assert response.status_code == 200, body
    assert body["status"] == "ok"
    assert body["checks"]["database"]["ok"] and body["checks"]["task_queue"]["ok"]
    assert "no-cache" in response["Cache-Control"]


def test_health_fails_when_a_scheduled_task_is_long_overdue(client):
    from django_q.models import Schedule

    Schedule.objects.create(
        name="daily watch",
        func="kaveri.watch.tasks.daily_watch",
        schedule_type=Schedule.DAILY,
        next_run=timezone.now() - timedelta(hours=3),
    )
    response = client.get("/health/")
    assert response.status_code == 503
    problems = response.json()["checks"]["task_queue"]["problems"]
    assert problems == ["scheduled task 'daily watch' is overdue: no task worker is running"]


def test_health_fails_with_503_when_the_database_is_away(client, monkeypatch):
    def away():
        raise OperationalError("connection refused")

    monkeypatch.setattr(health.connection, "cursor", away)
    response = health.health(RequestFactory().get("/health/"))
    body = json.loads(response.content)
    assert response.status_code == 503
    assert body["checks"]["database"] == {"ok": False, "error": "OperationalError"}
    assert body["checks"]["task_queue"]["ok"] is False


def test_a_json_log_line_holds_no_identity_code():
    from kaveri.access.security import JsonLinesFormatter

    record = logging.LogRecord(
        "django.request", logging.ERROR, __file__, 1, "Not found: /x/%s/", ("010594Y9032",), None
    )
    record.status_code = 404
    line = json.loads(JsonLinesFormatter().format(record))
    assert line["level"] == "ERROR" and line["logger"] == "django.request"
    assert line["status_code"] == 404
    assert "010594Y9032" not in line["message"] and line["message"].startswith("Not found: /x/")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.mark.django_db(False)
def test_kaveri_serve_answers_with_several_workers_and_logs_json_lines(tmp_path):
    """A fresh database, `kaveri serve` with two workers: the health endpoint and a page
    answer, and the access log is JSON lines."""
    env = os.environ | {
        "KAVERI_DEMO": "1",
        "KAVERI_VAR_DIR": str(tmp_path),
        "LOG_FORMAT": "json",
        "DJANGO_SETTINGS_MODULE": "kaveri.settings",
    }
    env.pop("DATABASE_URL", None)
    subprocess.run([sys.executable, "-m", "kaveri", "migrate", "-v", "0"], env=env, check=True)
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "kaveri", "serve", "--bind", f"127.0.0.1:{port}", "--workers", "2"],
        env=env,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        health_body = _get_when_up(f"http://127.0.0.1:{port}/health/")
        assert json.loads(health_body)["checks"]["database"]["ok"] is True
        page = urllib.request.urlopen(f"http://127.0.0.1:{port}/fi/", timeout=10)
        assert page.status == 200 and "Kaveri" in page.read().decode()
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        log = server.communicate(timeout=30)[1]
    lines = [json.loads(line) for line in log.splitlines() if line.startswith("{")]
    assert any("GET /fi/" in line["message"] for line in lines), log
    assert any("Booting worker" in line["message"] for line in lines), log


def _get_when_up(url: str) -> str:
    for _attempt in range(100):
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                return response.read().decode()
        except urllib.error.HTTPError as error:
            return error.read().decode()
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"{url} did not answer")


def test_every_command_the_deployment_guide_names_exists():
    from django.core.management import get_commands

    guide = (Path(__file__).resolve().parents[1] / "docs" / "deployment.md").read_text()
    named = set(re.findall(r"bin/kaveri ([a-z_]+)|`kaveri ([a-z_]+)", guide))
    commands = {a or b for a, b in named}
    assert {"serve", "qcluster", "migrate", "dbrole", "audit", "backup", "restore"} <= commands
    assert commands <= set(get_commands()), commands - set(get_commands())


def test_a_page_answers_503_not_500_while_the_database_is_away(client, monkeypatch):
    """The server error page tells a database outage apart: try again, nothing was saved."""
    from kaveri.pathways import views as pathways_views

    def away(*args):
        raise OperationalError("could not connect to server: Connection refused")

    monkeypatch.setattr(pathways_views, "get_rules", away)
    client.raise_request_exception = False
    response = client.get("/fi/")
    assert response.status_code == 503, response.status_code
    assert response["Retry-After"] == "30"
    assert "Kaveri ei tavoita tietokantaansa" in response.content.decode()


def test_the_api_answers_503_while_the_database_is_away(client, monkeypatch):
    from kaveri.pathways import api as rules_api

    def away(*args):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(rules_api, "get_rules", away)
    response = client.get("/api/v1/rules")
    assert response.status_code == 503, response.content
    assert response["Retry-After"] == "30"
    assert "cannot be reached" in response.json()["detail"]
